/**
 * The `boards` and `board_items` tables: boards made or adopted on a repository's forge, and the
 * linked items put on them (the column forgesync decided, the column the forge confirmed, and why a
 * move is still pending).
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { nowIso } from "../domain/ids.ts";
import type { AppError } from "../domain/errors.ts";
import type { RemoteBoard, RemoteColumn } from "../platform/boards.ts";
import type { BoardType, StatusMapping } from "./mapping.ts";

/** A board as stored. */
export interface BoardRecord {
  readonly board_id: number;
  readonly config_id: number;
  readonly board_type: BoardType;
  readonly remote: RemoteBoard;
  readonly status_mapping: StatusMapping;
  readonly adopted: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** An item on a board, as stored. */
export interface BoardItemRecord {
  readonly board_id: number;
  readonly link_id: number;
  readonly item_id: string | null;
  readonly column: string;
  readonly synced_column: string | null;
  readonly sync_status: "synced" | "pending";
  readonly last_error: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function rowToBoard(row: Record<string, unknown>): BoardRecord {
  return {
    board_id: Number(row.id),
    config_id: Number(row.config_id),
    board_type: String(row.board_type) as BoardType,
    remote: {
      id: String(row.remote_id),
      number: Number(row.remote_number),
      title: String(row.title),
      url: str(row.url),
      owner: str(row.owner),
      columns_field_id: str(row.columns_field_id),
      columns: JSON.parse(String(row.columns)) as RemoteColumn[],
    },
    status_mapping: JSON.parse(String(row.status_mapping)) as StatusMapping,
    adopted: Number(row.adopted) === 1,
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
  };
}

function rowToItem(row: Record<string, unknown>): BoardItemRecord {
  return {
    board_id: Number(row.board_id),
    link_id: Number(row.link_id),
    item_id: str(row.item_id),
    column: String(row.column_name),
    synced_column: str(row.synced_column),
    sync_status: String(row.sync_status) === "pending" ? "pending" : "synced",
    last_error: str(row.last_error),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
  };
}

/** The boards of a configuration (all when `configId` is undefined), oldest first. */
export const listBoards = (configId?: number): Effect.Effect<BoardRecord[], never, Db> =>
  Db.use((db) =>
    configId === undefined
      ? db.query("SELECT * FROM boards ORDER BY id")
      : db.query("SELECT * FROM boards WHERE config_id = ? ORDER BY id", [configId])
  ).pipe(Effect.map((rows) => rows.map(rowToBoard)));

/** A board by id, or undefined. */
export const findBoard = (boardId: number): Effect.Effect<BoardRecord | undefined, never, Db> =>
  Db.use((db) => db.query("SELECT * FROM boards WHERE id = ?", [boardId])).pipe(
    Effect.map((rows) => (rows[0] === undefined ? undefined : rowToBoard(rows[0]))),
  );

/**
 * Records a board, or updates the board already recorded for the same remote board (adopting it
 * again): its title, columns and mapping. Returns the stored board.
 */
export const saveBoard = (input: {
  readonly config_id: number;
  readonly board_type: BoardType;
  readonly remote: RemoteBoard;
  readonly status_mapping: StatusMapping;
  readonly adopted: boolean;
}): Effect.Effect<BoardRecord, AppError, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const now = nowIso();
    const r = input.remote;
    yield* db.write((tx) =>
      tx.execute(
        `INSERT INTO boards (config_id, board_type, title, remote_id, remote_number, owner, url, columns_field_id,
           columns, status_mapping, adopted, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (config_id, remote_id) DO UPDATE SET board_type = excluded.board_type, title = excluded.title,
           remote_number = excluded.remote_number, owner = excluded.owner, url = excluded.url,
           columns_field_id = excluded.columns_field_id, columns = excluded.columns,
           status_mapping = excluded.status_mapping, updated_at = excluded.updated_at`,
        [
          input.config_id,
          input.board_type,
          r.title,
          r.id,
          r.number,
          r.owner,
          r.url,
          r.columns_field_id,
          JSON.stringify(r.columns),
          JSON.stringify(input.status_mapping),
          input.adopted ? 1 : 0,
          now,
          now,
        ],
      )
    );
    const rows = yield* db.query("SELECT * FROM boards WHERE config_id = ? AND remote_id = ?", [
      input.config_id,
      r.id,
    ]);
    return rowToBoard(rows[0]!);
  });

