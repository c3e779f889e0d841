/**
 * GitHub's public GraphQL schema, as published in `@octokit/graphql-schema` (its `schema.graphql`:
 * the package's `schema.json` lacks some mutations, `updateProjectV2Field` among them), built once
 * per process with `graphql`'s `buildSchema`. Test-only: the contract tests validate every document
 * the GitHub plugin sends, and every sandbox answer, against it.
 *
 * @module
 */
import { schema as published } from "@octokit/graphql-schema";
import { buildSchema, type GraphQLSchema } from "graphql";

let built: GraphQLSchema | undefined;

/**
 * GitHub's public GraphQL schema (built on first use, about a second).
 *
 * @example
 * ```ts ignore
 * import { githubPublicSchema } from "./github_graphql_schema.ts";
 * console.log(githubPublicSchema().getMutationType()?.getFields().updateProjectV2Field !== undefined); // true
 * ```
 */
export function githubPublicSchema(): GraphQLSchema {
  built ??= buildSchema(published.idl, { assumeValidSDL: true });
  return built;
}
