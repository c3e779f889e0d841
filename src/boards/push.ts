/**
 * Pushing a board: put every item of the board in the column its local status maps to (release
 * boards: its issue's milestone), reading the board once and moving only the cards not there yet.
 * With the forge out of reach, the moves that can be decided locally are kept pending for the
 * next push.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import { AppError } from "../domain/errors.ts";
import type { RemoteCard } from "../platform/boards.ts";
import type { PlatformError } from "../platform/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { Db } from "../store/db.ts";
import { type LoadedItem, loadItems } from "./items.ts";
import { findColumn } from "./mapping.ts";
import { queueable } from "./placement.ts";
import { type BoardServices, readCards, type SelectedBoard } from "./select.ts";
import { type BoardRecord, dropOrphans, findBoard, recordMoves } from "../store/boards_repo.ts";
import { reading, refreshBoard, transaction } from "./records.ts";
import { offlineMoves, type Plan, planMoves } from "./targets.ts";
import { type Progress, sendMoves } from "./send_moves.ts";
import { boardView, columnNames, itemView, type MoveView, type SkipView } from "./views.ts";

export type { Progress };

/** The reason of an answer with moves kept pending. */
const keptMoves = (message: string, count: number) =>
  `${message} ${count} card move(s) are kept locally and sent by the next update_progress.`;

/** The milestone of each item's issue: its card's, or (a card taken off the board) its issue's. */
const milestonesOf = (
  s: SelectedBoard,
  items: readonly LoadedItem[],
  cards: ReadonlyMap<number, RemoteCard>,
) =>
  Effect.gen(function* () {
    const milestoneOf = new Map<number, string | null>();
    for (const item of items) {
      const number = item.link.issue_number!;
      const card = cards.get(number);
      if (card !== undefined) {
        milestoneOf.set(number, card.milestone);
        continue;
      }
      const issue = yield* Effect.result(s.forge.client.getIssue(s.forge.repo, number));
      milestoneOf.set(
        number,
        Result.isSuccess(issue) && Option.isSome(issue.success) ? issue.success.value.milestone : null,
      );
    }
    return milestoneOf;
  });

/**
 * Sends the planned moves (`send_moves.ts`: in batches where the plugin can), adding first the
 * columns they need that the board lacks (deleted on the forge), and records them. The first
 * failure that means the forge is out of reach keeps that move and the rest pending; a move the
 * forge refuses (a deleted issue) is skipped.
 */
const applyMoves = (
  s: SelectedBoard,
  fresh: BoardRecord,
  plans: readonly Plan[],
  moved: readonly MoveView[],
  progress: Progress,
): Effect.Effect<
  { done: MoveView[]; skipped: SkipView[]; pending: number; failure: PlatformError | undefined },
  AppError,
  Db
> =>
  Effect.gen(function* () {
    const lacking = [...new Set(plans.map((p) => p.to))].filter((c) =>
      findColumn(columnNames(fresh.remote), c) === undefined
    );
    let remote = fresh.remote;
    let failure: PlatformError | undefined;
    if (lacking.length > 0) {
      const grown = yield* Effect.result(s.boards.addColumns(s.forge.repo, remote, lacking));
      if (Result.isFailure(grown)) {
        if (!queueable(grown.failure)) return yield* Effect.fail(toAppError(grown.failure));
        failure = grown.failure;
      } else {
        remote = grown.success;
        yield* refreshBoard(fresh, remote);
      }
    }
    const sent = yield* sendMoves(s, remote, plans, moved, failure, progress);
    yield* transaction(recordMoves(s.board.board_id, sent.records));
    return {
      done: sent.done,
      skipped: sent.skipped,
      pending: sent.records.filter((r) => !r.synced).length,
      failure: sent.failure,
    };
  });

/**
 * Puts every item of the board in the column its local status maps to (release boards: its issue's
 * milestone), reading the board once and moving only the cards not there yet. Items whose status
 * maps to no column, and items the forge refuses (a deleted issue), are skipped with the reason.
 */
export const push = (
  s: SelectedBoard,
  options: { readonly dryRun: boolean; readonly progress: Progress },
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  Effect.gen(function* () {
    yield* transaction(dropOrphans(s.board.board_id));
    const items = (yield* loadItems(s.board.board_id)).filter((i) => i.link.issue_number !== null);
    const read = yield* Effect.result(readCards(s));
    if (Result.isFailure(read)) {
      const error = read.failure;
      if (!queueable(error)) return yield* Effect.fail(toAppError(error));
      // The forge is out of reach: decide what can be decided locally and keep it pending.
      const moves = offlineMoves(s.board, items, error.message);
      if (!options.dryRun) yield* transaction(recordMoves(s.board.board_id, moves));
      return {
        board: boardView(s.cfg, s.board),
        moved: [],
        unchanged: 0,
        skipped: [],
        pending: moves.length,
        sync_status: "pending",
        reason: keptMoves(error.message, moves.length),
        ...(options.dryRun ? { dry_run: true } : {}),
      };
    }
    const fresh = read.success.fresh;
    const cards = new Map(read.success.cards.map((c) => [c.issue_number, c]));
    const milestoneOf = s.board.board_type === "release_planning"
      ? yield* milestonesOf(s, items, cards)
      : new Map<number, string | null>();
    const { plans, confirm, unchanged, skipped } = planMoves(fresh, items, cards, milestoneOf);
    const moved: MoveView[] = plans.map((p) => ({
      issue_number: p.item.link.issue_number!,
      item: itemView(p.item.local),
      from: p.from,
      to: p.to,
    }));
    if (options.dryRun) {
      return { board: boardView(s.cfg, fresh), moved, unchanged, skipped, pending: 0, dry_run: true };
    }
    yield* transaction(recordMoves(s.board.board_id, confirm));
    const applied = yield* applyMoves(s, fresh, plans, moved, options.progress);
    return {
      board: boardView(s.cfg, (yield* reading(findBoard(s.board.board_id)))!),
      moved: applied.done,
      unchanged,
      skipped: [...skipped, ...applied.skipped],
      pending: applied.pending,
      sync_status: applied.pending > 0 ? "pending" : "synced",
      ...(applied.failure !== undefined
        ? { reason: keptMoves(applied.failure.message, applied.pending) }
        : {}),
    };
  });
