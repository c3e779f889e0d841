/**
 * The contract checks of GitHub exchanges: REST against GitHub's OpenAPI description, GraphQL
 * against GitHub's public schema. Used by the GitHub plugin's contract tests.
 *
 * @module
 */
import type { RecordedExchange } from "../sandbox.ts";
import { githubOpenApi } from "./definitions.ts";
import { githubPublicSchema } from "./github_graphql_schema.ts";
import { checkGraphqlRequest, checkGraphqlResponse } from "./graphql_check.ts";
import { type ContractProblem, OpenApiChecker } from "./openapi_check.ts";

/** Whether an exchange went to the GraphQL endpoint. */
export function isGraphql(e: RecordedExchange): boolean {
  return /\/graphql$/.test(e.path);
}

/** The REST checker of GitHub's description, for a sandbox serving it under `basePath`. */
export async function githubRestChecker(basePath = "/api/v3"): Promise<OpenApiChecker> {
  const defs = await githubOpenApi();
  const checker = new OpenApiChecker({
    defs,
    basePath,
    aliases: [{
      pattern: /^\/repositories\/\d+\/issues$/,
      template: "/repos/{owner}/{repo}/issues",
      why: "GitHub's `link` headers page through `/repositories/{id}/issues`, an undocumented alias",
    }, {
      pattern: /^\/repositories\/\d+\/milestones$/,
      template: "/repos/{owner}/{repo}/milestones",
      why: "GitHub's `link` headers page through `/repositories/{id}/milestones`, an undocumented alias",
    }],
    genericErrors: {
      statuses: [401, 403, 404, 429, 500, 502, 503],
      schema: {
        k: "idx",
        of: { k: "idx", of: { k: "ref", name: "components", args: [] }, key: { k: "lit", value: "schemas" } },
        key: { k: "lit", value: "basic-error" },
      },
    },
  });
  return checker;
}

/** Every problem of GitHub exchanges: GraphQL ones against the schema, the others against the description. */
export async function checkGitHubExchanges(
  exchanges: readonly RecordedExchange[],
): Promise<ContractProblem[]> {
  const rest = await githubRestChecker();
  const schema = githubPublicSchema();
  const problems: ContractProblem[] = [];
  for (const e of exchanges) {
    if (!isGraphql(e)) {
      problems.push(...rest.checkOne(e));
      continue;
    }
    let body: unknown;
    try {
      body = JSON.parse(e.requestBody);
    } catch {
      problems.push({ request: `POST ${e.path}`, problem: "the GraphQL request body is not JSON" });
      continue;
    }
    const request = `GraphQL ${
      String((body as { query?: unknown }).query ?? "").replace(/\s+/g, " ").slice(0, 80)
    }`;
    for (const problem of checkGraphqlRequest(schema, body)) problems.push({ request, problem });
    if (e.faulted || e.status !== 200) continue;
    let answer: unknown;
    try {
      answer = JSON.parse(e.responseBody);
    } catch {
      problems.push({ request, problem: "the GraphQL answer is not JSON" });
      continue;
    }
    for (const problem of checkGraphqlResponse(schema, body, answer)) problems.push({ request, problem });
  }
  return problems;
}

/** Problems as lines, for an assertion message. */
export function formatProblems(problems: readonly ContractProblem[]): string {
  return problems.map((p) =>
    `${p.request}${p.template === undefined ? "" : ` (${p.template})`}: ${p.problem}`
  )
    .join("\n");
}
