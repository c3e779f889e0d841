/**
 * Incremental listing of Bitbucket issues (`listChanged`) with keyset paging on `updated_on`.
 *
 * Each request asks `q=updated_on >= "S"&sort=updated_on&pagelen=100` (every issue when there is
 * no S yet). When a page has a `next` link, let T be its last issue's `updated_on`:
 * - T > S: the next request starts again from S = T (a fresh query, not `page=2`: offsets shift
 *   when issues change during the listing, keys do not). Issues stamped exactly T repeat on the
 *   next page, which the contract allows;
 * - T = S, or over a quarter of the page stamped T: follow `next` (a jump would never move, or
 *   would list those issues again).
 * The cursor emitted with a page is T when a `next` follows; for the last page it is the request's
 * S when the page was not full, else T. Cursors are opaque JSON `{"since": "<updated_on>"}` keeping
 * Bitbucket's microseconds, and timestamps are compared as epoch microseconds.
 *
 * @module
 */
import { Effect, Option, Stream } from "effect";
import { type ChangedPage, PlatformError, type RemoteIssue, type RepoRef } from "../../src/platform/mod.ts";
import type { BitbucketHttp, Paged } from "./http.ts";
import { type BitbucketIssue, toRemoteIssue } from "./mapping.ts";
import { toMicros } from "../../src/platform/time.ts";

/** Issues per request: Bitbucket's maximum `pagelen`. */
export const PAGE_SIZE = 100;

/** Where a listing stands: the `since` of the query, and a `next` link to follow (or null). */
interface ListState {
  readonly since: string | null;
  readonly next: string | null;
}

/** The opaque cursor for a `since` timestamp (null: list everything). */
export function encodeCursor(since: string | null): string | null {
  return since === null ? null : JSON.stringify({ since });
}

/** The `since` timestamp of a cursor; fails when the cursor is not one this plugin wrote. */
export function decodeCursor(cursor: string | null): Effect.Effect<string | null, PlatformError> {
  if (cursor === null || cursor === "") return Effect.succeed(null);
  let since: unknown;
  try {
    since = (JSON.parse(cursor) as { since?: unknown } | null)?.since;
  } catch {
    since = cursor; // a bare timestamp is accepted too
  }
  if (typeof since === "string" && toMicros(since) !== undefined) return Effect.succeed(since);
  return Effect.fail(
    new PlatformError({
      reason: "Invalid",
      message: `The listing cursor ${JSON.stringify(cursor.slice(0, 100))} is not a Bitbucket cursor.`,
      hint: "Start the listing again with no cursor (null).",
    }),
  );
}

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
  http: BitbucketHttp,
  repo: RepoRef,
  cursor: string | null,
  repoHtml: string,
): Stream.Stream<ChangedPage, PlatformError> {
  const subject = { repo: repo.path, what: `the issues of ${repo.path}` };
  const first = (since: string | null) =>
    http.url(`${http.repoPath(repo.path)}/issues`, {
      q: since === null ? undefined : `updated_on >= ${bbqlString(since)}`,
      sort: "updated_on",
      pagelen: PAGE_SIZE,
    });
  const step = (state: ListState) =>
    Effect.gen(function* () {
      const url = state.next ?? first(state.since);
      const { body } = yield* http.request<Paged<BitbucketIssue> | null>("GET", url, subject);
      const issues = yield* pageIssues(body, repoHtml);
      const last = issues.at(-1)?.updated_at;
      if (typeof body?.next === "string") {
        const S = state.since;
        // Jumping to S = T re-lists the issues stamped T: only while they are few.
        let stampedT = 0;
        while (
          last !== undefined && stampedT < issues.length &&
          toMicros(issues[issues.length - 1 - stampedT]!.updated_at) === toMicros(last)
        ) stampedT++;
        const jump = last !== undefined && (S === null || toMicros(last)! > toMicros(S)!) &&
          stampedT <= PAGE_SIZE / 4;
        if (jump) {
          const page: ChangedPage = { issues, cursor: encodeCursor(last) };
          return [[page], Option.some<ListState>({ since: last, next: null })] as const;
        }
        const next = yield* http.nextUrl(body.next);
        const page: ChangedPage = { issues, cursor: encodeCursor(last ?? S) };
        return [[page], Option.some<ListState>({ since: S, next })] as const;
      }
      const full = issues.length >= (body?.pagelen ?? PAGE_SIZE);
      const page: ChangedPage = {
        issues,
        cursor: encodeCursor(full && last !== undefined ? last : state.since),
      };
      return [[page], Option.none<ListState>()] as const;
    });
  return Stream.unwrap(
    decodeCursor(cursor).pipe(
      Effect.map((since) =>
        Stream.paginate<ListState, ChangedPage, PlatformError>({ since, next: null }, step)
      ),
    ),
  );
}
