/**
 * Placing one card (add_to_board, move_card) on the board as forgesync stored it, without reading
 * the board first: one request saved per call (GitHub: a project read). The board is read, and
 * stored, only when the stored one lacks what the call needs, or when the forge refused the move on
 * it and may have changed since (a column renamed, added or renewed there); the call then goes on
 * with the fresh board. A refusal on a board that did not change is the refusal.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import type { RemoteBoard } from "../platform/boards.ts";
import type { PlatformError } from "../platform/errors.ts";
import type { Db } from "../store/db.ts";
import { queueable } from "./placement.ts";
import { refresh, type SelectedBoard } from "./select.ts";
import type { BoardRecord } from "../store/boards_repo.ts";

/**
 * Whether two readings of a board have the same columns (names and ids) in the same field.
 *
 * @example
 * ```ts
 * import { sameColumns } from "./stored_first.ts";
 * const b = { id: "P", number: 1, title: "T", url: null, owner: null, columns_field_id: "F", columns: [] };
 * sameColumns(b, { ...b, title: "Renamed" }); // true
 * ```
 */
export function sameColumns(a: RemoteBoard, b: RemoteBoard): boolean {
  return a.id === b.id && a.columns_field_id === b.columns_field_id &&
    JSON.stringify(a.columns) === JSON.stringify(b.columns);
}

/**
 * Runs `onStored` on the stored board: its value when it has one. When it answers none (the stored
 * board lacks what is needed) or the forge refused it, reads the board and runs `onFresh` — unless
 * the refusal came on a board that has not changed, which is then the outcome. A failure that means
 * the forge is out of reach is the outcome at once (reading the board would fail too).
 */
export const onStoredBoard = <A>(
  s: SelectedBoard,
  onStored: (board: RemoteBoard) => Effect.Effect<Option.Option<A>, PlatformError, Db>,
  onFresh: (board: BoardRecord) => Effect.Effect<A, PlatformError, Db>,
): Effect.Effect<A, PlatformError, Db> =>
  Effect.gen(function* () {
    const stored = s.board.remote;
    const tried = yield* Effect.result(onStored(stored));
    if (Result.isSuccess(tried) && Option.isSome(tried.success)) return tried.success.value;
    if (Result.isFailure(tried) && queueable(tried.failure)) return yield* Effect.fail(tried.failure);
    const fresh = yield* refresh(s);
    if (Result.isFailure(tried) && sameColumns(fresh.remote, stored)) {
      return yield* Effect.fail(tried.failure);
    }
    return yield* onFresh(fresh);
  });
