/**
 * Finding the issue that carries a hidden marker (to settle a create whose answer was lost).
 *
 * GitHub's Search API lags behind writes (seconds to minutes) and allows 30 requests a minute, so
 * recent issues are read directly: the issues created since the attempt (minus a few seconds of
 * clock skew), newest first, until one is older than that. Search is the fallback, when there is
 * no attempt time or nothing recent matched, and its hits are confirmed by their body.
 *
 * @module
 */
import { Effect, Option } from "effect";
import type { PlatformError, RemoteIssue, RepoRef } from "../../src/platform/mod.ts";
import { type Answer, call, getUrl, type GitHubContext, ownerRepo, parseLink } from "./client.ts";
import { expectArray, expectObject, isPullRequest, toRemoteIssue } from "./mapping.ts";

/** Seconds subtracted from `since` for clock skew between this machine and GitHub. */
export const SKEW_SECONDS = 10;
/** Pages of recent issues read at most before falling back to search. */
const MAX_PAGES = 10;

/** The searchable part of a marker: `<!-- forgesync:task=ID -->` → `forgesync:task=ID`. */
export function markerPhrase(marker: string): string {
  return marker.replace(/^\s*<!--/, "").replace(/-->\s*$/, "").replace(/"/g, " ").trim();
}

function oldest(hits: readonly RemoteIssue[]): Option.Option<RemoteIssue> {
  return hits.length === 0 ? Option.none() : Option.some([...hits].sort((a, b) => a.number - b.number)[0]!);
}

function recent(
  ctx: GitHubContext,
  repo: RepoRef,
  marker: string,
  sinceMs: number,
): Effect.Effect<RemoteIssue[], PlatformError> {
  const what = `looking for a marker in recent issues of ${repo.path}`;
  return Effect.gen(function* () {
    const hits: RemoteIssue[] = [];
    let send = (o: GitHubContext["octokit"]): Promise<Answer> =>
      o.request("GET /repos/{owner}/{repo}/issues", {
        ...ownerRepo(repo),
        state: "all",
        sort: "created",
        direction: "desc",
        per_page: 100,
      });
    for (let page = 0; page < MAX_PAGES; page++) {
      const { done, next } = yield* call(ctx, what, send, (a) => {
        let done = false;
        for (const item of expectArray(a.data, what)) {
          const o = expectObject(item, what);
          if (Date.parse(String(o.created_at)) < sinceMs) {
            done = true;
            break;
          }
          if (isPullRequest(o) || typeof o.body !== "string" || !o.body.includes(marker)) continue;
          hits.push(toRemoteIssue(o, ctx.statusLabels, what));
        }
        return { done, next: parseLink(a.headers.link).next };
      });
      if (done || next === undefined) break;
      send = getUrl(next);
    }
    return hits;
  });
}

function search(
  ctx: GitHubContext,
  repo: RepoRef,
  marker: string,
): Effect.Effect<RemoteIssue[], PlatformError> {
  const phrase = markerPhrase(marker);
  if (phrase === "") return Effect.succeed([]);
  const what = `searching ${repo.path} for a marker`;
  return call(
    ctx,
    what,
    (o) =>
      o.request("GET /search/issues", { q: `repo:${repo.path} is:issue "${phrase}" in:body`, per_page: 100 }),
    (a) => {
      const items = expectArray(expectObject(a.data, what).items, what);
      return items
        .filter((i) => !isPullRequest(i))
        .map((i) => toRemoteIssue(i, ctx.statusLabels, what))
        .filter((i) => i.body.includes(marker));
    },
  );
}

/**
 * The issue whose body holds `marker` (the oldest, should there be several), looking first at
 * issues created at or after `since`.
 */
export function findByMarker(
  ctx: GitHubContext,
  repo: RepoRef,
  marker: string,
  since: string | null,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  const sinceMs = since === null ? NaN : Date.parse(since);
  return Effect.gen(function* () {
    if (Number.isFinite(sinceMs)) {
      const hits = yield* recent(ctx, repo, marker, sinceMs - SKEW_SECONDS * 1000);
      if (hits.length > 0) return oldest(hits);
    }
    return oldest(yield* search(ctx, repo, marker));
  });
}
