/**
 * Repository checks and issue reads and writes on GitHub.
 *
 * Writes follow GitHub's rules: labels and assignees replace the set; `state_reason` counts only
 * when `state` changes in the same request, so moving a closed issue from one close reason to
 * the other (completed ↔ not planned) takes a reopen and a close; a new issue cannot be created
 * closed, so a closed draft takes a create and a close.
 *
 * @module
 */
import { Effect, Option } from "effect";
import { PlatformError } from "../../src/platform/mod.ts";
import type { IssueDraft, IssuePatch, RemoteIssue, RepoInfo, RepoRef } from "../../src/platform/mod.ts";
import { call, type GitHubContext, ownerRepo } from "./client.ts";
import {
  expectObject,
  isPullRequest,
  labelsForWrite,
  malformed,
  toGitHubStatus,
  toRemoteIssue,
} from "./mapping.ts";
import { resolveMilestone } from "./milestones.ts";

/** Reads the repository: it exists, the token sees it, issues are on; whether the token can write. */
export function verify(ctx: GitHubContext, repo: RepoRef): Effect.Effect<RepoInfo, PlatformError> {
  const what = `reading the repository ${repo.path}`;
  return call(ctx, what, (o) => o.request("GET /repos/{owner}/{repo}", ownerRepo(repo)), (a) => {
    const r = expectObject(a.data, what);
    if (typeof r.full_name !== "string" || typeof r.html_url !== "string") {
      throw malformed(what, `"full_name" is missing`);
    }
    if (r.has_issues === false) {
      throw new PlatformError({
        reason: "Invalid",
        message: `Issues are turned off in the GitHub repository ${r.full_name}.`,
        hint:
          "Turn them on in the repository's Settings → General → Features → Issues, then configure again.",
      });
    }
    const perms = typeof r.permissions === "object" && r.permissions !== null
      ? r.permissions as Record<string, unknown>
      : {};
    return { path: r.full_name, url: r.html_url, can_write: perms.push === true || perms.admin === true };
  });
}

function getRaw(ctx: GitHubContext, repo: RepoRef, number: number, what: string) {
  return call(
    ctx,
    what,
    (o) =>
      o.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
        ...ownerRepo(repo),
        issue_number: number,
      }),
    (a) => a.data,
  );
}

/** The issue `number`, none when it does not exist (or is a pull request); 410 is `Gone`. */
export function getIssue(
  ctx: GitHubContext,
  repo: RepoRef,
  number: number,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  const what = `reading issue #${number} of ${repo.path}`;
  return getRaw(ctx, repo, number, what).pipe(
    Effect.flatMap((data) =>
      Effect.try({
        try: () =>
          isPullRequest(data) ? Option.none() : Option.some(toRemoteIssue(data, ctx.statusLabels, what)),
        catch: (e) => e as PlatformError,
      })
    ),
    Effect.catchIf(
      (e) => e.reason === "NotFound",
      () => Effect.succeed(Option.none()),
    ),
  );
}

function milestoneNumber(
  ctx: GitHubContext,
  repo: RepoRef,
  title: string | null | undefined,
): Effect.Effect<number | null | undefined, PlatformError> {
  return title === undefined || title === null ? Effect.succeed(title) : resolveMilestone(ctx, repo, title);
}

function patchRaw(
  ctx: GitHubContext,
  repo: RepoRef,
  number: number,
  fields: Record<string, unknown>,
): Effect.Effect<RemoteIssue, PlatformError> {
  const what = `updating issue #${number} of ${repo.path}`;
  return call(
    ctx,
    what,
    (o) =>
      o.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
        ...ownerRepo(repo),
        issue_number: number,
        ...fields,
      }),
    (a) => toRemoteIssue(a.data, ctx.statusLabels, what),
  );
}

/**
 * Brings a closed issue to the close reason of `status` when GitHub kept another one (it ignores
 * `state_reason` unless the state changes): reopen, then close with the reason.
 */
