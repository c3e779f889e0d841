/**
 * The node ids GitHub's GraphQL mutations take, for issues known by number (and a milestone known
 * by number): ids the core already knows pass through; the others are read in ONE request of
 * aliased `issue(number:)` fields, where an issue that does not exist is refused alone.
 *
 * @module
 */
import { Effect, Result } from "effect";
import { PlatformError } from "../../src/platform/mod.ts";
import type { BatchResults, IssueKey, RepoRef } from "../../src/platform/mod.ts";
import { ownerRepo } from "./client.ts";
import type { GitHubContext } from "./client.ts";
import { gqlAliased, type GraphqlHints, malformed } from "./graphql.ts";

/** What {@link nodeIds} found: each issue's id (in the order given) and the milestone's. */
export interface NodeIds {
  readonly issues: BatchResults<string>;
  /** The milestone's node id, when its number was given. */
  readonly milestone?: string;
}

/**
 * The node id of each issue, and of the milestone numbered `milestone` when given, in at most one
 * request (none when every id is known and no milestone is asked for). A missing milestone fails
 * the call; a missing issue is refused alone.
 */
export function nodeIds(
  ctx: GitHubContext,
  repo: RepoRef,
  issues: readonly IssueKey[],
  milestone: number | undefined,
  hints: GraphqlHints,
): Effect.Effect<NodeIds, PlatformError> {
  const unknown = issues.flatMap((issue, i) => issue.id === null || issue.id === "" ? [i] : []);
  if (unknown.length === 0 && milestone === undefined) {
    return Effect.succeed({ issues: issues.map((issue) => Result.succeed(issue.id!)) });
  }
  const what = `reading the ids of ${unknown.length} issue(s) of ${repo.path}`;
  const declarations = unknown.map((i) => `$n${i}: Int!`);
  const fields = unknown.map((i) => `i${i}: issue(number: $n${i}) { id number }`);
  const variables: Record<string, unknown> = { ...ownerName(repo) };
  for (const i of unknown) variables[`n${i}`] = issues[i]!.number;
  if (milestone !== undefined) {
    declarations.push("$ms: Int!");
    fields.push("ms: milestone(number: $ms) { id }");
    variables.ms = milestone;
  }
  const query = `query($owner: String!, $name: String!, ${declarations.join(", ")}) {
    repository(owner: $owner, name: $name) { ${fields.join(" ")} } }`;
  return gqlAliased(
    ctx,
    what,
    query,
    variables,
    [...unknown.map((i) => `i${i}`), "ms"],
    hints,
    (alias) =>
      alias === "ms"
        ? `reading milestone ${milestone} of ${repo.path}`
        : `reading the id of issue #${issues[Number(alias.slice(1))]!.number} of ${repo.path}`,
  ).pipe(Effect.flatMap(({ data, refused }) => {
    const found = data?.repository;
    if (found === null || typeof found !== "object") return Effect.fail(malformed(what, "no repository"));
    const ms = refused.get("ms");
    if (ms !== undefined) return Effect.fail(ms);
    const ids: Array<Result.Result<string, PlatformError>> = issues.map((issue, i) => {
      if (issue.id !== null && issue.id !== "") return Result.succeed(issue.id);
      const no = refused.get(`i${i}`);
      if (no !== undefined) return Result.fail(no);
      const id = found[`i${i}`]?.id;
      return typeof id === "string"
        ? Result.succeed(id)
        : Result.fail(malformed(what, `no id for #${issue.number}`));
    });
    if (milestone === undefined) return Effect.succeed({ issues: ids });
    if (found.ms === null || found.ms === undefined) {
      return Effect.fail(
        new PlatformError({
          reason: "NotFound",
          message: `GitHub has no milestone numbered ${milestone} in ${repo.path}.`,
          hint: "It was deleted on GitHub: plan the release again, or create the milestone first.",
        }),
      );
    }
    const id = found.ms.id;
    return typeof id === "string"
      ? Effect.succeed({ issues: ids, milestone: id })
      : Effect.fail(malformed(what, `no id for milestone ${milestone}`));
  }));
}

/** `owner` and `name` of a repository, as the GraphQL `repository` field takes them. */
export function ownerName(repo: RepoRef): { owner: string; name: string } {
  const { owner, repo: name } = ownerRepo(repo);
  return { owner, name };
}
