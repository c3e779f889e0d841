/**
 * The boards repository: the `boards` and `board_items` tables — boards made or adopted on a
 * repository's forge, and the linked items put on them (the column forgesync decided, the column the
 * forge confirmed, and why a move is still pending) — read and written as statements.
 *
 * The store owns the stored shape: the kinds of board, the status → column mapping and the board as
 * the forge last showed it (the same fields as the plugin contract's `RemoteBoard`).
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { FeatureStatus } from "../domain/feature.ts";
import { nowIso } from "../domain/ids.ts";
import type { TaskStatus } from "../domain/task.ts";
import { changes, decodeRow, decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** The kinds of board. */
export const BOARD_TYPES = ["feature_development", "release_planning", "sprint_board"] as const;
/** One of {@link BOARD_TYPES}. */
export type BoardType = typeof BOARD_TYPES[number];

/** Which column each status goes to, per kind of item. A status without a column leaves its card alone. */
export interface StatusMapping {
  readonly features: Readonly<Partial<Record<FeatureStatus, string>>>;
  readonly tasks: Readonly<Partial<Record<TaskStatus, string>>>;
}

const Text = Schema.NullOr(Schema.String);

const StoredColumn = Schema.Struct({ id: Schema.String, name: Schema.String });

/** A board as the forge last showed it (the fields of the plugin contract's `RemoteBoard`). */
export interface StoredBoard {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly url: string | null;
  readonly owner: string | null;
  readonly columns_field_id: string | null;
  /** Columns in board order. */
  readonly columns: readonly { readonly name: string; readonly id: string }[];
}

/** A board as stored. */
export interface BoardRecord {
  readonly board_id: number;
  readonly config_id: number;
  readonly board_type: BoardType;
  readonly remote: StoredBoard;
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

const BoardRow = Schema.Struct({
  id: Schema.Number,
  config_id: Schema.Number,
  board_type: Schema.Literals(BOARD_TYPES),
  title: Schema.String,
  remote_id: Schema.String,
  remote_number: Schema.Number,
  owner: Text,
  url: Text,
  columns_field_id: Text,
  columns: Schema.fromJsonString(Schema.Array(StoredColumn)),
  status_mapping: Schema.fromJsonString(Schema.Struct({
    features: Schema.Record(Schema.String, Schema.String),
    tasks: Schema.Record(Schema.String, Schema.String),
  })),
  adopted: Schema.BooleanFromBit,
  created_at: Schema.String,
  updated_at: Schema.String,
});

const ItemRow = Schema.Struct({
  board_id: Schema.Number,
  link_id: Schema.Number,
  item_id: Text,
  column_name: Schema.String,
  synced_column: Text,
  sync_status: Schema.Literals(["synced", "pending"]),
  last_error: Text,
  created_at: Schema.String,
  updated_at: Schema.String,
});

function toBoard(row: typeof BoardRow.Type): BoardRecord {
  return {
    board_id: row.id,
    config_id: row.config_id,
    board_type: row.board_type,
    remote: {
      id: row.remote_id,
      number: row.remote_number,
      title: row.title,
      url: row.url,
      owner: row.owner,
      columns_field_id: row.columns_field_id,
      columns: row.columns,
    },
    status_mapping: row.status_mapping,
    adopted: row.adopted,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toItem(row: typeof ItemRow.Type): BoardItemRecord {
  return {
    board_id: row.board_id,
    link_id: row.link_id,
    item_id: row.item_id,
    column: row.column_name,
    synced_column: row.synced_column,
    sync_status: row.sync_status,
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const boardRows = decodeRows(BoardRow);
const itemRows = decodeRows(ItemRow);

/** The boards of a configuration (all when `configId` is undefined), oldest first. */
export const listBoards = (configId?: number): Effect.Effect<BoardRecord[], AppError, SqlRead> =>
  (configId === undefined
    ? boardRows("SELECT * FROM boards ORDER BY id")
    : boardRows("SELECT * FROM boards WHERE config_id = ? ORDER BY id", [configId])).pipe(
      Effect.map((rows) => rows.map(toBoard)),
    );

/** A board by id, or undefined. */
export const findBoard = (boardId: number): Effect.Effect<BoardRecord | undefined, AppError, SqlRead> =>
  decodeRow(BoardRow)("SELECT * FROM boards WHERE id = ?", [boardId]).pipe(
    Effect.map((row) => (row === undefined ? undefined : toBoard(row))),
  );

/** A board to record. */
export interface NewBoard {
  readonly config_id: number;
  readonly board_type: BoardType;
  readonly remote: StoredBoard;
  readonly status_mapping: StatusMapping;
  readonly adopted: boolean;
}

/**
 * Records a board, or updates the board already recorded for the same remote board (adopting it
 * again): its title, columns and mapping. Returns the stored board.
 */
export const saveBoard = (input: NewBoard): Effect.Effect<BoardRecord, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const now = nowIso();
    const r = input.remote;
    yield* execute(
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
    );
    const [row] = yield* boardRows("SELECT * FROM boards WHERE config_id = ? AND remote_id = ?", [
      input.config_id,
      r.id,
    ]);
    return toBoard(row!);
  });

/** Stores the board as the forge showed it at `updatedAt` (title, number, owner, address, columns). */
export const updateBoardRemote = (
  boardId: number,
  remote: StoredBoard,
  updatedAt: string,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE boards SET title = ?, remote_number = ?, owner = ?, url = ?, columns_field_id = ?, columns = ?,
       updated_at = ? WHERE id = ?`,
    [
      remote.title,
      remote.number,
      remote.owner,
      remote.url,
      remote.columns_field_id,
      JSON.stringify(remote.columns),
      updatedAt,
      boardId,
    ],
  );

/** The items of a board, oldest first. */
export const boardItems = (boardId: number): Effect.Effect<BoardItemRecord[], AppError, SqlRead> =>
  itemRows("SELECT * FROM board_items WHERE board_id = ? ORDER BY created_at, link_id", [boardId]).pipe(
    Effect.map((rows) => rows.map(toItem)),
  );

/** The item of a link on a board, or undefined. */
export const boardItem = (
  boardId: number,
  linkId: number,
): Effect.Effect<BoardItemRecord | undefined, AppError, SqlRead> =>
  decodeRow(ItemRow)("SELECT * FROM board_items WHERE board_id = ? AND link_id = ?", [boardId, linkId]).pipe(
    Effect.map((row) => (row === undefined ? undefined : toItem(row))),
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

/** Records moves of items on a board (inserting items not on it yet). */
export const recordMoves = (
  boardId: number,
  moves: readonly MoveRecord[],
): Effect.Effect<void, AppError, SqlWrite> =>
  Effect.gen(function* () {
    const now = nowIso();
    for (const m of moves) {
      yield* execute(
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
  });

/** Removes items whose link no longer exists (the link was removed with unlink); returns how many. */
export const dropOrphans = (boardId: number): Effect.Effect<number, AppError, SqlWrite> =>
  changes(
    "DELETE FROM board_items WHERE board_id = ? AND link_id NOT IN (SELECT id FROM feature_issue_links)",
    [boardId],
  );
