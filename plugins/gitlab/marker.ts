/**
 * Finding the issue of a hidden marker on GitLab (`findByMarker`): the issues created since the
 * interrupted attempt first, newest first, read directly (search indexes lag behind writes); then
 * GitLab's search in descriptions, confirmed on the body. The lowest iid wins (the first create of
 * duplicates).
 *
 * @module
 */
import { Effect, Option } from "effect";
import type { PlatformError, RemoteIssue, RepoRef } from "../../src/platform/mod.ts";
import { type GitLabClient, PER_PAGE } from "./client.ts";
import { listPage } from "./listing.ts";
import { type GitLabIssueJson, toRemoteIssue } from "./mapping.ts";

/** How far before `since` `findByMarker` still reads recent issues (clock skew between hosts). */
export const MARKER_SKEW_MS = 5 * 60_000;
/** Most pages `findByMarker` reads in each of its two passes. */
export const MARKER_MAX_PAGES = 10;

/** The search term for a marker: `<!-- forgesync:task=ID -->` → `forgesync:task=ID`. */
export function markerSearchTerm(marker: string): string {
  const term = marker.replace(/^\s*<!--\s*/, "").replace(/\s*-->\s*$/, "").trim();
  return term === "" ? marker : term;
}

/** The issue whose body holds `marker`, looking first at issues created since `since`. */
export function findByMarker(
  client: GitLabClient,
  repo: RepoRef,
  marker: string,
  since: string | null,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  return Effect.gen(function* () {
    const action = `look for the issue marked ${markerSearchTerm(marker)} in "${repo.path}"`;
    const pick = (found: readonly GitLabIssueJson[]) =>
      found.length === 0
        ? Option.none<RemoteIssue>()
        : Option.some(toRemoteIssue(found.reduce((a, b) => (b.iid < a.iid ? b : a)), client.statusLabels));
    // 1. Recent issues, newest first, read directly.
    const cutoff = since === null ? null : Date.parse(since) - MARKER_SKEW_MS;
    const recent: GitLabIssueJson[] = [];
    for (let page = 1; page <= (cutoff === null ? 1 : MARKER_MAX_PAGES); page++) {
      const result = yield* listPage(client, repo, action, {
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
      const result = yield* listPage(client, repo, action, {
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
  });
}
