/**
 * Finding the issue of a hidden marker on Bitbucket (`findByMarker`): the issues created since the
 * interrupted attempt first, newest first, read directly (search lags behind writes); then every
 * issue whose body contains the marker's text (`content.raw ~ "…"`), confirmed on the body. The
 * lowest-numbered match wins (the first create of duplicates).
 *
 * @module
 */
import { Effect, Option } from "effect";
import {
  normalizeTimestamp,
  type PlatformError,
  type RemoteIssue,
  type RepoRef,
} from "../../src/platform/mod.ts";
import { type BitbucketClient, PAGE_SIZE, type Paged, webUrl } from "./client.ts";
import { bbqlString, pageIssues } from "./listing.ts";
import type { BitbucketIssue } from "./mapping.ts";

/** The text of a marker that BBQL's `~` (contains) looks for: the marker without `<!--`/`-->`. */
export function markerNeedle(marker: string): string {
  const inner = /^<!--\s*(.*?)\s*-->$/s.exec(marker.trim());
  return inner?.[1] ?? marker.trim();
}

/** Scans the issues a query selects, in order, for the lowest-numbered one whose body has `marker`. */
function scan(
  client: BitbucketClient,
  repo: RepoRef,
  query: Record<string, string | number>,
  marker: string,
  firstOnly: boolean,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  return Effect.gen(function* () {
    const subject = { repo: repo.path, what: `the issues of ${repo.path}` };
    let url: string | null = client.repoUrl(repo, "/issues", { ...query, pagelen: PAGE_SIZE });
    let found: RemoteIssue | undefined;
    while (url !== null) {
      const { body }: { body: Paged<BitbucketIssue> | null } = yield* client.request<
        Paged<BitbucketIssue> | null
      >("GET", url, subject);
      for (const issue of yield* pageIssues(body, webUrl(repo))) {
        if (issue.body.includes(marker) && (found === undefined || issue.number < found.number)) {
          found = issue;
        }
      }
      if (found !== undefined && firstOnly) break;
      url = typeof body?.next === "string" ? yield* client.nextUrl(body.next) : null;
    }
    return Option.fromNullishOr(found);
  });
}

/** The issue whose body holds `marker`, looking first at issues created since `since`. */
export function findByMarker(
  client: BitbucketClient,
  repo: RepoRef,
  marker: string,
  since: string | null,
): Effect.Effect<Option.Option<RemoteIssue>, PlatformError> {
  return Effect.gen(function* () {
    const from = since === null ? undefined : normalizeTimestamp(since);
    if (from !== undefined) {
      const recent = yield* scan(
        client,
        repo,
        { q: `created_on >= ${bbqlString(from)}`, sort: "-created_on" },
        marker,
        false,
      );
      if (Option.isSome(recent)) return recent;
    }
    return yield* scan(
      client,
      repo,
      { q: `content.raw ~ ${bbqlString(markerNeedle(marker))}`, sort: "created_on" },
      marker,
      true,
    );
  });
}
