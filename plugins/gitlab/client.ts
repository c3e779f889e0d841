/**
 * The GitLab `PlatformClient`: normalized operations over {@link GitLabApi}.
 *
 * - Issues are addressed by iid (`RemoteIssue.number`); `RemoteIssue.id` is GitLab's global id.
 * - Status is written with `state_event` and the status labels, in the same request as the labels.
 * - Milestones are given by title and resolved to their global id; assignees by username, resolved
 *   to user ids through `/users?username=` (both cached per client).
 * - `listChanged` pages on `updated_after` (inclusive) like a keyset; see {@link listChangedPages}.
 *
 * @module
 */
import { Effect, Option, Stream } from "effect";
import {
  type ChangedPage,
  type IssueDraft,
  type IssuePatch,
  type PlatformClient,
  PlatformError,
  type PluginEnv,
  type RemoteIssue,
  type RemoteMilestone,
  type RepoRef,
} from "../../src/platform/mod.ts";
import type { GitLabApi } from "./api.ts";
import { type ErrorContext, toPlatformError } from "./errors.ts";
import {
  asIssueJson,
  type GitLabIssueJson,
  isClosedStatus,
  labelsWithStatus,
  statusLabel,
  statusLabelNames,
  toRemoteIssue,
  toRemoteMilestone,
} from "./mapping.ts";
import { GitLabHttpError } from "./requester.ts";
import { droppedAssignees, keepsOneAssignee } from "./assignees.ts";

/** Issues per listing request (GitLab's maximum). */
export const PER_PAGE = 100;
/** How far before `since` `findByMarker` still reads recent issues (clock skew between hosts). */
export const MARKER_SKEW_MS = 5 * 60_000;
/** Most pages `findByMarker` reads in each of its two passes. */
export const MARKER_MAX_PAGES = 10;

/** The listing cursor: the `updated_after` to resume from. */
interface CursorState {
  readonly since: string | null;
}

/** Encodes a listing cursor. */
export function encodeCursor(since: string): string {
  return JSON.stringify({ since });
}

/** Decodes a listing cursor; undefined when it is not one of ours. */
export function decodeCursor(cursor: string | null): CursorState | undefined {
  if (cursor === null) return { since: null };
  try {
    const value = JSON.parse(cursor) as { since?: unknown };
    if (typeof value?.since === "string" && !Number.isNaN(Date.parse(value.since))) {
      return { since: value.since };
    }
  } catch { /* fall through */ }
  return undefined;
}

/** The search term for a marker: `<!-- forgesync:task=ID -->` → `forgesync:task=ID`. */
export function markerSearchTerm(marker: string): string {
  const term = marker.replace(/^\s*<!--\s*/, "").replace(/\s*-->\s*$/, "").trim();
  return term === "" ? marker : term;
}

