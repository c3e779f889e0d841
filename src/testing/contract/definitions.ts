/**
 * The published API definitions the contract tests read, from the npm packages that carry them
 * (test-only dependencies, exact versions in `deno.json`):
 *
 * - GitHub REST: `@octokit/openapi-types` 29.0.1 — GitHub's OpenAPI description of api.github.com
 *   (`@octokit/openapi` 23.0.1) in openapi-typescript form. The `@octokit/openapi` package itself
 *   (28 MB download, ~400 MB unpacked) carries the same description as JSON and is not needed.
 * - GitHub GraphQL: `@octokit/graphql-schema` 15.26.1 (`schema.graphql`), see `github_graphql_schema.ts`.
 * - Bitbucket Cloud REST: `@coderabbitai/bitbucket` 1.1.4 — Bitbucket's OpenAPI description in
 *   openapi-typescript form (`dist/cloud/openapi/openapi-typescript.d.ts`).
 * - GitLab REST: `@gitbeaker/core` 43.8.0 — Gitbeaker's typings of GitLab's request options and
 *   answer schemas (GitLab publishes no OpenAPI description of these endpoints on npm).
 *
 * @module
 */
import { TsDefs } from "./ts_defs.ts";

const NODE_MODULES = new URL("../../../node_modules/", import.meta.url);

const cache = new Map<string, Promise<TsDefs>>();

function load(file: string, label: string): Promise<TsDefs> {
  let found = cache.get(file);
  if (found === undefined) {
    found = TsDefs.load(new URL(file, NODE_MODULES), label);
    cache.set(file, found);
  }
  return found;
}

/** GitHub's OpenAPI description (api.github.com), as `@octokit/openapi-types` declares it. */
export function githubOpenApi(): Promise<TsDefs> {
  return load("@octokit/openapi-types/types.d.ts", "@octokit/openapi-types 29.0.1");
}

/** Bitbucket Cloud's OpenAPI description, as `@coderabbitai/bitbucket` declares it. */
export function bitbucketOpenApi(): Promise<TsDefs> {
  return load(
    "@coderabbitai/bitbucket/dist/cloud/openapi/openapi-typescript.d.ts",
    "@coderabbitai/bitbucket 1.1.4",
  );
}

/** Gitbeaker's typings of GitLab's options and schemas. */
export function gitbeakerTypings(): Promise<TsDefs> {
  return load("@gitbeaker/core/dist/index.d.ts", "@gitbeaker/core 43.8.0");
}
