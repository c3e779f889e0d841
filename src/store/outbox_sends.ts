/**
 * The outbox statements around one send (`../sync/outbox.ts`): the claim of an attempt and the
 * record of its outcome. Each is checked against the row's `revision` where a re-queue meanwhile
 * must win: the newer revision stays pending and is sent next.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { changes, execute, type SqlWrite } from "./sql.ts";

/** Which row, at which revision. */
export interface RowRevision {
  readonly id: number;
  readonly revision: number;
}

/**
 * Claims an attempt of a row still pending at its revision: counts it and marks it in flight until
 * `notBefore` (ISO). False when the row was re-queued or settled meanwhile.
 */
export const claimAttempt = (
  row: RowRevision,
  now: number,
  notBefore: number,
): Effect.Effect<boolean, AppError, SqlWrite> =>
  changes(
    `UPDATE sync_outbox SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),
            not_before = ?, updated_at = ?
      WHERE id = ? AND revision = ? AND status = 'pending'`,
    [
      new Date(now).toISOString(),
      new Date(notBefore).toISOString(),
      new Date(now).toISOString(),
      row.id,
      row.revision,
    ],
  ).pipe(Effect.map((n) => n === 1));

/** Parks a row refused for good, unless it was re-queued meanwhile; true when parked. */
export const parkWrite = (row: RowRevision, error: string): Effect.Effect<boolean, AppError, SqlWrite> =>
  changes(
    `UPDATE sync_outbox SET status = 'parked', not_before = NULL, last_error = ?, updated_at = ?
      WHERE id = ? AND revision = ?`,
    [error, nowIso(), row.id, row.revision],
  ).pipe(Effect.map((n) => n === 1));

/**
 * Keeps a failed row pending with its error: an answer means nothing is in flight any more
 * (`not_before` cleared); no answer (`unanswered`) leaves it waiting.
 */
export const keepPending = (
  rowId: number,
  unanswered: boolean,
  error: string,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE sync_outbox SET not_before = CASE WHEN ? THEN not_before ELSE NULL END, last_error = ?,
            updated_at = ? WHERE id = ?`,
    [unanswered ? 1 : 0, error, nowIso(), rowId],
  ).pipe(Effect.asVoid);

/** Marks a row done, whatever its revision (a create: its link now holds the issue). */
export const markDone = (rowId: number): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE sync_outbox SET status = 'done', not_before = NULL, last_error = NULL, updated_at = ? WHERE id = ?`,
    [nowIso(), rowId],
  ).pipe(Effect.asVoid);

/**
 * Marks a row done if it is still at the revision sent; otherwise only clears its `not_before` (the
 * request is over; the newer revision goes next). True when marked done.
 */
export const markSentRevisionDone = (row: RowRevision): Effect.Effect<boolean, AppError, SqlWrite> =>
  Effect.gen(function* () {
    const done = yield* changes(
      `UPDATE sync_outbox SET status = 'done', not_before = NULL, last_error = NULL, updated_at = ?
        WHERE id = ? AND revision = ?`,
      [nowIso(), row.id, row.revision],
    );
    if (done !== 1) yield* execute("UPDATE sync_outbox SET not_before = NULL WHERE id = ?", [row.id]);
    return done === 1;
  });

/** Settles a link's queued (or parked) update with nothing left to send: done. */
export const settleQueuedUpdate = (linkId: number): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE sync_outbox SET status = 'done', not_before = NULL, last_error = NULL, updated_at = ?
      WHERE link_id = ? AND kind = 'update' AND status IN ('pending', 'parked')`,
    [nowIso(), linkId],
  ).pipe(Effect.asVoid);
