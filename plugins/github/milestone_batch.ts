/**
 * Milestones of many issues at once, through GitHub's GraphQL API: up to {@link BATCH_SIZE} aliased
 * `updateIssue(input: {id, milestoneId})` mutations in one request (the REST API takes one issue a
 * request, and a milestone by number only after listing them all), and the milestone of as many
 * issues read in one request. An issue GitHub refuses (deleted, say) is refused alone; the others
 * of the request are written.
 *
 * @module
 */
import { Effect, Result } from "effect";
import { PlatformError } from "../../src/platform/mod.ts";
import type { BatchResults, IssueKey, RemoteMilestone, RepoRef } from "../../src/platform/mod.ts";
import type { GitHubContext } from "./client.ts";
import { gqlAliased, type GraphqlHints, malformed } from "./graphql.ts";
import { nodeIds, ownerName } from "./node_ids.ts";

/**
 * Issues per request: GitHub charges a request with mutations 5 points of its secondary limit
 * (2,000 a minute), whatever their number, and the plugin keeps its aliased documents to 25 fields.
 */
export const BATCH_SIZE = 25;

/** What a refused batched write of issues says. */
function issueHints(ctx: GitHubContext, repo: RepoRef): GraphqlHints {
  return {
    forbidden:
      `The token in ${ctx.errors.tokenVariable} cannot edit the issues of ${repo.path}: it needs push ` +
      `access — a classic token with the "repo" scope, or a fine-grained one with Issues: read and write.`,
    notFound:
      `Check that the issue still exists in ${repo.path} (deleted or transferred issues are not found).`,
  };
}

function tooMany(count: number): Effect.Effect<never, PlatformError> {
  return Effect.fail(
    new PlatformError({
      reason: "Invalid",
      message: `A batch of ${count} issues was given; GitHub batches take at most ${BATCH_SIZE}.`,
      hint: `Split the issues into batches of batchSize (${BATCH_SIZE}).`,
    }),
  );
}

/**
 * Puts each issue in `milestone`: its node id and the issues' are looked up first when not known
 * (one request), then one request of aliased `updateIssue` mutations.
 */
export function setMilestones(
  ctx: GitHubContext,
  repo: RepoRef,
  milestone: RemoteMilestone,
  issues: readonly IssueKey[],
): Effect.Effect<BatchResults<void>, PlatformError> {
  if (issues.length > BATCH_SIZE) return tooMany(issues.length);
  if (issues.length === 0) return Effect.succeed([]);
  const hints = issueHints(ctx, repo);
  const number = Number(milestone.id);
  const what = `putting ${issues.length} issue(s) of ${repo.path} in milestone ${
    JSON.stringify(milestone.title)
  }`;
  return Effect.gen(function* () {
    const ids = yield* nodeIds(
      ctx,
      repo,
      issues,
      milestone.global_id === undefined ? number : undefined,
      hints,
    );
    const milestoneId = milestone.global_id ?? ids.milestone!;
    const sent = issues.flatMap((_, i) => Result.isSuccess(ids.issues[i]!) ? [i] : []);
    if (sent.length === 0) return ids.issues.map(Result.map(() => undefined));
    const variables: Record<string, unknown> = { m: milestoneId };
    for (const i of sent) {
      variables[`i${i}`] = (ids.issues[i] as Result.Success<string, PlatformError>).success;
    }
    const query = `mutation($m: ID!, ${sent.map((i) => `$i${i}: ID!`).join(", ")}) {\n${
      sent.map((i) =>
        `m${i}: updateIssue(input: {id: $i${i}, milestoneId: $m}) { issue { number milestone { number } } }`
      ).join("\n")
    }\n}`;
    const { data, refused } = yield* gqlAliased(
      ctx,
      what,
      query,
      variables,
      sent.map((i) => `m${i}`),
      hints,
      (alias) =>
        `putting issue #${issues[Number(alias.slice(1))]!.number} of ${repo.path} in milestone ${
          JSON.stringify(milestone.title)
        }`,
    );
    return issues.map((issue, i): Result.Result<void, PlatformError> => {
      const id = ids.issues[i]!;
      if (Result.isFailure(id)) return Result.fail(id.failure);
      const no = refused.get(`m${i}`);
      if (no !== undefined) return Result.fail(no);
      const put = data?.[`m${i}`]?.issue;
      if (put?.milestone?.number === number) return Result.succeed(undefined);
      return Result.fail(malformed(what, `issue #${issue.number} came back without the milestone`));
    });
  });
}

/** The milestone title (or null) of each issue, in one request of aliased `issue(number:)` fields. */
export function readMilestones(
  ctx: GitHubContext,
  repo: RepoRef,
  issues: readonly IssueKey[],
): Effect.Effect<BatchResults<string | null>, PlatformError> {
  if (issues.length > BATCH_SIZE) return tooMany(issues.length);
  if (issues.length === 0) return Effect.succeed([]);
  const what = `reading the milestones of ${issues.length} issue(s) of ${repo.path}`;
  const variables: Record<string, unknown> = { ...ownerName(repo) };
  issues.forEach((issue, i) => (variables[`n${i}`] = issue.number));
  const query = `query($owner: String!, $name: String!, ${issues.map((_, i) => `$n${i}: Int!`).join(", ")}) {
    repository(owner: $owner, name: $name) { ${
    issues.map((_, i) => `r${i}: issue(number: $n${i}) { number milestone { title } }`).join(" ")
  } } }`;
  return gqlAliased(
    ctx,
    what,
    query,
    variables,
    issues.map((_, i) => `r${i}`),
    issueHints(ctx, repo),
    (alias) => `reading the milestone of issue #${issues[Number(alias.slice(1))]!.number} of ${repo.path}`,
  ).pipe(Effect.flatMap(({ data, refused }) => {
    const found = data?.repository;
    if (found === null || typeof found !== "object") return Effect.fail(malformed(what, "no repository"));
    return Effect.succeed(issues.map((issue, i): Result.Result<string | null, PlatformError> => {
      const no = refused.get(`r${i}`);
      if (no !== undefined) return Result.fail(no);
      const read = found[`r${i}`];
      if (read === null || typeof read !== "object") {
        return Result.fail(malformed(what, `no issue #${issue.number}`));
      }
      return Result.succeed(typeof read.milestone?.title === "string" ? read.milestone.title : null);
    }));
  }));
}
