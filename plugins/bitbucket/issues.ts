/**
 * Issues on Bitbucket Cloud: `verify`, `createIssue`, `updateIssue`, `getIssue`.
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
import type {
  IssueDraft,
  IssuePatch,
  PlatformError,
  RemoteIssue,
  RepoInfo,
  RepoRef,
} from "../../src/platform/mod.ts";
import { type BitbucketClient, type Paged, type Subject, webUrl } from "./client.ts";
import { notFoundKind, trackerOffError } from "./errors.ts";
import { bbqlString } from "./listing.ts";
import { type BitbucketIssue, issueBody, toRemoteIssue } from "./mapping.ts";

interface RepositoryJson {
  readonly full_name?: string;
  readonly has_issues?: boolean;
  readonly links?: { readonly html?: { readonly href?: string } };
}

interface PermissionJson {
  readonly permission?: string;
}

const issueSubject = (repo: RepoRef, number: number): Subject => ({
  repo: repo.path,
  what: `issue #${number}`,
});

/** The normalized issue of an answer's body; fails on a malformed one. */
function one(body: unknown, repo: RepoRef): Effect.Effect<RemoteIssue, PlatformError> {
  const mapped = toRemoteIssue(body as BitbucketIssue, webUrl(repo));
  return "error" in mapped ? Effect.fail(mapped.error) : Effect.succeed(mapped.issue);
}

/** Checks the repository and its tracker, and whether the token may write issues. */
export function verify(client: BitbucketClient, repo: RepoRef): Effect.Effect<RepoInfo, PlatformError> {
  return Effect.gen(function* () {
    const { body, headers } = yield* client.request<RepositoryJson | null>("GET", client.repoUrl(repo), {
      repo: repo.path,
    });
    if (body?.has_issues === false) return yield* Effect.fail(trackerOffError(repo.path, "Invalid"));
    let canWrite = true;
    if (client.authMode === "bearer") {
      // Access tokens: the granted scopes come back in `x-oauth-scopes`.
      const scopes = headers.get("x-oauth-scopes");
      if (scopes !== null) canWrite = scopes.split(/[\s,]+/).includes("issue:write");
    } else {
      // API tokens act as their user: ask for the user's permission on the repository.
      const url = client.url("/user/permissions/repositories", {
        q: `repository.full_name = ${bbqlString(repo.path)}`,
      });
      const permissions = yield* Effect.result(
        client.request<Paged<PermissionJson> | null>("GET", url, {
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
    return { path: repo.path, url: body?.links?.html?.href ?? webUrl(repo), can_write: canWrite };
  });
}

/** Creates an issue. */
export function createIssue(
  client: BitbucketClient,
  repo: RepoRef,
  draft: IssueDraft,
): Effect.Effect<RemoteIssue, PlatformError> {
  return Effect.gen(function* () {
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
    const { body } = yield* client.request<unknown>("POST", client.repoUrl(repo, "/issues"), {
      repo: repo.path,
      what: `a new issue`,
    }, built.body);
    return yield* one(body, repo);
  });
}

/** Changes the fields of `patch` (absent ones are left alone), in one request. */
export function updateIssue(
  client: BitbucketClient,
  repo: RepoRef,
  number: number,
  patch: IssuePatch,
): Effect.Effect<RemoteIssue, PlatformError> {
  return Effect.gen(function* () {
    const built = issueBody(patch, repo.path);
    if ("error" in built) return yield* Effect.fail(built.error);
    const url = client.repoUrl(repo, `/issues/${number}`);
    const method = Object.keys(built.body).length === 0 ? "GET" : "PUT";
    const { body } = yield* client.request<unknown>(
      method,
      url,
      issueSubject(repo, number),
      method === "PUT" ? built.body : undefined,
    );
    return yield* one(body, repo);
  });
}

/** The issue, or none when it does not exist; a missing repository or a tracker that is off fails. */
export function getIssue(
  client: BitbucketClient,
  repo: RepoRef,
  number: number,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  return Effect.gen(function* () {
    const answer = yield* client.send("GET", client.repoUrl(repo, `/issues/${number}`));
    if (answer.status === 404 && notFoundKind(answer.body) === "other") return Option.none();
    if (answer.status < 200 || answer.status >= 300) {
      return yield* Effect.fail(client.failure(answer, issueSubject(repo, number)));
    }
    return Option.some(yield* one(answer.body, repo));
  });
}
