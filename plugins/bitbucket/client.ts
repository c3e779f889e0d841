/**
 * The Bitbucket Cloud {@link PlatformClient}: issues, incremental listing, marker search,
 * (read-only) milestones and tags over the REST API 2.0.
 *
 * Status changes are written with `PUT …/issues/{id}` `{state}` rather than
 * `POST …/issues/{id}/changes`: PUT changes the state together with every other changed field in
 * ONE request and answers with the whole updated issue (its new `updated_on` included), which is
 * what `updateIssue` must return; the changes endpoint answers with a change record, so it would
 * cost a second request to read the issue back, and a separate write for the other fields.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import {
  type IssueDraft,
  type IssuePatch,
  type PlatformClient,
  PlatformError,
  type RemoteIssue,
  type RemoteMilestone,
  type RemoteTag,
  type RepoInfo,
  type RepoRef,
  type TagDraft,
} from "../../src/platform/mod.ts";
import { type BitbucketHttp, notFoundKind, type Paged, type Subject, trackerOffError } from "./http.ts";
import { bbqlString, listChanged, PAGE_SIZE, pageIssues } from "./listing.ts";
import { type BitbucketIssue, issueBody, toRemoteIssue } from "./mapping.ts";
import { normalizeTimestamp } from "../../src/platform/time.ts";

/** The web address of a repository on bitbucket.org (used when an answer lacks its own link). */
const webUrl = (repo: RepoRef) => `https://bitbucket.org/${repo.path}`;

interface RepositoryJson {
  readonly full_name?: string;
  readonly has_issues?: boolean;
  readonly links?: { readonly html?: { readonly href?: string } };
}

interface PermissionJson {
  readonly permission?: string;
}

/** The text of a marker that BBQL's `~` (contains) looks for: the marker without `<!--`/`-->`. */
export function markerNeedle(marker: string): string {
  const inner = /^<!--\s*(.*?)\s*-->$/s.exec(marker.trim());
  return inner?.[1] ?? marker.trim();
}

function one(
  body: unknown,
  repo: RepoRef,
): Effect.Effect<RemoteIssue, PlatformError> {
  const mapped = toRemoteIssue(body as BitbucketIssue, webUrl(repo));
  return "error" in mapped ? Effect.fail(mapped.error) : Effect.succeed(mapped.issue);
}

interface TagJson {
  readonly name?: string;
  readonly target?: { readonly hash?: string };
  readonly links?: { readonly html?: { readonly href?: string } };
}

function toRemoteTag(body: TagJson | null, draft: TagDraft): RemoteTag {
  return {
    name: body?.name ?? draft.name,
    target: body?.target?.hash ?? draft.target,
    url: body?.links?.html?.href ?? null,
  };
}

/**
 * Creates a tag: `POST …/refs/tags {name, target: {hash}}`. A tag that already exists on the same
 * commit is the tag asked for (a retried create whose first answer was lost), not a failure.
 */
function createTag(http: BitbucketHttp, repo: RepoRef, draft: TagDraft) {
  return Effect.gen(function* () {
    const subject = { repo: repo.path, what: `tag "${draft.name}"` };
    const tags = `${http.repoPath(repo.path)}/refs/tags`;
    const answer = yield* http.send("POST", http.url(tags), {
      name: draft.name,
      target: { hash: draft.target },
    });
    if (answer.status >= 200 && answer.status < 300) return toRemoteTag(answer.body as TagJson | null, draft);
    const failure = http.failure(answer, subject);
    if (answer.status !== 400 || !/already exists/i.test(JSON.stringify(answer.body ?? ""))) {
      return yield* Effect.fail(failure);
    }
    const existing = yield* http.request<TagJson | null>(
      "GET",
      http.url(`${tags}/${encodeURIComponent(draft.name)}`),
      subject,
    );
    const hash = existing.body?.target?.hash ?? "";
    if (hash === "" || !hash.startsWith(draft.target.toLowerCase())) {
      return yield* Effect.fail(
        new PlatformError({
          reason: "Invalid",
          status: 400,
          message: `Tag "${draft.name}" already exists in ${repo.path} on another commit (${
            hash.slice(0, 12)
          }).`,
          hint: "Choose another tag name, or delete the tag on Bitbucket first.",
        }),
      );
    }
    return toRemoteTag(existing.body, draft);
  });
}

