/**
 * The contract checks of Bitbucket Cloud exchanges, against Bitbucket's OpenAPI description as
 * `@coderabbitai/bitbucket` publishes it. Two allowances, each documented by Atlassian outside the
 * per-endpoint description:
 *
 * - `q`, `sort`, `pagelen`, `page` and `fields` are accepted on every listing ("Filtering and
 *   sorting", "Pagination" and "Partial responses" in the REST API introduction), though the
 *   description lists them on few endpoints;
 * - a request body may leave out the `type` discriminator (`"issue"`, `"milestone"`…) that the
 *   description's schemas require: Bitbucket fills it in, and its own examples omit it;
 * - `account` stands for its subtypes `user`, `team` and `app_user` (the discriminator mapping the
 *   generated types lost), so an assignee given as `{account_id}` and answered as `{type: "user"}`
 *   fit;
 * - answers may hold null where the description gives a type (it marks nothing nullable, while
 *   Bitbucket answers `"milestone": null`, `"assignee": null`…).
 *
 * Left unchecked, and listed in `uncovered.ts`: the body of `PUT …/issues/{issue_id}` (the
 * description documents none, though Bitbucket takes the fields). Two answer fields the
 * sandbox sends are beyond the description and accepted here: an issue's `content.type`
 * (`"rendered"`) and a repository's `links.issues`.
 *
 * @module
 */
import type { RecordedExchange } from "../sandbox.ts";
import { bitbucketOpenApi } from "./definitions.ts";
import { type ContractProblem, OpenApiChecker } from "./openapi_check.ts";

/** The Bitbucket checker, for a sandbox serving the API under `basePath`. */
export async function bitbucketChecker(basePath = "/2.0"): Promise<OpenApiChecker> {
  return new OpenApiChecker({
    defs: await bitbucketOpenApi(),
    basePath,
    globalQuery: ["q", "sort", "pagelen", "page", "fields"],
    requestOptional: ["type"],
    subtypes: { account: ["account", "user", "team", "app_user"] },
    nullableAnswers: true,
    extraAnswerFields: [
      { where: /\.content\.type$/, why: "the sandbox marks rendered content as Bitbucket's answers do" },
      { where: /^answer 200\.links\.issues$/, why: "the sandbox links the issue tracker of a repository" },
    ],
    undocumentedBodies: [{
      method: "PUT",
      template: "/repositories/{workspace}/{repo_slug}/issues/{issue_id}",
      why: "Bitbucket's description documents no request body for updating an issue",
    }],
    genericErrors: {
      statuses: [401, 403, 404, 429, 500, 502, 503],
      schema: {
        k: "idx",
        of: { k: "idx", of: { k: "ref", name: "components", args: [] }, key: { k: "lit", value: "schemas" } },
        key: { k: "lit", value: "error" },
      },
    },
  });
}

/** Every problem of Bitbucket exchanges. */
export async function checkBitbucketExchanges(
  exchanges: readonly RecordedExchange[],
): Promise<ContractProblem[]> {
  const checker = await bitbucketChecker();
  return exchanges.flatMap((e) => checker.checkOne(e));
}
