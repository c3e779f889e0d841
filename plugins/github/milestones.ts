/**
 * Milestones on GitHub (batched writes are in `milestone_batch.ts`). Milestones are addressed by title in drafts and patches:
 * a title resolves to its number through the milestone list (open and closed); an unknown title
 * is an `Invalid` failure naming it — nothing is created silently.
 *
 * @module
 */
import { Effect } from "effect";
import { PlatformError } from "../../src/platform/mod.ts";
import type { MilestoneDraft, RemoteMilestone, RepoRef } from "../../src/platform/mod.ts";
import { call, getAllPages, type GitHubContext, ownerRepo } from "./client.ts";
import { dueOnForWrite, expectArray, toRemoteMilestone } from "./mapping.ts";

/** Every milestone of the repository, open and closed. */
export function listMilestones(
  ctx: GitHubContext,
  repo: RepoRef,
): Effect.Effect<readonly RemoteMilestone[], PlatformError> {
  const what = `listing the milestones of ${repo.path}`;
  return getAllPages(
    ctx,
    what,
    (o) =>
      o.request("GET /repos/{owner}/{repo}/milestones", { ...ownerRepo(repo), state: "all", per_page: 100 }),
    (data) => expectArray(data, what).map((m) => toRemoteMilestone(m, what)),
  );
}

/** The number of the milestone titled `title` (exact title first, then case-insensitive). */
export function resolveMilestone(
  ctx: GitHubContext,
  repo: RepoRef,
  title: string,
): Effect.Effect<number, PlatformError> {
  return listMilestones(ctx, repo).pipe(
    Effect.flatMap((all) => {
      const hit = all.find((m) => m.title === title) ??
        all.find((m) => m.title.toLowerCase() === title.toLowerCase());
      if (hit !== undefined) return Effect.succeed(Number(hit.id));
      const known = all.map((m) => JSON.stringify(m.title)).slice(0, 10).join(", ");
      return Effect.fail(
        new PlatformError({
          reason: "Invalid",
          message: `The milestone ${JSON.stringify(title)} does not exist in ${repo.path}` +
            (known !== "" ? ` (existing: ${known}).` : " (it has no milestones)."),
          hint: "Create it first (orchestrator_git_integration create_milestone) or use an existing title.",
        }),
      );
    }),
  );
}

/** Creates a milestone. */
export function createMilestone(
  ctx: GitHubContext,
  repo: RepoRef,
  draft: MilestoneDraft,
): Effect.Effect<RemoteMilestone, PlatformError> {
  const what = `creating the milestone ${JSON.stringify(draft.title)} in ${repo.path}`;
  const due = draft.due_on === undefined || draft.due_on === null ? undefined : dueOnForWrite(draft.due_on);
  if (draft.due_on !== undefined && draft.due_on !== null && due === undefined) {
    return Effect.fail(
      new PlatformError({
        reason: "Invalid",
        message: `The due date ${JSON.stringify(draft.due_on)} of milestone ${
          JSON.stringify(draft.title)
        } is not a date.`,
        hint: "Give it as YYYY-MM-DD.",
      }),
    );
  }
  return call(
    ctx,
    what,
    (o) =>
      o.request("POST /repos/{owner}/{repo}/milestones", {
        ...ownerRepo(repo),
        title: draft.title,
        ...(draft.description !== undefined ? { description: draft.description } : {}),
        ...(due !== undefined ? { due_on: due } : {}),
      }),
    (a) => toRemoteMilestone(a.data, what),
  );
}

/** Closes a milestone given by number (as text) or by title. */
export function closeMilestone(
  ctx: GitHubContext,
  repo: RepoRef,
  id: string,
): Effect.Effect<RemoteMilestone, PlatformError> {
  const number = /^\d+$/.test(id.trim())
    ? Effect.succeed(Number(id.trim()))
    : resolveMilestone(ctx, repo, id);
  return number.pipe(Effect.flatMap((n) => {
    const what = `closing milestone ${n} of ${repo.path}`;
    return call(
      ctx,
      what,
      (o) =>
        o.request("PATCH /repos/{owner}/{repo}/milestones/{milestone_number}", {
          ...ownerRepo(repo),
          milestone_number: n,
          state: "closed",
        }),
      (a) => toRemoteMilestone(a.data, what),
    );
  }));
}