/** Stores the board as the forge last showed it (title, columns), when it changed. */
export const refreshBoard = (
  board: BoardRecord,
  remote: RemoteBoard,
): Effect.Effect<BoardRecord, AppError, Db> =>
  Effect.gen(function* () {
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
    if (key(board.remote) === key(remote)) return board;
    const updated_at = nowIso();
    yield* Db.use((db) =>
      db.write((tx) =>
        tx.execute(
          `UPDATE boards SET title = ?, remote_number = ?, owner = ?, url = ?, columns_field_id = ?, columns = ?,
             updated_at = ? WHERE id = ?`,
          [
            remote.title,
            remote.number,
            remote.owner,
            remote.url,
            remote.columns_field_id,
            JSON.stringify(remote.columns),
            updated_at,
            board.board_id,
          ],
        )
      )
    );
    return { ...board, remote, updated_at };
  });

/** The items of a board, by link id. */
export const boardItems = (boardId: number): Effect.Effect<BoardItemRecord[], never, Db> =>
  Db.use((db) =>
    db.query("SELECT * FROM board_items WHERE board_id = ? ORDER BY created_at, link_id", [boardId])
  )
    .pipe(Effect.map((rows) => rows.map(rowToItem)));

/** The item of a link on a board, or undefined. */
export const boardItem = (
  boardId: number,
  linkId: number,
): Effect.Effect<BoardItemRecord | undefined, never, Db> =>
  Db.use((db) => db.query("SELECT * FROM board_items WHERE board_id = ? AND link_id = ?", [boardId, linkId]))
    .pipe(
      Effect.map((rows) => (rows[0] === undefined ? undefined : rowToItem(rows[0]))),
    );

/** What a move did: confirmed by the forge (with the card's id), or still pending (with the reason). */
export type MoveRecord =
  | {
    readonly link_id: number;
    readonly column: string;
    readonly synced: true;
    readonly item_id: string | null;
  }
  | { readonly link_id: number; readonly column: string; readonly synced: false; readonly error: string };

/** Records moves of items on a board in one transaction (inserting items not on it yet). */
export const recordMoves = (
  boardId: number,
  moves: readonly MoveRecord[],
): Effect.Effect<void, AppError, Db> =>
  moves.length === 0 ? Effect.void : Db.use((db) =>
    db.write(async (tx) => {
      const now = nowIso();
      for (const m of moves) {
        await tx.execute(
          `INSERT INTO board_items (board_id, link_id, item_id, column_name, synced_column, sync_status, last_error,
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (board_id, link_id) DO UPDATE SET
             item_id = COALESCE(excluded.item_id, board_items.item_id), column_name = excluded.column_name,
             synced_column = CASE WHEN excluded.sync_status = 'synced' THEN excluded.synced_column
                                  ELSE board_items.synced_column END,
             sync_status = excluded.sync_status, last_error = excluded.last_error, updated_at = excluded.updated_at`,
          [
            boardId,
            m.link_id,
            m.synced ? m.item_id : null,
            m.column,
            m.synced ? m.column : null,
            m.synced ? "synced" : "pending",
            m.synced ? null : m.error,
            now,
            now,
          ],
        );
      }
    })
  );

/** Removes items whose link no longer exists (the link was removed with unlink). */
export const dropOrphans = (boardId: number): Effect.Effect<number, AppError, Db> =>
  Db.use((db) =>
    db.write(async (tx) => {
      const result = await tx.execute(
        "DELETE FROM board_items WHERE board_id = ? AND link_id NOT IN (SELECT id FROM feature_issue_links)",
        [boardId],
      );
      return result.rowsAffected;
    })
  );
