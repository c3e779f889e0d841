/**
 * The keyset listing of changed issues, for plugins whose forge filters issues by "updated at or
 * after S" and sorts them by that stamp, oldest first (GitLab `updated_after`, Bitbucket
 * `q=updated_on >= S`). Exported through `./plugin`: a plugin gives one function that sends a query
 * and reads its page, and gets `listChanged`'s stream with the contract's cursor rules.
 *
 * The rules (SPEC §6; the same on every forge that uses it):
 * - the first request asks for every issue changed at or after the cursor's S (every issue when
 *   there is none);
 * - when a page has a next page, let T be the stamp of its last issue. If T is later than S (or
 *   there is no S) and at most a quarter of the page is stamped T, the next request is a fresh
 *   query from S = T — keys do not shift when issues change during the listing, offsets do; the
 *   issues stamped T repeat, which the contract allows. Otherwise (T = S, or a burst of many issues
 *   stamped T, which a jump would list again) the next page of the same query is followed;
 * - the cursor of a page with a next page is T; the cursor of the last page is T when it was full
 *   (more issues stamped T may follow), else the query's S (nothing later exists yet);
 * - stamps compare to the microsecond ({@link toMicros}), whatever precision the forge writes.
 *
 * GitHub's listing has rules of its own (a steady-state pass is one conditional request answered
 * 304, and `link` pages followed while issues change), in `plugins/github/listing.ts`.
 *
 * @module
 */
import { Effect, Option, Stream } from "effect";
import { encodeCursor } from "./cursor.ts";
import type { PlatformError } from "./errors.ts";
import type { ChangedPage, RemoteIssue } from "./issue.ts";
import { toMicros } from "./time.ts";

/** Where a keyset listing stands: the S of its query, and the next page of that query to follow (or null: its first). */
export interface KeysetStep<Next> {
  readonly since: string | null;
  readonly next: Next | null;
}

/** One answered request of a keyset listing. */
export interface KeysetPage<Next> {
  /** The page's issues, oldest change first. */
  readonly issues: readonly RemoteIssue[];
  /** How to reach the next page of the same query (a page number, a `next` link), or null on the last page. */
  readonly next: Next | null;
  /** How many issues a full page holds, when the forge says (Bitbucket's `pagelen`); else the listing's. */
  readonly pageSize?: number;
}

/** Options of {@link keysetListing}. */
export interface KeysetOptions<Next> {
  /** The S to start from: the `since` of the decoded cursor (null: every issue). */
  readonly since: string | null;
  /** Issues a page holds (the forge's maximum, which the plugin asks for). */
  readonly pageSize: number;
  /** Sends the query of `step` (a fresh query from `step.since`, or its page `step.next`) and reads its page. */
  readonly fetchPage: (step: KeysetStep<Next>) => Effect.Effect<KeysetPage<Next>, PlatformError>;
}

/** How many issues at the end of `issues` carry the last one's stamp. */
export function trailingStamps(issues: readonly RemoteIssue[]): number {
  const last = toMicros(issues.at(-1)?.updated_at ?? "");
  let n = 0;
  while (n < issues.length && toMicros(issues[issues.length - 1 - n]!.updated_at) === last) n++;
  return last === undefined ? 0 : n;
}

const later = (t: string, since: string | null) => since === null || toMicros(t)! > toMicros(since)!;

/**
 * The pages of a keyset listing, one {@link ChangedPage} per answered request (see the module
 * documentation for the rules and the cursors).
 *
 * @example
 * ```ts ignore
 * listChanged: (repo, cursor) =>
 *   keysetListing({ since: decodeCursor(cursor)!.since, pageSize: 100, fetchPage: (step) => query(repo, step) }),
 * ```
 */
export function keysetListing<Next>(options: KeysetOptions<Next>): Stream.Stream<ChangedPage, PlatformError> {
  const { pageSize } = options;
  return Stream.paginate<KeysetStep<Next>, ChangedPage, PlatformError>(
    { since: options.since, next: null },
    (step) =>
      options.fetchPage(step).pipe(Effect.map((page) => {
        const { issues } = page;
        const last = issues.at(-1)?.updated_at;
        if (page.next !== null) {
          const jump = last !== undefined && later(last, step.since) &&
            trailingStamps(issues) <= pageSize / 4;
          const following: KeysetStep<Next> = jump
            ? { since: last, next: null }
            : { since: step.since, next: page.next };
          const at = last ?? step.since;
          return [
            [{ issues, cursor: at === null ? null : encodeCursor(at) }],
            Option.some(following),
          ] as const;
        }
        const full = issues.length >= (page.pageSize ?? pageSize);
        const at = full && last !== undefined ? last : step.since;
        return [[{ issues, cursor: at === null ? null : encodeCursor(at) }], Option.none()] as const;
      })),
  );
}
