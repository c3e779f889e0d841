/**
 * Milestones on Bitbucket Cloud: read-only in its API (`GET …/milestones`), with a name and nothing
 * else — no state, description or due date. Creating and closing them is left out (capability
 * `milestones_write: false`): the core answers `Unsupported` with a hint.
 *
 * @module
 */
import { Effect } from "effect";
import type { PlatformError, RemoteMilestone, RepoRef } from "../../src/platform/mod.ts";
import { type BitbucketClient, PAGE_SIZE } from "./client.ts";

/** Every milestone of the repository. */
export function listMilestones(
  client: BitbucketClient,
  repo: RepoRef,
): Effect.Effect<readonly RemoteMilestone[], PlatformError> {
  return client.all<{ id?: number; name?: string }>(
    client.repoUrl(repo, "/milestones", { pagelen: PAGE_SIZE }),
    { repo: repo.path, what: `the milestones of ${repo.path}` },
  ).pipe(
    Effect.map((values) =>
      values.map((m): RemoteMilestone => ({
        id: String(m.id ?? m.name ?? ""),
        title: m.name ?? "",
        state: "open",
        description: "",
        due_on: null,
        url: null,
      }))
    ),
  );
}
