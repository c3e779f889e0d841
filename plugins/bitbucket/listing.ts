/**
 * Incremental listing of Bitbucket issues (`listChanged`): the contract's keyset listing
 * (`keysetListing`, with its cursor rules) over `q=updated_on >= "S"&sort=updated_on&pagelen=100`
 * (every issue when there is no S yet), following Bitbucket's `next` links when the keyset cannot
 * move on. Cursors are the contract's `{"since": "<updated_on>"}`, keeping Bitbucket's
 * microseconds; a cursor the plugin cannot read fails `Invalid`.
 *
 * @module
 */
import { Effect, Stream } from "effect";
import {
  type ChangedPage,
  decodeCursor,
  foreignCursorError,
  keysetListing,
  PlatformError,
  type RemoteIssue,
  type RepoRef,
} from "../../src/platform/mod.ts";
import { type BitbucketClient, PAGE_SIZE, type Paged, webUrl } from "./client.ts";
import { type BitbucketIssue, toRemoteIssue } from "./mapping.ts";

/** BBQL string literal. */
export function bbqlString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Turns a page of issue JSON into normalized issues, failing on a malformed page. */
export function pageIssues(
  body: Paged<BitbucketIssue> | null,
  repoHtml: string,
): Effect.Effect<RemoteIssue[], PlatformError> {
  if (body === null || typeof body !== "object" || !Array.isArray(body.values)) {
    return Effect.fail(
      new PlatformError({
        reason: "Transient",
        message: "Bitbucket answered a listing without its values.",
        hint:
          "This is usually a proxy or an outage between forgesync and Bitbucket; the next attempt may work.",
      }),
    );
  }
  const issues: RemoteIssue[] = [];
  for (const value of body.values) {
    const mapped = toRemoteIssue(value, repoHtml);
    if ("error" in mapped) return Effect.fail(mapped.error);
    issues.push(mapped.issue);
  }
  return Effect.succeed(issues);
}

/** Issues of `repo` changed since `cursor`, one {@link ChangedPage} per answer, oldest first. */
export function listChanged(
  client: BitbucketClient,
  repo: RepoRef,
  cursor: string | null,
): Stream.Stream<ChangedPage, PlatformError> {
  const start = decodeCursor(cursor);
  if (start === undefined) return Stream.fail(foreignCursorError("Bitbucket", repo.path, cursor ?? ""));
  const subject = { repo: repo.path, what: `the issues of ${repo.path}` };
  return keysetListing<string>({
    since: start.since,
    pageSize: PAGE_SIZE,
    fetchPage: (step) =>
      Effect.gen(function* () {
        const url = step.next !== null ? yield* client.nextUrl(step.next) : client.repoUrl(repo, "/issues", {
          q: step.since === null ? undefined : `updated_on >= ${bbqlString(step.since)}`,
          sort: "updated_on",
          pagelen: PAGE_SIZE,
        });
        const { body } = yield* client.request<Paged<BitbucketIssue> | null>("GET", url, subject);
        return {
          issues: yield* pageIssues(body, webUrl(repo)),
          next: typeof body?.next === "string" ? body.next : null,
          ...(typeof body?.pagelen === "number" ? { pageSize: body.pagelen } : {}),
        };
      }),
  });
}
