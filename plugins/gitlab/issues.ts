/**
 * Issues on GitLab: `verify`, `createIssue`, `updateIssue`, `getIssue`. Issues are addressed by
 * iid (`RemoteIssue.number`); `RemoteIssue.id` is GitLab's global id. Status is written with
 * `state_event` and the status labels, in the same request as the labels; milestones are given by
 * title, assignees by username (`milestones.ts`, `assignees.ts` resolve them).
 *
 * @module
 */
import { Effect, Option } from "effect";
import {
  type IssueDraft,
  type IssuePatch,
  PlatformError,
  type RemoteIssue,
  type RepoInfo,
  type RepoRef,
} from "../../src/platform/mod.ts";
import { assigneeIds, checkAssignees } from "./assignees.ts";
import { context, decode, type GitLabClient, invalid, issueNotFound, run } from "./client.ts";
import type { ErrorContext } from "./errors.ts";
import {
  asIssueJson,
  isClosedStatus,
  labelsWithStatus,
  statusLabel,
  statusLabelNames,
  toRemoteIssue,
} from "./mapping.ts";
import { milestoneId } from "./milestones.ts";
import { GitLabHttpError } from "./requester.ts";

/** The issue of an answer's body. */
export const remoteIssue = (
  client: GitLabClient,
  c: ErrorContext,
  body: unknown,
): Effect.Effect<RemoteIssue, PlatformError> =>
  decode(c, () => toRemoteIssue(asIssueJson(body), client.statusLabels));

const checkLabels = (labels: readonly string[]) => {
  const bad = labels.find((l) => l.includes(","));
  return bad === undefined
    ? Effect.void
    : invalid(`The label "${bad}" contains a comma, which GitLab label names cannot hold.`);
};

/** Checks the project, that it has issues, and whether the token may write them. */
export function verify(client: GitLabClient, repo: RepoRef): Effect.Effect<RepoInfo, PlatformError> {
  return Effect.gen(function* () {
    const c = context(client, repo, `read the GitLab project "${repo.path}"`);
    const project = yield* run(c, () => client.api.project(repo.path));
    if (project.issues_enabled === false) {
      return yield* invalid(
        `Issues are disabled in the GitLab project "${project.path_with_namespace}".`,
        "Enable them in the project's Settings → General → Visibility, project features, permissions.",
      );
    }
    const level = Math.max(
      project.permissions?.project_access?.access_level ?? 0,
      project.permissions?.group_access?.access_level ?? 0,
    );
    let canWrite = level >= 20;
    if (canWrite) {
      // Best effort: a personal access token says its scopes; OAuth tokens answer 404.
      const scopes = yield* run(c, () => client.api.tokenScopes()).pipe(
        Effect.map((s): readonly string[] | undefined => s),
        Effect.catchIf(
          (e) => e.reason === "NotFound" || e.reason === "Unauthorized" || e.reason === "Forbidden",
          () => Effect.succeed(undefined),
        ),
      );
      if (scopes !== undefined && !scopes.includes("api")) canWrite = false;
    }
    return { path: project.path_with_namespace, url: project.web_url, can_write: canWrite };
  });
}

/** The issue, or none when it does not exist ("404 Issue Not Found" is an answer; a missing project fails). */
export function getIssue(
  client: GitLabClient,
  repo: RepoRef,
  n: number,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  const c = context(client, repo, `read issue #${n} of "${repo.path}"`, issueNotFound(repo, n));
  return run(c, async () => {
    try {
      return await client.api.showIssue(repo.path, n);
    } catch (error) {
      if (
        error instanceof GitLabHttpError && error.status === 404 &&
        (error.body as { message?: unknown } | null)?.message !== "404 Project Not Found"
      ) return undefined;
      throw error;
    }
  }).pipe(
    Effect.flatMap((body) =>
      body === undefined
        ? Effect.succeed(Option.none())
        : remoteIssue(client, c, body).pipe(Effect.map(Option.some))
    ),
  );
}

