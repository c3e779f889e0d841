/**
 * Incremental listing of changed issues on GitHub, built so that a pass over an unchanged
 * repository costs exactly one conditional request (a 304 the core answers from its cache).
 *
 * @module
 */
import { Option, Stream } from "effect";
import type { ChangedPage, PlatformError, RepoRef } from "../../src/platform/mod.ts";
import { type Answer, call, getUrl, type GitHubContext, ownerRepo, parseLink } from "./client.ts";
import { expectArray, isPullRequest, malformed, toRemoteIssue } from "./mapping.ts";

/** Items per page: GitHub's maximum. */
export const PER_PAGE = 100;

/**
 * Encodes a listing cursor: `{"since":"<ISO>"}` (or `{"since":null}` for "from the start").
 * Cursors are opaque to the core.
 */
export function encodeCursor(since: string | null): string {
  return JSON.stringify({ since });
}

/**
 * Decodes a cursor of {@link encodeCursor}. Anything else (null, garbage, a cursor of another
 * plugin) lists from the start: slower, never lossy.
 */
export function decodeCursor(cursor: string | null): string | null {
  if (cursor === null) return null;
  try {
    const value = JSON.parse(cursor);
    const since = typeof value === "object" && value !== null ? value.since : undefined;
    return typeof since === "string" && Number.isFinite(Date.parse(since)) ? since : null;
  } catch {
    return null;
  }
}

/** Where the next request goes: the keyset query at `since`, or a `link` URL of that query. */
interface Step {
  readonly since: string | null;
  readonly url?: string;
}

function later(a: string, b: string | null): boolean {
  return b === null || Date.parse(a) > Date.parse(b);
}

/**
 * Issues changed since `cursor`, oldest change first, one {@link ChangedPage} per response.
 *
 * Requests are `GET /repos/o/r/issues?state=all&sort=updated&direction=asc&per_page=100[&since=S]`;
 * pull requests are dropped. Paging is keyset on `since`, so that a steady-state pass repeats
 * exactly one URL:
 * - when a response has a `link` rel="next", let T be the `updated_at` of its last item. If T is
 *   later than the request's `since` (or there was none), the next request is the same query
 *   with `since=T` (inclusive: items stamped T repeat, which the contract allows). If T equals
 *   the request's `since`, or the whole page shares the second T (a jump would list the page
 *   again), the next request follows the link's URL (page 2… of the same query) instead.
 * - the cursor of a page with a next is T: resuming at T re-lists at most that second.
 * - the cursor of the final page (no next) is: the `since` of the request that produced it when
 *   it held fewer than 100 items — so the next pass repeats exactly that URL, and a 304 means
 *   nothing changed (sound: any change or new issue has `updated_at` ≥ that `since` and would
 *   alter the page); T when it was full.
 *
 * Known limit: while following `link` pages inside one second, an issue edited concurrently
 * moves to the end and can shift another one onto an already-read page; that needs over 100
 * issues changed in the same second.
 */
export function listChanged(
  ctx: GitHubContext,
  repo: RepoRef,
  cursor: string | null,
): Stream.Stream<ChangedPage, PlatformError> {
  const what = `listing changed issues of ${repo.path}`;
  const send = (step: Step) =>
    step.url !== undefined
      ? getUrl(step.url)
      : (o: GitHubContext["octokit"]) =>
        o.request("GET /repos/{owner}/{repo}/issues", {
          ...ownerRepo(repo),
          state: "all",
          sort: "updated",
          direction: "asc",
          per_page: PER_PAGE,
          ...(step.since !== null ? { since: step.since } : {}),
        });
  const read = (step: Step) => (answer: Answer): readonly [readonly ChangedPage[], Option.Option<Step>] => {
    const items = expectArray(answer.data, what);
    const issues = items.filter((i) => !isPullRequest(i)).map((i) =>
      toRemoteIssue(i, ctx.statusLabels, what)
    );
    const lastItem = items.at(-1) as Record<string, unknown> | undefined;
    const last = lastItem === undefined ? undefined : lastItem.updated_at;
    if (lastItem !== undefined && (typeof last !== "string" || !Number.isFinite(Date.parse(last)))) {
      throw malformed(what, `"updated_at" is missing`);
    }
    const next = parseLink(answer.headers.link).next;
    if (next !== undefined && typeof last === "string") {
      const first = (items[0] as Record<string, unknown>).updated_at;
      // Jumping to since=T re-lists every item stamped T: worth it unless the whole page is.
      const jump = later(last, step.since) && typeof first === "string" &&
        Date.parse(first) !== Date.parse(last);
      const following: Step = jump ? { since: last } : { since: step.since, url: next };
      return [[{ issues, cursor: encodeCursor(last) }], Option.some(following)];
    }
    const resume = items.length < PER_PAGE || typeof last !== "string" ? step.since : last;
    return [[{ issues, cursor: encodeCursor(resume) }], Option.none()];
  };
  return Stream.paginate<Step, ChangedPage, PlatformError>(
    { since: decodeCursor(cursor) },
    (step) => call(ctx, what, send(step), read(step)),
  );
}
