/**
 * The outcome of placing one card (add_to_board, move_card): recorded as synced when the forge
 * took it, kept locally as pending when the forge is out of reach (5xx after retries, network
 * down, rate limited), an error when the forge refuses.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import type { RemoteCard } from "../platform/boards.ts";
import { isRetryable, type PlatformError } from "../platform/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { Db } from "../store/db.ts";
import { type BoardLink, type BoardLocal, describe } from "./items.ts";
import type { SelectedBoard } from "./select.ts";
import { type BoardRecord, findBoard, recordMoves } from "../store/boards_repo.ts";
import { reading, transaction } from "./records.ts";
import { pendingMove, syncedMove } from "./targets.ts";
import { boardView, cardView, listColumns } from "./views.ts";

/** Whether a failure means the forge is out of reach, so the move is kept pending (not refused). */
export const queueable = (e: PlatformError): boolean => isRetryable(e.reason);

/** The reason of an answer whose move is kept pending. */
export const kept = (e: PlatformError): string =>
  `${e.message} The move is kept locally and sent by the next update_progress.`;

/** VALIDATION: the board has no column of that name, listing the ones it has. */
export function unknownColumn(board: BoardRecord, column: string, known: readonly string[]): AppError {
  return AppError.validation(
    `Board ${board.board_id} ("${board.remote.title}") has no column "${column.slice(0, 100)}".`,
    `Columns: ${listColumns(known)}. Pass one of them as column (by name).`,
  );
}

/**
 * Records a card the forge placed and answers with the board and the card, synced; `extra` goes
 * between the card and `sync_status`.
 */
export const answerSynced = (
  s: SelectedBoard,
  link: BoardLink,
  local: BoardLocal,
  card: RemoteCard,
  extra: Readonly<Record<string, unknown>> = {},
): Effect.Effect<Record<string, unknown>, AppError, Db> =>
  Effect.gen(function* () {
    yield* transaction(recordMoves(s.board.board_id, [syncedMove(link.link_id, card.column!, card.item_id)]));
    return {
      board: boardView(s.cfg, (yield* reading(findBoard(s.board.board_id)))!),
      card: cardView(card, link, local, "synced"),
      ...extra,
      sync_status: "synced",
    };
  });

/**
 * A card move the forge did not take: when the forge is out of reach, kept locally as pending in
 * `column` and answered with the card, pending (`extra` between the card and `sync_status`); when
 * the forge refused, the error, and nothing is recorded.
 */
export const keepPending = (
  s: SelectedBoard,
  link: BoardLink,
  local: BoardLocal,
  column: string,
  error: PlatformError,
  extra: Readonly<Record<string, unknown>> = {},
): Effect.Effect<Record<string, unknown>, AppError, Db> =>
  Effect.gen(function* () {
    if (!queueable(error)) return yield* Effect.fail(toAppError(error));
    yield* transaction(recordMoves(s.board.board_id, [pendingMove(link.link_id, column, error.message)]));
    return {
      board: boardView(s.cfg, s.board),
      card: cardView(
        { issue_number: link.issue_number!, title: describe(local).title, url: link.issue_url, column },
        link,
        local,
        "pending",
      ),
      ...extra,
      sync_status: "pending",
      reason: kept(error),
    };
  });
