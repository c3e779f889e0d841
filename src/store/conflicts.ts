/**
 * Recorded conflicts (`sync_conflicts`): a divergence of both sides on one field, settled by the
 * repository's policy (and recorded as resolved) or left open for `resolve_conflict`.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { Conflict } from "../domain/merge.ts";
import { decodeRow, decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** A recorded conflict, as the tools show it (its row, the id named `conflict_id`). */
export const ConflictRecord = Schema.Struct({
  conflict_id: Schema.Number,
  link_id: Schema.Number,
  field: Schema.String,
  base_local: Schema.String,
  base_remote: Schema.String,
  local_value: Schema.String,
  remote_value: Schema.String,
  policy: Schema.String,
  status: Schema.Literals(["open", "resolved"]),
  resolution: Schema.NullOr(Schema.String),
  created_at: Schema.String,
});
/** See {@link ConflictRecord}. */
export type ConflictRecord = typeof ConflictRecord.Type;

const COLUMNS = "c.id AS conflict_id, c.link_id, c.field, c.base_local, c.base_remote, c.local_value, " +
  "c.remote_value, c.policy, c.status, c.resolution, c.created_at";

/** Records a conflict (once: the same divergence is not recorded twice). */
export const recordConflict = (
  linkId: number,
  conflict: Conflict,
  policy: string,
): Effect.Effect<void, AppError, SqlWrite> => {
  const resolved = conflict.resolution !== "manual";
  return execute(
    `INSERT OR IGNORE INTO sync_conflicts (link_id, field, base_local, base_remote, local_value, remote_value, policy,
       status, resolution, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      linkId,
      conflict.field,
      conflict.base.local,
      conflict.base.remote,
      conflict.local,
      conflict.remote,
      policy,
      resolved ? "resolved" : "open",
      resolved ? conflict.resolution : null,
      nowIso(),
      resolved ? nowIso() : null,
    ],
  ).pipe(Effect.asVoid);
};

/** A conflict by its id. */
export const conflictById = (id: number): Effect.Effect<ConflictRecord | undefined, AppError, SqlRead> =>
  decodeRow(ConflictRecord)(`SELECT ${COLUMNS} FROM sync_conflicts c WHERE c.id = ?`, [id]);

/** How many conflicts of a configuration are open. */
export const openConflictCount = (configId: number): Effect.Effect<number, AppError, SqlRead> =>
  decodeRow(Schema.Struct({ n: Schema.Number }))(
    `SELECT COUNT(*) AS n FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
      WHERE l.config_id = ? AND c.status = 'open'`,
    [configId],
  ).pipe(Effect.map((row) => row?.n ?? 0));

/** The newest `limit` open conflicts of a configuration, before the conflict id `before` when given. */
export const openConflicts = (
  configId: number,
  limit: number,
  before?: number,
): Effect.Effect<ReadonlyArray<ConflictRecord>, AppError, SqlRead> =>
  decodeRows(ConflictRecord)(
    `SELECT ${COLUMNS} FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
      WHERE l.config_id = ? AND c.status = 'open' ${before === undefined ? "" : "AND c.id < ?"}
      ORDER BY c.id DESC LIMIT ?`,
    before === undefined ? [configId, limit] : [configId, before, limit],
  );

/** Marks a conflict resolved, with how. */
export const markResolved = (id: number, resolution: string): Effect.Effect<void, AppError, SqlWrite> =>
  execute("UPDATE sync_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?", [
    resolution,
    nowIso(),
    id,
  ]).pipe(Effect.asVoid);
