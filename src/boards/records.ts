/**
 * The boards' records in the store (`src/store/boards_repo.ts`, `boards_links.ts`): reads run on
 * their own, each action's writes in one transaction, and the stored board kept as the forge last
 * showed it.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { RemoteBoard } from "../platform/boards.ts";
import { Db } from "../store/db.ts";
import type { SqlRead, SqlWrite } from "../store/sql.ts";
import { type BoardRecord, updateBoardRemote } from "../store/boards_repo.ts";
import { nowIso } from "../domain/ids.ts";

/** Runs store reads, each statement on its own (outside any transaction). */
export const reading = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E | AppError, Exclude<R, SqlRead> | Db> => Db.use((db) => db.reading(effect));

/** Runs store statements in one write transaction. */
export const transaction = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E | AppError, Exclude<R, SqlRead | SqlWrite> | Db> =>
  Db.use((db) => db.transaction(effect));

/** Whether two readings of a board differ in what is stored of it (ids, title, address, columns). */
const key = (b: RemoteBoard) =>
  JSON.stringify([
    b.id,
    b.number,
    b.title,
    b.url,
    b.owner,
    b.columns_field_id,
    b.columns.map((c) => [c.id, c.name]),
  ]);

/** Stores the board as the forge last showed it (title, columns), when it changed. */
export const refreshBoard = (
  board: BoardRecord,
  remote: RemoteBoard,
): Effect.Effect<BoardRecord, AppError, Db> =>
  Effect.gen(function* () {
    if (key(board.remote) === key(remote)) return board;
    const updated_at = nowIso();
    yield* transaction(updateBoardRemote(board.board_id, remote, updated_at));
    return { ...board, remote, updated_at };
  });