/** The issue as it is, failing `NotFound` when it is not there. */
const current = (client: GitLabClient, repo: RepoRef, n: number) =>
  getIssue(client, repo, n).pipe(
    Effect.flatMap((found) =>
      Option.isSome(found)
        ? Effect.succeed(found.value)
        : Effect.fail(new PlatformError({ reason: "NotFound", status: 404, message: issueNotFound(repo, n) }))
    ),
  );

/** Creates an issue; a closed status takes a second request (GitLab creates issues open). */
export function createIssue(
  client: GitLabClient,
  repo: RepoRef,
  draft: IssueDraft,
): Effect.Effect<RemoteIssue, PlatformError> {
  return Effect.gen(function* () {
    const c = context(client, repo, `create an issue in "${repo.path}"`);
    const status = draft.status ?? "open";
    const labels = labelsWithStatus(draft.labels ?? [], status, client.statusLabels);
    yield* checkLabels(labels);
    const fields: Record<string, unknown> = { description: draft.body };
    if (labels.length > 0) fields.labels = labels.join(",");
    if (draft.assignees !== undefined && draft.assignees.length > 0) {
      fields.assigneeIds = yield* assigneeIds(client, repo, draft.assignees);
    }
    if (draft.milestone !== undefined && draft.milestone !== null) {
      fields.milestoneId = yield* milestoneId(client, repo, draft.milestone);
    }
    let body = yield* run(c, () => client.api.createIssue(repo.path, draft.title, fields));
    if (isClosedStatus(status)) {
      // If closing fails, the issue exists (with its status label and marker) and the error says
      // so; the core finds it by its marker.
      const iid = (yield* remoteIssue(client, c, body)).number;
      body = yield* run(
        context(client, repo, `close the new issue #${iid} of "${repo.path}"`, issueNotFound(repo, iid)),
        () => client.api.editIssue(repo.path, iid, { stateEvent: "close" }),
      );
    }
    return checkAssignees(client, yield* remoteIssue(client, c, body), draft.assignees);
  });
}

/** Changes the fields of `patch` (absent ones are left alone), in one request. */
export function updateIssue(
  client: GitLabClient,
  repo: RepoRef,
  n: number,
  patch: IssuePatch,
): Effect.Effect<RemoteIssue, PlatformError> {
  return Effect.gen(function* () {
    const names = client.statusLabels;
    const c = context(client, repo, `update issue #${n} of "${repo.path}"`, issueNotFound(repo, n));
    const fields: Record<string, unknown> = {};
    if (patch.title !== undefined) fields.title = patch.title;
    if (patch.body !== undefined) fields.description = patch.body;
    if (patch.assignees !== undefined) fields.assigneeIds = yield* assigneeIds(client, repo, patch.assignees);
    if (patch.milestone !== undefined) {
      fields.milestoneId = patch.milestone === null ? 0 : yield* milestoneId(client, repo, patch.milestone);
    }
    if (patch.status !== undefined) {
      fields.stateEvent = isClosedStatus(patch.status) ? "close" : "reopen";
      if (patch.labels !== undefined) {
        const labels = labelsWithStatus(patch.labels, patch.status, names);
        yield* checkLabels(labels);
        fields.labels = labels.join(",");
      } else {
        const label = statusLabel(patch.status, names);
        if (label !== null) fields.addLabels = label;
        fields.removeLabels = statusLabelNames(names).filter((l) => l !== label).join(",");
      }
    } else if (patch.labels !== undefined) {
      // Labels without status (the core sends both together; this keeps a stray call honest):
      // keep whatever status label the issue carries.
      yield* checkLabels(patch.labels);
      const now = yield* current(client, repo, n);
      fields.labels = labelsWithStatus(patch.labels, now.status, names).join(",");
    }
    if (Object.keys(fields).length === 0) return yield* current(client, repo, n);
    const body = yield* run(c, () => client.api.editIssue(repo.path, n, fields));
    return checkAssignees(client, yield* remoteIssue(client, c, body), patch.assignees);
  });
}
