/**
 * Recording a release plan: whether the fields a plan sets changed, and the write in one
 * transaction (the statements are the store's `writePlan`: update the release, adopt a bare
 * milestone recorded by create_milestone, or insert the release).
 *
 * @module
 */
import type { Effect } from "effect";
import { Db } from "../store/db.ts";
import type { RepoConfig } from "../store/configs.ts";
import type { AppError } from "../domain/errors.ts";
import { type PlanFields, type Release, writePlan } from "../store/releases_repo.ts";

export type { PlanFields };

/** Whether a plan changes the recorded release (a release not recorded yet always changes). */
export function planChanged(existing: Release | undefined, fields: PlanFields): boolean {
  return existing === undefined ||
    fields.milestone_name !== existing.milestone_name || fields.target_date !== existing.target_date ||
    fields.platform_milestone_id !== existing.platform_milestone_id ||
    fields.milestone_url !== existing.milestone_url || fields.description !== existing.description ||
    fields.included_features !== JSON.stringify(existing.included_features) ||
    fields.assigned_issues !== JSON.stringify(existing.assigned_issues) ||
    fields.status !== existing.status;
}

/**
 * Writes a plan of `version` in one transaction: over the recorded release, else over a bare
 * milestone of the same platform milestone, else as a new row.
 */
export const savePlan = (
  cfg: RepoConfig,
  version: string,
  existing: Release | undefined,
  fields: PlanFields,
): Effect.Effect<void, AppError, Db> =>
  Db.use((db) => db.transaction(writePlan(cfg, version, existing, fields)));
