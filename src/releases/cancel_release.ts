/**
 * `cancel_release`: mark a release cancelled and close its milestone where the platform allows;
 * its features are left as they are.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { Forges } from "../forges/forges.ts";
import { markCancelled } from "../store/releases_repo.ts";
import { ensureOpen, getRelease, loadRelease, logged, type ReleaseServices, type Where } from "./common.ts";
import { closedOut, closeMilestone } from "./milestones.ts";

/** Cancels a release: status cancelled, its milestone closed where the platform can; features untouched. */
export const cancelRelease = (
  input: Where & { readonly release_version: string },
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  logged(
    input,
    Effect.gen(function* () {
      const { cfg, release } = yield* loadRelease(input);
      yield* ensureOpen(release, "cancelling it");
      const milestone = yield* Forges.use((f) => f.connect(cfg)).pipe(
        Effect.flatMap((forge) => closeMilestone(forge, release)),
        Effect.catch((e: AppError) =>
          Effect.succeed({ closed: false, reason: `The milestone was left open: ${e.message}` })
        ),
      );
      yield* Db.use((db) => db.transaction(markCancelled(release.release_id)));
      return {
        release: yield* getRelease(cfg, input.release_version),
        ...closedOut(milestone),
      };
    }),
  );
