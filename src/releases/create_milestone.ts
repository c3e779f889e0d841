/**
 * `create_milestone`: create a milestone on the forge and record it as a bare milestone (no
 * version yet); a later plan_release of that title adopts it.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { recordMilestone } from "../store/releases_repo.ts";
import type { AppError } from "../domain/errors.ts";
import { Forges } from "../forges/forges.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { inRepository, type ReleaseServices, type Where } from "./common.ts";

/** Parameters of {@link createMilestone}. */
export interface MilestoneInput extends Where {
  readonly title: string;
  readonly description?: string;
  readonly due_on?: string;
}

/** Creates a milestone on the forge and records it (a later plan_release of that title adopts it). */
export const createMilestone = (
  input: MilestoneInput,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  inRepository(input, (cfg) =>
    Effect.gen(function* () {
      const forge = yield* Forges.use((f) => f.connect(cfg));
      const milestone = yield* forge.client.createMilestone!(forge.repo, {
        title: input.title,
        description: input.description ?? "",
        due_on: input.due_on ?? null,
      }).pipe(Effect.mapError(toAppError));
      yield* Db.use((db) =>
        db.transaction(recordMilestone(cfg, {
          title: milestone.title,
          target_date: input.due_on ?? milestone.due_on,
          platform_milestone_id: milestone.id,
          milestone_url: milestone.url,
          description: input.description ?? null,
        }))
      );
      return { milestone: { ...milestone } };
    }));
