/**
 * `tag_release`: tag a release — a release with its notes (GitHub, GitLab) or a tag (Bitbucket) —
 * recording the tag as soon as the forge has it, so that a second call after a later failure does
 * not tag twice; then close its milestone where the platform allows, mark its features completed
 * and run a sync pass, which closes their issues.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { completeFeatures, markCompleted, recordTag, type Release } from "../store/releases_repo.ts";
import { featuresById } from "../store/releases_items.ts";
import { canTransitionFeature } from "../domain/feature.ts";
import { AppError } from "../domain/errors.ts";
import { Forges } from "../forges/forges.ts";
import { Sync } from "../sync/service.ts";
import type { RunSummary } from "../sync/run_summary.ts";
import { toAppError } from "../platform/to_app_error.ts";
import {
  ensureOpen,
  getRelease,
  loadRelease,
  logged,
  quote,
  type ReleaseServices,
  type RemoteOutcome,
} from "./common.ts";
import { closedOut, closeMilestone } from "./milestones.ts";
import { checkNotes, type NotesInput, notesOf } from "./notes.ts";

/** Parameters of {@link tagRelease}. */
export interface TagInput extends NotesInput {
  /** The release's title (default: the version). */
  readonly name?: string;
}

const HASH = /^[0-9a-f]{7,40}$/i;

/** How a sync pass after a change went. */
function passOutcome(run: RunSummary): { sync_status: RemoteOutcome; reason?: string } {
  if (run.status === "completed") return { sync_status: "synced" };
  const why = run.errors.join(" ") || "Another process is reconciling this repository.";
  return run.failed > 0
    ? { sync_status: "failed", reason: why }
    : { sync_status: "pending", reason: `${why} The changes are kept and queued; the next sync sends them.` };
}

/** A feature of the release left as it is, and why. */
interface SkippedFeature {
  feature_id: string;
  status: string;
  reason: string;
}

/**
 * Marks the release's features completed (those that can become completed) and the release
 * completed, in one transaction.
 */
const completeRelease = (release: Release) =>
  Db.use((db) =>
    db.transaction(Effect.gen(function* () {
      const features = yield* featuresById(release.included_features);
      const completed: string[] = [];
      const skipped: SkippedFeature[] = [];
      for (const id of release.included_features) {
        const feature = features.get(id);
        if (feature === undefined || feature.status === "completed" || completed.includes(id)) continue;
        if (!canTransitionFeature(feature.status, "completed")) {
          skipped.push({
            feature_id: id,
            status: feature.status,
            reason: `A ${feature.status} feature cannot become completed; it was left ${feature.status}.`,
          });
          continue;
        }
        completed.push(id);
      }
      yield* completeFeatures(completed);
      yield* markCompleted(release.release_id);
      return { completed, skipped };
    }))
  );

/**
 * Tags a release: a release with its notes (GitHub, GitLab) or a tag (Bitbucket), then closes its
 * milestone, marks its features completed and syncs them.
 */
export const tagRelease = (
  input: TagInput,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  logged(
    input,
    Effect.gen(function* () {
      const template = yield* checkNotes(input);
      const { cfg, release } = yield* loadRelease(input);
      yield* ensureOpen(release, "tagging it");
      const forge = yield* Forges.use((f) => f.connect(cfg));
      const { plugin } = forge;
      const tagOnly = !plugin.capabilities.releases;
      if (tagOnly && release.tag_name === null && (input.ref === undefined || !HASH.test(input.ref))) {
        return yield* Effect.fail(AppError.validation(
          `${plugin.name} has no releases: tag_release makes a tag there, which needs ref, the hash of the ` +
            `commit to tag${input.ref === undefined ? "" : ` (${quote(input.ref)} is not a commit hash)`}.`,
          'Pass ref: "<commit hash>" (7 to 40 hexadecimal characters).',
        ));
      }
      const tag = release.tag_name ?? input.tag_name ?? release.release_version!;
      let url = release.release_url;
      if (release.tag_name === null) {
        const notes = (yield* notesOf(cfg, release, input, template, false, forge)).markdown;
        if (tagOnly) {
          const made = yield* forge.client.createTag!(forge.repo, { name: tag, target: input.ref! }).pipe(
            Effect.mapError(toAppError),
          );
          url = made.url;
        } else {
          const made = yield* forge.client.createRelease!(forge.repo, {
            tag,
            name: input.name ?? release.release_version!,
            body: notes,
            ...(input.ref !== undefined ? { ref: input.ref } : {}),
            milestone: release.platform_milestone_id === null ? null : release.milestone_name,
          }).pipe(Effect.mapError(toAppError));
          url = made.url;
        }
        // Recorded at once: a later failure must not lead a second call to tag again.
        yield* Db.use((db) =>
          db.transaction(recordTag(release.release_id, { name: tag, ref: input.ref ?? null, url, notes }))
        );
      }
      const milestone = yield* closeMilestone(forge, release);
      const { completed, skipped } = yield* completeRelease(release);
      // The completed features' issues are closed by a pass, as any local change is.
      const sync = completed.length === 0
        ? { sync_status: "synced" as RemoteOutcome }
        : yield* Sync.use((s) => s.pass(cfg.config_id)).pipe(
          Effect.map((result) => ({
            run: { ...result.run, errors: [...result.run.errors] },
            ...passOutcome(result.run),
          })),
        );
      return {
        release: yield* getRelease(cfg, input.release_version),
        tag: { name: tag, url, kind: tagOnly ? "tag" : "release" },
        ...closedOut(milestone),
        completed_features: completed,
        skipped_features: skipped,
        ...sync,
      };
    }),
  );
