/**
 * What board actions answer: a board, its cards, the moves made and the items skipped, as tools
 * return them, built from the local records and the forge's cards.
 *
 * @module
 */
import type { RemoteBoard } from "../platform/boards.ts";
import type { RepoConfig } from "../store/configs.ts";
import { type BoardLink, type BoardLocal, describe } from "./items.ts";
import type { BoardType, StatusMapping } from "./mapping.ts";
import type { BoardRecord } from "../store/boards_repo.ts";

/** A board as tools return it. */
export interface BoardView {
  readonly board_id: number;
  readonly board_type: BoardType;
  readonly title: string;
  readonly platform: string;
  readonly repository: string;
  readonly number: number;
  readonly url: string | null;
  readonly owner: string | null;
  readonly columns: readonly string[];
  readonly status_mapping: StatusMapping;
  readonly adopted: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The local item of a card. */
export interface ItemView {
  readonly kind: "feature" | "task";
  readonly id: string;
  readonly title: string;
  readonly status: string;
}

/** A card as tools return it. */
export interface CardView {
  readonly issue_number: number;
  readonly title: string;
  readonly url: string | null;
  readonly column: string | null;
  /** The linked feature or task; null for an issue on the board that no local item is linked to. */
  readonly item: ItemView | null;
  readonly link_id: number | null;
  /** Whether the forge has the card's column forgesync decided; null for cards forgesync did not place. */
  readonly sync_status: "synced" | "pending" | null;
}

/** A card moved (or, in a dry run, to move). */
export interface MoveView {
  readonly issue_number: number;
  readonly item: ItemView | null;
  readonly from: string | null;
  readonly to: string;
}

/** An item left where it is, and why. */
export interface SkipView {
  readonly issue_number: number | null;
  readonly item: ItemView | null;
  readonly reason: string;
}

/** A column with its cards. */
export interface ColumnView {
  /** Null for the cards that are on the board but in no column. */
  readonly name: string | null;
  readonly cards: readonly CardView[];
}

/** A recorded board of a configuration as tools return it. */
export function boardView(cfg: RepoConfig, board: BoardRecord): BoardView {
  return {
    board_id: board.board_id,
    board_type: board.board_type,
    title: board.remote.title,
    platform: cfg.platform,
    repository: cfg.repository,
    number: board.remote.number,
    url: board.remote.url,
    owner: board.remote.owner,
    columns: board.remote.columns.map((c) => c.name),
    status_mapping: board.status_mapping,
    adopted: board.adopted,
    created_at: board.created_at,
    updated_at: board.updated_at,
  };
}

/** The local item of a card; null when none is linked (or it no longer exists). */
export function itemView(local: BoardLocal | undefined): ItemView | null {
  return local === undefined ? null : describe(local);
}

/** The card of a placed item as tools return it. */
export function cardView(
  card: { issue_number: number; title: string; url: string | null; column: string | null },
  link: BoardLink | undefined,
  local: BoardLocal | undefined,
  status: "synced" | "pending" | null,
): CardView {
  return {
    issue_number: card.issue_number,
    title: card.title,
    url: card.url,
    column: card.column,
    item: itemView(local),
    link_id: link?.link_id ?? null,
    sync_status: status,
  };
}

/** The names of a board's columns, in the board's order. */
export const columnNames = (board: RemoteBoard): string[] => board.columns.map((c) => c.name);

/**
 * Column names quoted for a message, or "(none)".
 *
 * @example
 * ```ts
 * import { listColumns } from "./views.ts";
 * listColumns(["Todo", "Done"]); // '"Todo", "Done"'
 * ```
 */
export function listColumns(names: readonly string[]): string {
  return names.length === 0 ? "(none)" : names.map((n) => `"${n}"`).join(", ");
}

/** "Task" or "Feature", to start a message about an item of that kind. */
export const kindTitle = (kind: "feature" | "task"): string => kind === "task" ? "Task" : "Feature";
