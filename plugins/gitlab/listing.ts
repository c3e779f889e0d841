/**
 * Incremental listing of GitLab issues (`listChanged`): the contract's keyset listing
 * (`keysetListing`, with its cursor rules) over
 * `GET /projects/:id/issues?state=all&order_by=updated_at&sort=asc&per_page=100[&updated_after=S]`
 * (`updated_after` is inclusive), following `page` numbers when the keyset cannot move on. Cursors
 * are the contract's `{"since": "<updated_at>"}`; a cursor the plugin cannot read fails `Invalid`.
 *
 * @module
 */
import { Effect, Stream } from "effect";
import {
  type ChangedPage,
  decodeCursor,
  foreignCursorError,
  keysetListing,
  type PlatformError,
  type RepoRef,
} from "../../src/platform/mod.ts";
import type { IssueQuery } from "./api.ts";
import { context, decode, type GitLabClient, PER_PAGE, run } from "./client.ts";
import { asIssueJson, type GitLabIssueJson, toRemoteIssue } from "./mapping.ts";

/** One page of an issue listing, its issues read. */
export function listPage(
  client: GitLabClient,
  repo: RepoRef,
  action: string,
  query: IssueQuery,
): Effect.Effect<{ issues: GitLabIssueJson[]; next: number | null }, PlatformError> {
  const c = context(client, repo, action);
  return run(c, () => client.api.listIssues(repo.path, query)).pipe(
    Effect.flatMap((page) => decode(c, () => ({ issues: page.data.map(asIssueJson), next: page.next }))),
  );
}

/** Issues of `repo` changed since `cursor`, one {@link ChangedPage} per answer, oldest first. */
export function listChanged(
  client: GitLabClient,
  repo: RepoRef,
  cursor: string | null,
): Stream.Stream<ChangedPage, PlatformError> {
  const start = decodeCursor(cursor);
  if (start === undefined) return Stream.fail(foreignCursorError("GitLab", repo.path, cursor ?? ""));
  const action = `list the issues changed in "${repo.path}"`;
  return keysetListing<number>({
    since: start.since,
    pageSize: PER_PAGE,
    fetchPage: (step) =>
      listPage(client, repo, action, {
        state: "all",
        orderBy: "updated_at",
        sort: "asc",
        perPage: PER_PAGE,
        page: step.next ?? 1,
        ...(step.since === null ? {} : { updatedAfter: step.since }),
      }).pipe(Effect.map((page) => ({
        issues: page.issues.map((i) => toRemoteIssue(i, client.statusLabels)),
        next: page.next,
      }))),
  });
}