/** Builds the client of one connection. */
export function makeGitLabClient(env: PluginEnv, api: GitLabApi, token: string): PlatformClient {
  const names = env.statusLabels;
  const statusNames = statusLabelNames(names);
  const userCache = new Map<string, number>();
  const milestoneCache = new Map<string, number>();
  // Set once the instance kept only the first of several assignees (GitLab Free): from then on,
  // this client sends only the first, as that is all the instance accepts.
  let oneAssignee = false;
  /** The assignees to send for `asked`. */
  const sendable = (asked: readonly string[]) => (oneAssignee ? asked.slice(0, 1) : asked);
  /** The issue, with a warning when it kept fewer assignees than `asked`. */
  const checked = (issue: RemoteIssue, asked: readonly string[] | undefined): RemoteIssue => {
    if (asked === undefined) return issue;
    if (keepsOneAssignee(asked, issue.assignees)) oneAssignee = true;
    const warning = droppedAssignees(asked, issue.assignees);
    return warning === null ? issue : { ...issue, warnings: [...(issue.warnings ?? []), warning] };
  };

  const ctx = (repo: RepoRef, action: string, notFound?: string): ErrorContext => ({
    action,
    project: repo.path,
    notFound,
    tokenVariable: env.tokenVariable,
    token,
  });
  const run = <A>(c: ErrorContext, f: () => Promise<A>): Effect.Effect<A, PlatformError> =>
    Effect.tryPromise({ try: f, catch: (e) => toPlatformError(e, c) });
  const invalid = (message: string, hint?: string) =>
    Effect.fail(new PlatformError({ reason: "Invalid", message, ...(hint ? { hint } : {}) }));
  const issueNotFound = (repo: RepoRef, n: number) =>
    `GitLab issue #${n} was not found in "${repo.path}" (deleted, moved, or never created).`;
  const remote = (c: ErrorContext, body: unknown): Effect.Effect<RemoteIssue, PlatformError> =>
    Effect.try({ try: () => toRemoteIssue(asIssueJson(body), names), catch: (e) => toPlatformError(e, c) });

  const userId = Effect.fn("GitLab.userId")(function* (repo: RepoRef, username: string) {
    const key = username.toLowerCase();
    const cached = userCache.get(key);
    if (cached !== undefined) return cached;
    const found = yield* run(ctx(repo, `look up the GitLab user "${username}"`), () => api.userIds(username));
    const user = found.find((u) => u.username.toLowerCase() === key);
    if (user === undefined) {
      return yield* invalid(
        `GitLab user "${username}" does not exist.`,
        "Assignees are GitLab usernames (the part after @), and must be members of the project.",
      );
    }
    userCache.set(key, user.id);
    return user.id;
  });

  const assigneeIds = (repo: RepoRef, usernames: readonly string[]) =>
    Effect.forEach(usernames, (u) => userId(repo, u));

  const milestoneId = Effect.fn("GitLab.milestoneId")(function* (repo: RepoRef, title: string) {
    const key = `${repo.path}\n${title}`;
    const cached = milestoneCache.get(key);
    if (cached !== undefined) return cached;
    const found = yield* run(
      ctx(repo, `look up the milestone "${title}" of "${repo.path}"`),
      () => api.milestones(repo.path, { title }),
    );
    const milestone = found.find((m) => m.title === title);
    if (milestone === undefined) {
      return yield* invalid(
        `GitLab milestone "${title}" does not exist in "${repo.path}".`,
        "Create it first (create_milestone), or give the title of an existing milestone.",
      );
    }
    milestoneCache.set(key, milestone.id);
    return milestone.id;
  });

  const checkLabels = (labels: readonly string[]) => {
    const bad = labels.find((l) => l.includes(","));
    return bad === undefined
      ? Effect.void
      : invalid(`The label "${bad}" contains a comma, which GitLab label names cannot hold.`);
  };

  const getIssue = (repo: RepoRef, n: number) => {
    const c = ctx(repo, `read issue #${n} of "${repo.path}"`, issueNotFound(repo, n));
    return run(c, async () => {
      try {
        return await api.showIssue(repo.path, n);
      } catch (error) {
        // "404 Issue Not Found" is an answer; "404 Project Not Found" is an error.
        if (
          error instanceof GitLabHttpError && error.status === 404 &&
          (error.body as { message?: unknown } | null)?.message !== "404 Project Not Found"
        ) return undefined;
        throw error;
      }
    }).pipe(
      Effect.flatMap((body) =>
        body === undefined ? Effect.succeed(Option.none()) : remote(c, body).pipe(Effect.map(Option.some))
      ),
    );
  };

  const listPage = (repo: RepoRef, action: string, query: Parameters<GitLabApi["listIssues"]>[1]) => {
    const c = ctx(repo, action);
    return run(c, () => api.listIssues(repo.path, query)).pipe(
      Effect.flatMap((page) =>
        Effect.try({
          try: () => ({ issues: page.data.map(asIssueJson), next: page.next }),
          catch: (e) => toPlatformError(e, c),
        })
      ),
    );
  };

  const client: PlatformClient = {
    verify: Effect.fn("GitLab.verify")(function* (repo: RepoRef) {
      const c = ctx(repo, `read the GitLab project "${repo.path}"`);
      const project = yield* run(c, () => api.project(repo.path));
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
        const scopes = yield* run(c, () => api.tokenScopes()).pipe(
          Effect.map((s): readonly string[] | undefined => s),
          Effect.catchIf(
            (e) => e.reason === "NotFound" || e.reason === "Unauthorized" || e.reason === "Forbidden",
            () => Effect.succeed(undefined),
          ),
        );
        if (scopes !== undefined && !scopes.includes("api")) canWrite = false;
      }
      return { path: project.path_with_namespace, url: project.web_url, can_write: canWrite };
    }),

    createIssue: Effect.fn("GitLab.createIssue")(function* (repo: RepoRef, draft: IssueDraft) {
      const c = ctx(repo, `create an issue in "${repo.path}"`);
      const status = draft.status ?? "open";
      const labels = labelsWithStatus(draft.labels ?? [], status, names);
      yield* checkLabels(labels);
      const fields: Record<string, unknown> = { description: draft.body };
      if (labels.length > 0) fields.labels = labels.join(",");
      if (draft.assignees !== undefined && draft.assignees.length > 0) {
        fields.assigneeIds = yield* assigneeIds(repo, sendable(draft.assignees));
      }
      if (draft.milestone !== undefined && draft.milestone !== null) {
        fields.milestoneId = yield* milestoneId(repo, draft.milestone);
      }
      let body = yield* run(c, () => api.createIssue(repo.path, draft.title, fields));
      if (isClosedStatus(status)) {
        // GitLab creates issues open: closing takes a second request. If it fails, the issue exists
        // (with its status label and marker) and the error says so; the core finds it by marker.
        const iid = (yield* remote(c, body)).number;
        body = yield* run(
          ctx(repo, `close the new issue #${iid} of "${repo.path}"`, issueNotFound(repo, iid)),
          () => api.editIssue(repo.path, iid, { stateEvent: "close" }),
        );
      }
      return checked(yield* remote(c, body), draft.assignees);
    }),

    updateIssue: Effect.fn("GitLab.updateIssue")(function* (repo: RepoRef, n: number, patch: IssuePatch) {
      const c = ctx(repo, `update issue #${n} of "${repo.path}"`, issueNotFound(repo, n));
      const fields: Record<string, unknown> = {};
      if (patch.title !== undefined) fields.title = patch.title;
      if (patch.body !== undefined) fields.description = patch.body;
      if (patch.assignees !== undefined) {
        fields.assigneeIds = yield* assigneeIds(repo, sendable(patch.assignees));
      }
      if (patch.milestone !== undefined) {
        fields.milestoneId = patch.milestone === null ? 0 : yield* milestoneId(repo, patch.milestone);
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
          fields.removeLabels = statusNames.filter((l) => l !== label).join(",");
        }
      } else if (patch.labels !== undefined) {
        // Labels without status (the core sends both together; this keeps a stray call honest):
        // keep whatever status label the issue carries.
        yield* checkLabels(patch.labels);
        const current = yield* getIssue(repo, n);
        if (Option.isNone(current)) {
          return yield* Effect.fail(
            new PlatformError({ reason: "NotFound", status: 404, message: issueNotFound(repo, n) }),
          );
        }
        fields.labels = labelsWithStatus(patch.labels, current.value.status, names).join(",");
      }
      if (Object.keys(fields).length === 0) {
        const current = yield* getIssue(repo, n);
        if (Option.isNone(current)) {
          return yield* Effect.fail(
            new PlatformError({ reason: "NotFound", status: 404, message: issueNotFound(repo, n) }),
          );
        }
        return current.value;
      }
      const body = yield* run(c, () => api.editIssue(repo.path, n, fields));
      return checked(yield* remote(c, body), patch.assignees);
    }),

    getIssue: (repo, n) => getIssue(repo, n),

    listChanged: (repo, cursor) =>
      listChangedPages(
        repo,
        cursor,
        (query) =>
          listPage(repo, `list the issues changed in "${repo.path}"`, query).pipe(
            Effect.map((page) => ({
              issues: page.issues.map((i) => toRemoteIssue(i, names)),
              next: page.next,
            })),
          ),
      ),

    findByMarker: Effect.fn("GitLab.findByMarker")(
      function* (repo: RepoRef, marker: string, since: string | null) {
        const action = `look for the issue marked ${markerSearchTerm(marker)} in "${repo.path}"`;
        const pick = (found: readonly GitLabIssueJson[]) =>
          found.length === 0
            ? Option.none<RemoteIssue>()
            : Option.some(toRemoteIssue(found.reduce((a, b) => (b.iid < a.iid ? b : a)), names));
        // 1. Recent issues, newest first, read directly (search indexes lag behind writes).
        const cutoff = since === null ? null : Date.parse(since) - MARKER_SKEW_MS;
        const recent: GitLabIssueJson[] = [];
        for (let page = 1; page <= (cutoff === null ? 1 : MARKER_MAX_PAGES); page++) {
          const result = yield* listPage(repo, action, {
            state: "all",
            orderBy: "created_at",
            sort: "desc",
            perPage: PER_PAGE,
            page,
          });
          let older = false;
          for (const issue of result.issues) {
            if (cutoff !== null && Date.parse(issue.created_at) < cutoff) {
              older = true;
              break;
            }
            if ((issue.description ?? "").includes(marker)) recent.push(issue);
          }
          if (older || result.next === null) break;
        }
        if (recent.length > 0) return pick(recent);
        // 2. Older issues through search, confirmed by their body.
        const found: GitLabIssueJson[] = [];
        for (let page = 1; page <= MARKER_MAX_PAGES; page++) {
          const result = yield* listPage(repo, action, {
            state: "all",
            search: markerSearchTerm(marker),
            in: "description",
            orderBy: "created_at",
            sort: "asc",
            perPage: PER_PAGE,
            page,
          });
          found.push(...result.issues.filter((i) => (i.description ?? "").includes(marker)));
          if (found.length > 0 || result.next === null) break;
        }
        return pick(found);
      },
    ),

    listMilestones: Effect.fn("GitLab.listMilestones")(function* (repo: RepoRef) {
      const found = yield* run(
        ctx(repo, `list the milestones of "${repo.path}"`),
        () => api.milestones(repo.path, {}),
      );
      return found.map(toRemoteMilestone);
    }),

    createMilestone: Effect.fn("GitLab.createMilestone")(function* (repo, draft) {
      const fields: Record<string, unknown> = {};
      if (draft.description !== undefined) fields.description = draft.description;
      if (draft.due_on !== undefined && draft.due_on !== null) fields.dueDate = draft.due_on;
      const created = yield* run(
        ctx(repo, `create the milestone "${draft.title}" in "${repo.path}"`),
        () => api.createMilestone(repo.path, draft.title, fields),
      );
      milestoneCache.set(`${repo.path}\n${created.title}`, created.id);
      return toRemoteMilestone(created);
    }),

    closeMilestone: Effect.fn("GitLab.closeMilestone")(function* (repo: RepoRef, id: string) {
      if (!/^\d+$/.test(id)) {
        return yield* invalid(`"${id}" is not a GitLab milestone id (the global numeric id is expected).`);
      }
      const closed = yield* run(
        ctx(
          repo,
          `close the milestone ${id} of "${repo.path}"`,
          `GitLab milestone ${id} was not found in "${repo.path}".`,
        ),
        () => api.editMilestone(repo.path, Number(id), { stateEvent: "close" }),
      );
      return toRemoteMilestone(closed) satisfies RemoteMilestone;
    }),

    createRelease: Effect.fn("GitLab.createRelease")(function* (repo, draft) {
      const c = ctx(repo, `create the release "${draft.tag}" in "${repo.path}"`);
      // GitLab needs a ref to create a missing tag: default to the project's default branch.
      const ref = draft.ref ?? (yield* run(c, () => api.project(repo.path))).default_branch ?? undefined;
      const fields: Record<string, unknown> = {
        tagName: draft.tag,
        name: draft.name,
        description: draft.body,
      };
      if (ref !== undefined) fields.ref = ref;
      if (draft.milestone !== undefined && draft.milestone !== null) fields.milestones = [draft.milestone];
      // A release of the tag that already exists (409) is that release: a create whose answer was
      // lost landed (GitLab keeps one release per tag), and it is read back rather than refused.
      const release = yield* run(c, () => api.createRelease(repo.path, fields)).pipe(
        Effect.catchIf(
          (e) => e.status === 409,
          (refused) =>
            run(
              ctx(repo, `read the release "${draft.tag}" of "${repo.path}"`),
              () => api.release(repo.path, draft.tag),
            )
              .pipe(Effect.catch(() => Effect.fail(refused))),
        ),
      );
      return {
        tag: release.tag_name,
        name: release.name ?? draft.name,
        body: release.description ?? "",
        url: release._links?.self ?? null,
      };
    }),
  };
  return client;
}

