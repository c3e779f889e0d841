/**
 * Pull cursors (`sync_cursors`): where the next listing of a repository's changed issues starts,
 * with the last rate-limit budget seen.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { decodeRow, execute, type SqlRead, type SqlWrite } from "./sql.ts";

const cursorRow = decodeRow(Schema.Struct({ cursor: Schema.NullOr(Schema.String) }));

/** The stored cursor of a configuration (null: list from the beginning). */
export const readCursor = (configId: number): Effect.Effect<string | null, AppError, SqlRead> =>
  cursorRow("SELECT cursor FROM sync_cursors WHERE config_id = ?", [configId]).pipe(
    Effect.map((row) => row?.cursor ?? null),
  );

/**
 * A rate-limit budget as a pass stored it: what the forge last reported (a count the forge sent as
 * something other than a number is stored as null).
 */
const StoredBudget = Schema.Struct({
  limit: Schema.NullOr(Schema.Number),
  remaining: Schema.NullOr(Schema.Number),
  reset_at: Schema.optionalKey(Schema.NullOr(Schema.String)),
  resource: Schema.optionalKey(Schema.NullOr(Schema.String)),
});
/** See {@link StoredBudget}. */
export type StoredBudget = typeof StoredBudget.Type;

/** The last rate-limit budget stored for a configuration, if any. */
export const storedRateLimit = (
  configId: number,
): Effect.Effect<StoredBudget | null, AppError, SqlRead> =>
  decodeRow(Schema.Struct({ rate_limit: Schema.NullOr(Schema.fromJsonString(StoredBudget)) }))(
    "SELECT rate_limit FROM sync_cursors WHERE config_id = ?",
    [configId],
  ).pipe(Effect.map((row) => row?.rate_limit ?? null));

/** Stores a pass's cursor with the budget it saw (JSON text, or null). */
export const saveCursor = (
  configId: number,
  cursor: string | null,
  rateLimit: string | null,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `INSERT INTO sync_cursors (config_id, cursor, rate_limit, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (config_id) DO UPDATE SET cursor = excluded.cursor, rate_limit = excluded.rate_limit,
       updated_at = excluded.updated_at`,
    [configId, cursor, rateLimit, nowIso()],
  ).pipe(Effect.asVoid);

/** Stores an import's cursor, leaving the stored budget as it is. */
export const saveImportCursor = (
  configId: number,
  cursor: string,
  now: string,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `INSERT INTO sync_cursors (config_id, cursor, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (config_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    [configId, cursor, now],
  ).pipe(Effect.asVoid);