function settleCloseReason(
  ctx: GitHubContext,
  repo: RepoRef,
  issue: RemoteIssue,
  wanted: IssuePatch["status"],
): Effect.Effect<RemoteIssue, PlatformError> {
  if (wanted === undefined || issue.status === wanted) return Effect.succeed(issue);
  const gh = toGitHubStatus(wanted, ctx.statusLabels);
  if (gh.state !== "closed") return Effect.succeed(issue);
  return patchRaw(ctx, repo, issue.number, { state: "open" }).pipe(
    Effect.flatMap(() =>
      patchRaw(ctx, repo, issue.number, { state: "closed", state_reason: gh.state_reason })
    ),
  );
}

/**
 * Creates an issue: title, body, labels (with the status labels), assignees and milestone in one
 * request; a closed status then closes it with its reason.
 */
export function createIssue(
  ctx: GitHubContext,
  repo: RepoRef,
  draft: IssueDraft,
): Effect.Effect<RemoteIssue, PlatformError> {
  const what = `creating an issue in ${repo.path}`;
  const status = draft.status ?? "open";
  return Effect.gen(function* () {
    const milestone = yield* milestoneNumber(ctx, repo, draft.milestone);
    const created = yield* call(
      ctx,
      what,
      (o) =>
        o.request("POST /repos/{owner}/{repo}/issues", {
          ...ownerRepo(repo),
          title: draft.title,
          body: draft.body,
          labels: labelsForWrite(draft.labels ?? [], status, ctx.statusLabels),
          assignees: [...(draft.assignees ?? [])],
          ...(milestone !== undefined && milestone !== null ? { milestone } : {}),
        }),
      (a) => toRemoteIssue(a.data, ctx.statusLabels, what),
    );
    const gh = toGitHubStatus(status, ctx.statusLabels);
    if (gh.state === "open") return created;
    return yield* patchRaw(ctx, repo, created.number, { state: "closed", state_reason: gh.state_reason });
  });
}

/**
 * Updates an issue, sending only the fields present in `patch`. Status and labels are written
 * together (labels = the plain labels + the status labels; state and close reason from the
 * status); when only one of them comes, the other is read from the issue first.
 */
export function updateIssue(
  ctx: GitHubContext,
  repo: RepoRef,
  number: number,
  patch: IssuePatch,
): Effect.Effect<RemoteIssue, PlatformError> {
  return Effect.gen(function* () {
    const fields: Record<string, unknown> = {};
    if (patch.title !== undefined) fields.title = patch.title;
    if (patch.body !== undefined) fields.body = patch.body;
    if (patch.assignees !== undefined) fields.assignees = [...patch.assignees];
    const milestone = yield* milestoneNumber(ctx, repo, patch.milestone);
    if (milestone !== undefined) fields.milestone = milestone;
    if (patch.status !== undefined || patch.labels !== undefined) {
      let status = patch.status;
      let labels = patch.labels;
      if (status === undefined || labels === undefined) {
        const what = `reading issue #${number} of ${repo.path}`;
        const raw = yield* getRaw(ctx, repo, number, what);
        const current = yield* Effect.try({
          try: () => toRemoteIssue(raw, ctx.statusLabels, what),
          catch: (e) => e as PlatformError,
        });
        status ??= current.status;
        labels ??= current.labels;
      }
      const gh = toGitHubStatus(status, ctx.statusLabels);
      fields.labels = labelsForWrite(labels, status, ctx.statusLabels);
      fields.state = gh.state;
      if (gh.state === "closed") fields.state_reason = gh.state_reason;
    }
    if (Object.keys(fields).length === 0) {
      const got = yield* getIssue(ctx, repo, number);
      if (Option.isSome(got)) return got.value;
      return yield* Effect.fail(
        new PlatformError({
          reason: "NotFound",
          message: `Issue #${number} does not exist in ${repo.path}.`,
          status: 404,
        }),
      );
    }
    const updated = yield* patchRaw(ctx, repo, number, fields);
    return yield* settleCloseReason(ctx, repo, updated, patch.status);
  });
}