/**
 * Lists changed issues as one `ChangedPage` per response, oldest change first:
 * `GET /projects/:id/issues?state=all&order_by=updated_at&sort=asc&per_page=100[&updated_after=S]`.
 *
 * Paging is keyset-like on `updated_after` (inclusive): when a page has a next page, let T be the
 * `updated_at` of its last issue; if T > S the next request is `updated_after=T` from page 1
 * (issues updated exactly at T repeat; that is allowed), else (T = S, or over a quarter of the page
 * stamped T, which a jump would list again) the next page number. The cursor of a page with a next page is T. The cursor of the last page is the
 * request's S when the page was not full (nothing later exists yet), else T.
 */
export function listChangedPages(
  repo: RepoRef,
  cursor: string | null,
  fetchPage: (
    query: Parameters<GitLabApi["listIssues"]>[1],
  ) => Effect.Effect<{ issues: readonly RemoteIssue[]; next: number | null }, PlatformError>,
): Stream.Stream<ChangedPage, PlatformError> {
  const start = decodeCursor(cursor);
  if (start === undefined) {
    return Stream.fail(
      new PlatformError({
        reason: "Invalid",
        message: `The listing cursor ${JSON.stringify(cursor)} of "${repo.path}" is not a GitLab cursor.`,
        hint: "Reset the repository's cursor to list every issue again.",
      }),
    );
  }
  return Stream.paginate({ since: start.since, page: 1 }, (s) =>
    fetchPage({
      state: "all",
      orderBy: "updated_at",
      sort: "asc",
      perPage: PER_PAGE,
      page: s.page,
      ...(s.since === null ? {} : { updatedAfter: s.since }),
    }).pipe(
      Effect.map(({ issues, next }) => {
        const last = issues[issues.length - 1];
        if (next !== null && last !== undefined) {
          const t = last.updated_at;
          // Jumping to updated_after=T re-lists the issues stamped T: only while they are few.
          let stampedT = 0;
          while (
            stampedT < issues.length &&
            Date.parse(issues[issues.length - 1 - stampedT]!.updated_at) === Date.parse(t)
          ) {
            stampedT++;
          }
          const jump = (s.since === null || Date.parse(t) > Date.parse(s.since)) && stampedT <= PER_PAGE / 4;
          const following = jump ? { since: t, page: 1 } : { since: s.since, page: s.page + 1 };
          return [[{ issues, cursor: encodeCursor(t) }], Option.some(following)] as const;
        }
        const since = last !== undefined && issues.length >= PER_PAGE ? last.updated_at : s.since;
        return [[{ issues, cursor: since === null ? null : encodeCursor(since) }], Option.none()] as const;
      }),
    ));
}
