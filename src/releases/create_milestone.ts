/**
 * `create_milestone`: create a milestone on the forge and record it as a bare milestone (no
 * version yet); a later plan_release of that title adopts it.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { Forges } from "../forges/forges.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { type ReleaseServices, resolve, type Where } from "./common.ts";
import { withOperationLog } from "../sync/operation_log.ts";

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
  withOperationLog(
    "milestone_sync",
    input,
    Effect.gen(function* () {
      const cfg = yield* resolve(input);
      const forge = yield* Forges.use((f) => f.connect(cfg));
      const milestone = yield* forge.client.createMilestone!(forge.repo, {
        title: input.title,
        description: input.description ?? "",
        due_on: input.due_on ?? null,
      }).pipe(Effect.mapError(toAppError));
      const now = nowIso();
      yield* Db.use((db) =>
        db.batch([{
          sql:
            `INSERT INTO release_milestones (milestone_name, target_date, platform_milestone_id, milestone_url,
                description, included_features, assigned_issues, status, config_id, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, '[]', '[]', 'planning', ?, ?, ?)`,
          args: [
            milestone.title,
            input.due_on ?? milestone.due_on,
            milestone.id,
            milestone.url,
            input.description ?? null,
            cfg.config_id,
            now,
            now,
          ],
        }])
      );
      return { milestone: { ...milestone } };
    }),
  );
