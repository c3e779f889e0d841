/**
 * Where cards belong, decided without any I/O: the column of an item (from its local status, or
 * on release-planning boards its issue's milestone), the moves that put a board's items there, and
 * the move records that say what was done.
 *
 * @module
 */
import type { RemoteCard } from "../platform/boards.ts";
import { type BoardLocal, describe, type LoadedItem } from "./items.ts";
import { columnForMilestone, columnForStatus, findColumn } from "./mapping.ts";
import type { BoardRecord, MoveRecord } from "../store/boards_repo.ts";
import { columnNames, itemView, type SkipView } from "./views.ts";

/** The column an item belongs in on a board, or why it has none. */
export function targetOf(
  board: BoardRecord,
  columns: readonly string[],
  local: BoardLocal,
  milestone: string | null,
): { column: string } | { reason: string } {
  if (board.board_type === "release_planning") return { column: columnForMilestone(columns, milestone) };
  const { kind, status } = describe(local);
  const column = columnForStatus(board.status_mapping, kind, status);
  if (column === undefined) {
    return { reason: `${kind} status "${status}" maps to no column of this board (status_mapping)` };
  }
  return { column: findColumn(columns, column) ?? column };
}

/** A move the forge confirmed, with the card's id there. */
export const syncedMove = (link_id: number, column: string, item_id: string | null): MoveRecord => ({
  link_id,
  column,
  synced: true,
  item_id,
});

/** A move kept locally until the forge answers, with the reason it has not been sent. */
export const pendingMove = (link_id: number, column: string, error: string): MoveRecord => ({
  link_id,
  column,
  synced: false,
  error,
});

/** A card to move from one column to another. */
export interface Plan {
  readonly item: LoadedItem;
  readonly from: string | null;
  readonly to: string;
  /** The card's id on the forge when it is on the board (a batched move then needs no add). */
  readonly item_id: string | null;
}

/** What {@link planMoves} decided for a board's items. */
export interface MovePlan {
  /** The cards to move. */
  readonly plans: Plan[];
  /** Cards already in their column whose local record does not say so yet. */
  readonly confirm: MoveRecord[];
  /** How many cards are already in their column. */
  readonly unchanged: number;
  /** Items that have no column, with the reason. */
  readonly skipped: SkipView[];
}

/**
 * Compares where each item of a board belongs with where the forge shows its card (`cards` by
 * issue number; `milestoneOf` the milestone of each issue, read on release-planning boards).
 */
export function planMoves(
  board: BoardRecord,
  items: readonly LoadedItem[],
  cards: ReadonlyMap<number, RemoteCard>,
  milestoneOf: ReadonlyMap<number, string | null>,
): MovePlan {
  const plans: Plan[] = [];
  const confirm: MoveRecord[] = [];
  const skipped: SkipView[] = [];
  let unchanged = 0;
  for (const item of items) {
    const number = item.link.issue_number!;
    const card = cards.get(number);
    if (item.local === undefined) {
      skipped.push({ issue_number: number, item: null, reason: "the linked item no longer exists" });
      continue;
    }
    const target = targetOf(board, columnNames(board.remote), item.local, milestoneOf.get(number) ?? null);
    if ("reason" in target) {
      skipped.push({ issue_number: number, item: itemView(item.local), reason: target.reason });
      continue;
    }
    if (card !== undefined && card.column === target.column) {
      unchanged++;
      if (item.record.sync_status !== "synced" || item.record.column !== target.column) {
        confirm.push(syncedMove(item.link.link_id, target.column, card.item_id));
      }
      continue;
    }
    plans.push({ item, from: card?.column ?? null, to: target.column, item_id: card?.item_id ?? null });
  }
  return { plans, confirm, unchanged, skipped };
}

/**
 * With the forge out of reach, the moves that can be decided locally (not on release-planning
 * boards, which need the issues' milestones): items whose column changed, or is still pending.
 */
export function offlineMoves(board: BoardRecord, items: readonly LoadedItem[], error: string): MoveRecord[] {
  const known = columnNames(board.remote);
  const moves: MoveRecord[] = [];
  for (const item of items) {
    if (item.local === undefined || board.board_type === "release_planning") continue;
    const target = targetOf(board, known, item.local, null);
    if (
      "column" in target &&
      (target.column !== item.record.column || item.record.sync_status === "pending")
    ) {
      moves.push(pendingMove(item.link.link_id, target.column, error));
    }
  }
  return moves;
}
