/**
 * Recording a release plan in `release_milestones`: the fields a plan sets, whether they changed,
 * and the write (update the release, adopt a bare milestone recorded by create_milestone, or
 * insert the release).
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import type { RepoConfig } from "../store/configs.ts";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { Release } from "./store.ts";

/** The columns of a release's row that a plan sets (lists as JSON text). */
export interface PlanFields {
  readonly milestone_name: string;
  readonly target_date: string | null;
  readonly platform_milestone_id: string | null;
  readonly milestone_url: string | null;
  readonly description: string | null;
  readonly included_features: string;
  readonly assigned_issues: string;
  readonly status: "planning" | "active";
}

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
 * Writes a plan of `version`: over the recorded release, else over a bare milestone of the same
 * platform milestone (recorded by create_milestone), else as a new row.
 */
export const savePlan = (
  cfg: RepoConfig,
  version: string,
  existing: Release | undefined,
  fields: PlanFields,
): Effect.Effect<void, AppError, Db> =>
  Effect.gen(function* () {
    const now = nowIso();
    const db = yield* Db;
    yield* db.write(async (tx) => {
      const columns = Object.keys(fields);
      const values = Object.values(fields);
      const set = columns.map((c) => `${c} = ?`).join(", ");
      if (existing !== undefined) {
        await tx.execute(
          `UPDATE release_milestones SET ${set}, updated_at = ? WHERE id = ?`,
          [...values, now, existing.release_id],
        );
        return;
      }
      // A bare milestone recorded by create_milestone becomes this release's.
      const bare = fields.platform_milestone_id === null ? [] : await tx.rows<{ id: number }>(
        `SELECT id FROM release_milestones WHERE config_id = ? AND release_version IS NULL
           AND platform_milestone_id = ? ORDER BY id LIMIT 1`,
        [cfg.config_id, fields.platform_milestone_id],
      );
      if (bare[0] !== undefined) {
        await tx.execute(
          `UPDATE release_milestones SET ${set}, release_version = ?, updated_at = ? WHERE id = ?`,
          [...values, version, now, Number(bare[0].id)],
        );
        return;
      }
      await tx.execute(
        `INSERT INTO release_milestones (${
          columns.join(", ")
        }, config_id, release_version, created_at, updated_at)
           VALUES (${columns.map(() => "?").join(", ")}, ?, ?, ?, ?)`,
        [...values, cfg.config_id, version, now, now],
      );
    });
  });
