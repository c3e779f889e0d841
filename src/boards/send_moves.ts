/**
 * Sending a board's planned card moves: in batches where the plugin has `moveCards` (GitHub: 25
 * moves a request, and no add for a card already on the board), else one `moveCard` per card.
 *
 * Each move ends synced, pending or skipped: a move the forge took is synced; a failure that means
 * the forge is out of reach (rate limit, 5xx after the core's retries, no answer) keeps that move
 * and every later one pending for the next update_progress — which reads the board before moving
 * anything, so a batch that got no answer is never sent again blindly; a move the forge refuses (a
 * deleted issue) is skipped with the reason, alone when the rest of its batch was taken.
 *
 * @module
 */
import { Effect, Result } from "effect";
import { chunks } from "../domain/chunks.ts";
import type { RemoteBoard, RemoteCard } from "../platform/boards.ts";
import type { PlatformError } from "../platform/errors.ts";
import type { BatchResults } from "../platform/types.ts";
import { queueable } from "./placement.ts";
import type { SelectedBoard } from "./select.ts";
import type { MoveRecord } from "../store/boards_repo.ts";
import { pendingMove, type Plan, syncedMove } from "./targets.ts";
import type { MoveView, SkipView } from "./views.ts";

/** Reports progress (a no-op unless the caller asked for notifications). */
export type Progress = (done: number, total: number, message?: string) => Effect.Effect<void>;

/** What sending the moves did. */
export interface Sent {
  readonly records: MoveRecord[];
  readonly done: MoveView[];
  readonly skipped: SkipView[];
  /** The failure that left moves pending, if any. */
  readonly failure: PlatformError | undefined;
}

/** One planned move with what the answer shows of it. */
interface Move {
  readonly plan: Plan;
  readonly view: MoveView;
}

/** Sends one batch: `moveCards` when the plugin has it, else `moveCard` (a batch of one). */
const sendBatch = (
  s: SelectedBoard,
  board: RemoteBoard,
  batch: readonly Move[],
): Effect.Effect<BatchResults<RemoteCard>, PlatformError> =>
  s.boards.moveCards !== undefined
    ? s.boards.moveCards(
      s.forge.repo,
      board,
      batch.map(({ plan, view }) => ({
        issue: { number: view.issue_number, id: plan.item.link.issue_id },
        column: plan.to,
        item_id: plan.item_id,
      })),
    )
    : Effect.forEach(batch, ({ plan, view }) =>
      Effect.result(
        s.boards.moveCard(
          s.forge.repo,
          board,
          { number: view.issue_number, id: plan.item.link.issue_id },
          plan.to,
        ),
      ));

/**
 * Sends the planned moves on `board` (`plans[i]` shown as `views[i]`), unless `failure` says the
 * forge is out of reach already (then every move is kept pending).
 */
export const sendMoves = (
  s: SelectedBoard,
  board: RemoteBoard,
  plans: readonly Plan[],
  views: readonly MoveView[],
  failure: PlatformError | undefined,
  progress: Progress,
): Effect.Effect<Sent> =>
  Effect.gen(function* () {
    const records: MoveRecord[] = [];
    const done: MoveView[] = [];
    const skipped: SkipView[] = [];
    let stop = failure;
    const keep = (move: Move, error: PlatformError) =>
      records.push(pendingMove(move.plan.item.link.link_id, move.plan.to, error.message));
    const skip = (move: Move, error: PlatformError) =>
      skipped.push({ issue_number: move.view.issue_number, item: move.view.item, reason: error.message });
    const size = s.boards.moveCards === undefined ? 1 : Math.max(1, s.boards.batchSize ?? 1);
    const moves = plans.map((plan, i) => ({ plan, view: views[i]! }));
    let reported = 0;
    for (const batch of chunks(moves, size)) {
      if (stop !== undefined) {
        for (const move of batch) keep(move, stop);
        continue;
      }
      const sent = yield* Effect.result(sendBatch(s, board, batch));
      if (Result.isFailure(sent)) {
        // The whole request failed: nothing is known of any move of it.
        if (queueable(sent.failure)) stop = sent.failure;
        for (const move of batch) (queueable(sent.failure) ? keep : skip)(move, sent.failure);
      } else {
        batch.forEach((move, i) => {
          const outcome = sent.success[i]!;
          if (Result.isSuccess(outcome)) {
            records.push(syncedMove(move.plan.item.link.link_id, move.plan.to, outcome.success.item_id));
            done.push(move.view);
          } else if (queueable(outcome.failure)) {
            stop ??= outcome.failure;
            keep(move, outcome.failure);
          } else skip(move, outcome.failure);
        });
      }
      for (const move of batch) {
        yield* progress(++reported, plans.length, `issue #${move.view.issue_number} → ${move.plan.to}`);
      }
    }
    return { records, done, skipped, failure: stop };
  });
