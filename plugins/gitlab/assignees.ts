/**
 * Assignees GitLab did not keep. GitLab Free gives an issue one assignee: of several
 * `assignee_ids` it keeps the first and drops the others without an error (multiple assignees are
 * a Premium and Ultimate feature); any edition drops users who cannot be assigned (not members of
 * the project). The plugin compares what it asked for with what the issue holds and says so.
 * Assignees are given as usernames and sent as user ids, looked up once per connection.
 *
 * @module
 */
import { Effect } from "effect";
import type { PlatformError, RemoteIssue, RepoRef } from "../../src/platform/mod.ts";
import { context, type GitLabClient, invalid, run } from "./client.ts";

/**
 * The warning for a write that asked for `asked` assignees when the issue now holds `kept`, or
 * null when every one was kept.
 *
 * @example
 * ```ts
 * import { droppedAssignees } from "./assignees.ts";
 * droppedAssignees(["alice", "bob"], ["alice"]); // "GitLab kept 1 of the 2 assignees asked for …"
 * droppedAssignees(["alice"], ["alice"]); // null
 * ```
 */
export function droppedAssignees(asked: readonly string[], kept: readonly string[]): string | null {
  const holds = new Set(kept.map((k) => k.toLowerCase()));
  const dropped = asked.filter((a) => !holds.has(a.toLowerCase()));
  if (dropped.length === 0) return null;
  const list = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(", ");
  return `GitLab kept ${asked.length - dropped.length} of the ${asked.length} assignees asked for ` +
    `(dropped ${list(dropped)}${kept.length > 0 ? `; kept ${list(kept)}` : ""}). GitLab Free allows one ` +
    `assignee per issue (several need GitLab Premium or Ultimate), and only members of the project can be ` +
    `assigned: assign one person, or add them to the project.`;
}

/** Whether a write lost assignees because the instance keeps one per issue (Free), not for membership. */
export function keepsOneAssignee(asked: readonly string[], kept: readonly string[]): boolean {
  return asked.length > 1 && kept.length === 1 && asked[0]?.toLowerCase() === kept[0]?.toLowerCase();
}

/** The user id of a username (cached per connection); `Invalid` when GitLab has no such user. */
export function userId(
  client: GitLabClient,
  repo: RepoRef,
  username: string,
): Effect.Effect<number, PlatformError> {
  return Effect.gen(function* () {
    const key = username.toLowerCase();
    const cached = client.userIds.get(key);
    if (cached !== undefined) return cached;
    const found = yield* run(
      context(client, repo, `look up the GitLab user "${username}"`),
      () => client.api.userIds(username),
    );
    const user = found.find((u) => u.username.toLowerCase() === key);
    if (user === undefined) {
      return yield* invalid(
        `GitLab user "${username}" does not exist.`,
        "Assignees are GitLab usernames (the part after @), and must be members of the project.",
      );
    }
    client.userIds.set(key, user.id);
    return user.id;
  });
}

/**
 * The user ids to send for the usernames `asked`: only the first once the instance showed it keeps
 * one assignee per issue (GitLab Free).
 */
export function assigneeIds(
  client: GitLabClient,
  repo: RepoRef,
  asked: readonly string[],
): Effect.Effect<number[], PlatformError> {
  return Effect.forEach(client.oneAssignee ? asked.slice(0, 1) : asked, (u) => userId(client, repo, u));
}

/**
 * The issue a write answered, with a warning when it kept fewer assignees than `asked`; notes an
 * instance that keeps one assignee per issue.
 */
export function checkAssignees(
  client: GitLabClient,
  issue: RemoteIssue,
  asked: readonly string[] | undefined,
): RemoteIssue {
  if (asked === undefined) return issue;
  if (keepsOneAssignee(asked, issue.assignees)) client.oneAssignee = true;
  const warning = droppedAssignees(asked, issue.assignees);
  return warning === null ? issue : { ...issue, warnings: [...(issue.warnings ?? []), warning] };
}
