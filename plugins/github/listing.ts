/**
 * Incremental listing of changed issues on GitHub, built so that a pass over an unchanged
 * repository costs exactly one conditional request (a 304 the core answers from its cache).
 *
 * @module
 */
import { Option, Stream } from "effect";
import {
  type ChangedPage,
  type CursorState,
  decodeCursor,
  encodeCursor,
  type PlatformError,
  type RepoRef,
} from "../../src/platform/mod.ts";
import { type Answer, call, getUrl, type GitHubContext, ownerRepo, parseLink } from "./client.ts";
import { expectArray, isPullRequest, malformed, toRemoteIssue } from "./mapping.ts";

/** Items per page: GitHub's maximum. */
export const PER_PAGE = 100;

/**
 * The cursor of a listing: the contract's `{"since": "<ISO>"}` (or `{"since":null}` for "from the
 * start"), with `page` when the listing resumes on a later page of that query. Anything else (null,
 * garbage, a cursor of another plugin) lists from the start: slower, never lossy.
 */
function cursorState(cursor: string | null): CursorState {
  return decodeCursor(cursor) ?? { since: null, page: 1 };
}

/** Where the next request goes: the keyset query at `since` (page `page`), or a `link` URL of it. */
interface Step {
  readonly since: string | null;
  readonly page: number;
  readonly url?: string;
  /** The last stamp of the page where this listing first followed a `link`. */
  readonly followedFrom?: string;
}

/** Most items a keyset jump may list twice; past it, the next page is followed instead. */
export const MAX_REPEAT = PER_PAGE / 4;

/** How many items at the end of a page share the last item's timestamp. */
export function trailingRun(stamps: readonly unknown[]): number {
  const last = stamps.at(-1);
  if (typeof last !== "string") return 0;
  const t = Date.parse(last);
  let n = 0;
  for (
    let i = stamps.length - 1;
    i >= 0 && typeof stamps[i] === "string" && Date.parse(stamps[i] as string) === t;
    i--
  ) n++;
  return n;
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
 *   the request's `since`, or more than a quarter of the page is stamped T (a jump would list
 *   them again), the next request follows the link's URL (page 2… of the same query) instead.
 * - the cursor of a page with a next is T: resuming at T re-lists at most that second.
 * - the cursor of the final page (no next) must catch any later change, wherever GitHub sorts it
 *   among issues stamped in the same second (it orders equal stamps its own way, not by when they
 *   changed — so repeating only a final page by its number would miss a change that sorts onto an
 *   earlier page). When that page was the first and only page of its query and not full, the cursor
 *   is the query itself (its `since`): the next pass reads the whole window again in the very same
 *   request, answered 304 while nothing changes. Otherwise it is T, the last item's stamp: the next
 *   pass asks for every issue changed at or after T, which any later change is, and the window
 *   shrinks to the last second. (A burst of over 100 changes within one second is listed again on
 *   each pass, answered 304, until a later change moves the cursor on.)
 *
 * - while `link` pages are followed, an issue edited concurrently moves to the end and shifts the
 *   next one onto a page already read. The edited issue was read before (it stood before the page
 *   being read), so this listing meets it again, stamped later: when it does, every later cursor of
 *   the listing is T_f, the last stamp of the page where it began following links, at or before
 *   whatever slid. The next pass reads that region again, and rests on the usual cursor once nothing
 *   moves while it is read. (An issue that changed within the same second as its previous change
 *   keeps its stamp and is not noticed; an issue deleted or transferred while the links are followed
 *   shifts the next one without a trace: that one waits for its next change.)
 */
export function listChanged(
  ctx: GitHubContext,
  repo: RepoRef,
  cursor: string | null,
): Stream.Stream<ChangedPage, PlatformError> {
  const what = `listing changed issues of ${repo.path}`;
  // The stamp each issue (or pull request) was listed with, to notice one listed again, changed.
  const listed = new Map<unknown, number>();
  let movedWhileListed = false;
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
          ...(step.page > 1 ? { page: step.page } : {}),
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
    for (const item of items as Record<string, unknown>[]) {
      const stamp = Date.parse(String(item.updated_at));
      const before = listed.get(item.number);
      if (before !== undefined && stamp > before) movedWhileListed = true;
      listed.set(item.number, stamp);
    }
    const next = parseLink(answer.headers.link).next;
    // Once links were followed and an issue moved while the listing ran, something may have slid onto
    // a page already read: the listing's cursors go back to where it began following.
    const rewound = step.followedFrom !== undefined && movedWhileListed
      ? encodeCursor(step.followedFrom)
      : undefined;
    if (next !== undefined && typeof last === "string") {
      // Jumping to since=T re-lists the items stamped T: worth it only while they are few.
      const stampedT = trailingRun(items.map((i) => (i as Record<string, unknown>).updated_at));
      const jump = later(last, step.since) && stampedT <= MAX_REPEAT;
      const carried = { followedFrom: step.followedFrom ?? (jump ? undefined : last) };
      const following: Step = jump
        ? { since: last, page: 1, ...carried }
        : { since: step.since, page: 1, url: next, ...carried };
      return [[{ issues, cursor: rewound ?? encodeCursor(last) }], Option.some(following)];
    }
    const wholeWindow = step.url === undefined && step.page === 1 && items.length < PER_PAGE;
    const cursorAfter = typeof last !== "string" || wholeWindow
      ? encodeCursor(step.since)
      : encodeCursor(last);
    return [[{ issues, cursor: rewound ?? cursorAfter }], Option.none()];
  };
  return Stream.paginate<Step, ChangedPage, PlatformError>(
    cursorState(cursor),
    (step) => call(ctx, what, send(step), read(step)),
  );
}
