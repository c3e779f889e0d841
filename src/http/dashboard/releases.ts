/**
 * The dashboard's releases with their progress, computed from their features' and tasks' local
 * status by the release coordinator's rules (`src/releases/progress.ts`) over the store's reads.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../../domain/errors.ts";
import type { SqlRead } from "../../store/sql.ts";
import type { LinkRow } from "../../store/dashboard_rows.ts";
import {
  type DashboardRelease,
  releaseById,
  releaseFeature,
  releasesPage,
  type Statuses,
  statusesOf,
} from "../../store/dashboard_releases.ts";
import {
  type FeatureProgress,
  featureProgress,
  type ReleaseProgress,
  releaseProgress,
} from "../../releases/progress.ts";

/** A release with its progress. */
export interface ReleaseRow extends DashboardRelease {
  readonly progress: ReleaseProgress;
}

/** A release's page. */
export interface ReleaseDetail {
  readonly release: ReleaseRow;
  readonly features: readonly (FeatureProgress & { title: string; issues: readonly LinkRow[] })[];
  readonly missing: readonly string[];
}

/** A release's progress: the mean of its features' that exist (pure). */
function withProgress(release: DashboardRelease, statuses: Statuses): ReleaseRow {
  const features = release.included_features.filter((f) => statuses.features.has(f));
  return {
    ...release,
    progress: releaseProgress(
      features.map((f) => featureProgress(f, statuses.features.get(f)!, statuses.tasks.get(f) ?? [])),
    ),
  };
}

/** Releases, newest first, with their progress (at most `limit`, after `offset`). */
export const listReleases = (
  limit: number,
  offset = 0,
): Effect.Effect<{ rows: ReleaseRow[]; total: number }, AppError, SqlRead> =>
  Effect.gen(function* () {
    const page = yield* releasesPage(limit, offset);
    const statuses = yield* statusesOf(page.rows.flatMap((r) => r.included_features));
    return { rows: page.rows.map((r) => withProgress(r, statuses)), total: page.total };
  });

/** A release's page, or undefined. */
export const releaseDetail = (id: number): Effect.Effect<ReleaseDetail | undefined, AppError, SqlRead> =>
  Effect.gen(function* () {
    const found = yield* releaseById(id);
    if (found === undefined) return undefined;
    const release = withProgress(found, yield* statusesOf(found.included_features));
    const features = [];
    const missing: string[] = [];
    for (const featureId of release.included_features) {
      const feature = yield* releaseFeature(featureId);
      if (feature === undefined) {
        missing.push(featureId);
        continue;
      }
      features.push({
        ...featureProgress(featureId, feature.status, feature.tasks),
        title: feature.title,
        issues: feature.issues,
      });
    }
    return { release, features, missing };
  });