/** Builds the client over an adapter. */
export function makeBitbucketClient(http: BitbucketHttp): PlatformClient {
  const issuesUrl = (repo: RepoRef, query: Record<string, string | number | undefined> = {}) =>
    http.url(`${http.repoPath(repo.path)}/issues`, query);
  const issueSubject = (repo: RepoRef, number: number): Subject => ({
    repo: repo.path,
    what: `issue #${number}`,
  });

  const getIssue = (repo: RepoRef, number: number) =>
    Effect.gen(function* () {
      const answer = yield* http.send("GET", http.url(`${http.repoPath(repo.path)}/issues/${number}`));
      if (answer.status === 404) {
        const kind = notFoundKind(answer.body);
        // Only a missing issue is "none": a missing repository or a tracker that is off is an error.
        if (kind === "other") return Option.none<RemoteIssue>();
        return yield* Effect.fail(http.failure(answer, issueSubject(repo, number)));
      }
      if (answer.status < 200 || answer.status >= 300) {
        return yield* Effect.fail(http.failure(answer, issueSubject(repo, number)));
      }
      return Option.some(yield* one(answer.body, repo));
    });

  /** Scans the issues a query selects, in order, for the lowest-numbered one whose body has `marker`. */
  const scan = (repo: RepoRef, query: Record<string, string | number>, marker: string, firstOnly: boolean) =>
    Effect.gen(function* () {
      const subject = { repo: repo.path, what: `the issues of ${repo.path}` };
      let url: string | null = issuesUrl(repo, { ...query, pagelen: PAGE_SIZE });
      let found: RemoteIssue | undefined;
      while (url !== null) {
        const { body }: { body: Paged<BitbucketIssue> | null } = yield* http.request<
          Paged<BitbucketIssue> | null
        >("GET", url, subject);
        for (const issue of yield* pageIssues(body, webUrl(repo))) {
          if (issue.body.includes(marker) && (found === undefined || issue.number < found.number)) {
            found = issue;
          }
        }
        if (found !== undefined && firstOnly) break;
        url = typeof body?.next === "string" ? yield* http.nextUrl(body.next) : null;
      }
      return Option.fromNullishOr(found);
    });

  return {
    verify: (repo: RepoRef) =>
      Effect.gen(function* () {
        const { body, headers } = yield* http.request<RepositoryJson | null>(
          "GET",
          http.url(http.repoPath(repo.path)),
          { repo: repo.path },
        );
        if (body?.has_issues === false) return yield* Effect.fail(trackerOffError(repo.path, "Invalid"));
        let canWrite = true;
        if (http.authMode === "bearer") {
          // Access tokens: the granted scopes come back in `x-oauth-scopes`.
          const scopes = headers.get("x-oauth-scopes");
          if (scopes !== null) canWrite = scopes.split(/[\s,]+/).includes("issue:write");
        } else {
          // API tokens act as their user: ask for the user's permission on the repository.
          const url = http.url("/user/permissions/repositories", {
            q: `repository.full_name = ${bbqlString(repo.path)}`,
          });
          const permissions = yield* Effect.result(
            http.request<Paged<PermissionJson> | null>("GET", url, {
              repo: repo.path,
              what: "the permissions",
            }),
          );
          if (Result.isSuccess(permissions)) {
            const values = permissions.success.body?.values ?? [];
            canWrite = values.some((v) => v.permission === "write" || v.permission === "admin");
          } else if (!["Unauthorized", "Forbidden"].includes(permissions.failure.reason)) {
            return yield* Effect.fail(permissions.failure);
          }
        }
        const info: RepoInfo = {
          path: repo.path,
          url: body?.links?.html?.href ?? webUrl(repo),
          can_write: canWrite,
        };
        return info;
      }),

    createIssue: (repo: RepoRef, draft: IssueDraft) =>
      Effect.gen(function* () {
        const built = issueBody({
          title: draft.title,
          body: draft.body,
          status: draft.status,
          labels: draft.labels,
          // A new issue has no assignee: say nothing rather than `null`, which Bitbucket's
          // description of a create does not admit (null clears a field on update only).
          assignees: draft.assignees?.length === 0 ? undefined : draft.assignees,
          milestone: draft.milestone ?? undefined,
        }, repo.path);
        if ("error" in built) return yield* Effect.fail(built.error);
        const { body } = yield* http.request<unknown>("POST", issuesUrl(repo), {
          repo: repo.path,
          what: `a new issue`,
        }, built.body);
        return yield* one(body, repo);
      }),

    updateIssue: (repo: RepoRef, number: number, patch: IssuePatch) =>
      Effect.gen(function* () {
        const built = issueBody(patch, repo.path);
        if ("error" in built) return yield* Effect.fail(built.error);
        const url = http.url(`${http.repoPath(repo.path)}/issues/${number}`);
        if (Object.keys(built.body).length === 0) {
          const { body } = yield* http.request<unknown>("GET", url, issueSubject(repo, number));
          return yield* one(body, repo);
        }
        const { body } = yield* http.request<unknown>("PUT", url, issueSubject(repo, number), built.body);
        return yield* one(body, repo);
      }),

    getIssue,

    listChanged: (repo: RepoRef, cursor: string | null) => listChanged(http, repo, cursor, webUrl(repo)),

    findByMarker: (repo: RepoRef, marker: string, since: string | null) =>
      Effect.gen(function* () {
        // Recent issues first, read directly (newest first, from the time of the attempt).
        const from = since === null ? undefined : normalizeTimestamp(since);
        if (from !== undefined) {
          const recent = yield* scan(
            repo,
            {
              q: `created_on >= ${bbqlString(from)}`,
              sort: "-created_on",
            },
            marker,
            false,
          );
          if (Option.isSome(recent)) return recent;
        }
        // Then every issue whose body contains the marker's text, confirmed on the body.
        return yield* scan(
          repo,
          {
            q: `content.raw ~ ${bbqlString(markerNeedle(marker))}`,
            sort: "created_on",
          },
          marker,
          true,
        );
      }),

    createTag: (repo: RepoRef, draft: TagDraft) => createTag(http, repo, draft),

    listMilestones: (repo: RepoRef) =>
      http.all<{ id?: number; name?: string }>(
        http.url(`${http.repoPath(repo.path)}/milestones`, { pagelen: PAGE_SIZE }),
        { repo: repo.path, what: `the milestones of ${repo.path}` },
      ).pipe(
        Effect.map((values) =>
          values.map((m): RemoteMilestone => ({
            id: String(m.id ?? m.name ?? ""),
            title: m.name ?? "",
            // Bitbucket milestones have no state, description or due date.
            state: "open",
            description: "",
            due_on: null,
            url: null,
          }))
        ),
      ),
  };
}
