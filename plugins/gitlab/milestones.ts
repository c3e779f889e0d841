/**
 * Milestones on GitLab: listed with the group milestones the project's issues may carry, created,
 * and closed by their global id (`state_event=close`). Drafts and patches name a milestone by
 * title; {@link milestoneId} resolves it (cached per connection), and an unknown title is
 * `Invalid` — nothing is created silently.
 *
 * @module
 */
import { Effect } from "effect";
import type { MilestoneDraft, PlatformError, RemoteMilestone, RepoRef } from "../../src/platform/mod.ts";
import { context, type GitLabClient, invalid, run } from "./client.ts";
import { toRemoteMilestone } from "./mapping.ts";

const key = (repo: RepoRef, title: string) => `${repo.path}\n${title}`;

/** The global id of the milestone titled `title`. */
export function milestoneId(
  client: GitLabClient,
  repo: RepoRef,
  title: string,
): Effect.Effect<number, PlatformError> {
  return Effect.gen(function* () {
    const cached = client.milestoneIds.get(key(repo, title));
    if (cached !== undefined) return cached;
    const found = yield* run(
      context(client, repo, `look up the milestone "${title}" of "${repo.path}"`),
      () => client.api.milestones(repo.path, { title }),
    );
    const milestone = found.find((m) => m.title === title);
    if (milestone === undefined) {
      return yield* invalid(
        `GitLab milestone "${title}" does not exist in "${repo.path}".`,
        "Create it first (create_milestone), or give the title of an existing milestone.",
      );
    }
    client.milestoneIds.set(key(repo, title), milestone.id);
    return milestone.id;
  });
}

/** Every milestone of the project (and of its groups). */
export function listMilestones(
  client: GitLabClient,
  repo: RepoRef,
): Effect.Effect<readonly RemoteMilestone[], PlatformError> {
  return run(
    context(client, repo, `list the milestones of "${repo.path}"`),
    () => client.api.milestones(repo.path, {}),
  ).pipe(Effect.map((found) => found.map(toRemoteMilestone)));
}

/** Creates a milestone. */
export function createMilestone(
  client: GitLabClient,
  repo: RepoRef,
  draft: MilestoneDraft,
): Effect.Effect<RemoteMilestone, PlatformError> {
  const fields: Record<string, unknown> = {};
  if (draft.description !== undefined) fields.description = draft.description;
  if (draft.due_on !== undefined && draft.due_on !== null) fields.dueDate = draft.due_on;
  return run(
    context(client, repo, `create the milestone "${draft.title}" in "${repo.path}"`),
    () => client.api.createMilestone(repo.path, draft.title, fields),
  ).pipe(Effect.map((created) => {
    client.milestoneIds.set(key(repo, created.title), created.id);
    return toRemoteMilestone(created);
  }));
}

/** Closes the milestone of global id `id`. */
export function closeMilestone(
  client: GitLabClient,
  repo: RepoRef,
  id: string,
): Effect.Effect<RemoteMilestone, PlatformError> {
  if (!/^\d+$/.test(id)) {
    return invalid(`"${id}" is not a GitLab milestone id (the global numeric id is expected).`);
  }
  return run(
    context(
      client,
      repo,
      `close the milestone ${id} of "${repo.path}"`,
      `GitLab milestone ${id} was not found in "${repo.path}".`,
    ),
    () => client.api.editMilestone(repo.path, Number(id), { stateEvent: "close" }),
  ).pipe(Effect.map(toRemoteMilestone));
}
