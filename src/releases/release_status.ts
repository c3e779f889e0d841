/**
 * `status`: the progress of a release, per feature and overall, or of every release of the
 * repository; answered from the local records.
 *
 * @module
 */
import { Effect } from "effect";
import type { RepoConfig } from "../store/configs.ts";
import type { AppError } from "../domain/errors.ts";
import { getRelease, reading, type ReleaseServices, resolve, type Where } from "./common.ts";
import { type FeatureProgress, featureProgress, type ReleaseProgress, releaseProgress } from "./progress.ts";
import { listReleases, type Release } from "../store/releases_repo.ts";
import { type ReleaseItem, releaseItems } from "../store/releases_items.ts";

/** A feature of a release with its progress and issues. */
export interface FeatureStatusOut extends FeatureProgress {
  readonly title: string;
  readonly issues: readonly { issue_number: number; issue_url: string | null; task_id: string | null }[];
}

function featureOut(item: ReleaseItem): FeatureStatusOut {
  return {
    ...featureProgress(item.feature.feature_id, item.feature.status, item.tasks.map((t) => t.status)),
    title: item.feature.title,
    issues: item.issues.map((i) => ({ issue_number: i.number, issue_url: i.url, task_id: i.task_id })),
  };
}

const progressOf = (cfg: RepoConfig, release: Release) =>
  reading(releaseItems(cfg, release.included_features)).pipe(Effect.map(({ items }) => {
    const features = items.map(featureOut);
    return { features, progress: releaseProgress(features) as ReleaseProgress, items };
  }));

/** Progress per feature and overall of one release, or of every release of the repository. */
export const releaseStatus = (
  input: Where & { readonly release_version?: string },
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const cfg = yield* resolve(input);
    if (input.release_version === undefined) {
      const releases = yield* reading(listReleases(cfg));
      const out = [];
      for (const release of releases) {
        out.push({ release, progress: (yield* progressOf(cfg, release)).progress });
      }
      return { releases: out };
    }
    const release = yield* getRelease(cfg, input.release_version);
    const { features, progress, items } = yield* progressOf(cfg, release);
    return {
      release,
      features,
      progress,
      without_issue: items.filter((i) => i.issues.length === 0).map((i) => i.feature.feature_id),
    };
  });
