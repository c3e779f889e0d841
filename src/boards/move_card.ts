/**
 * `move_card`: move a card already on a board to the column named.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import { AppError } from "../domain/errors.ts";
import { describe, type ItemSelector, resolveItem } from "./items.ts";
import { findColumn } from "./mapping.ts";
import { answerSynced, keepPending, unknownColumn } from "./placement.ts";
import { type BoardSelector, type BoardServices, onBoard } from "./select.ts";
import { boardItem, type BoardRecord } from "../store/boards_repo.ts";
import { reading } from "./records.ts";
import { onStoredBoard } from "./stored_first.ts";
import type { RemoteBoard, RemoteCard } from "../platform/boards.ts";
import { columnNames, kindTitle } from "./views.ts";

/** Input of {@link moveCard}. */
export interface MoveInput extends BoardSelector, ItemSelector {
  readonly column: string;
}

/**
 * Moves a card already on the board to the column named `column`, on the board as stored (read
 * only when it lacks the column or the forge refuses: `stored_first.ts`).
 */
export const moveCard = (input: MoveInput): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  onBoard(input, (s) =>
    Effect.gen(function* () {
      const { link, local } = yield* resolveItem(s.cfg, input, "move_card", true);
      const before = yield* reading(boardItem(s.board.board_id, link.link_id));
      const { kind, id } = describe(local);
      if (before === undefined) {
        return yield* Effect.fail(AppError.notFound(
          `${kindTitle(kind)} "${id}" (issue #${link.issue_number}) is not on board ${s.board.board_id}.`,
          `Put it there first with {action:"add_to_board", board_id:${s.board.board_id}, ${kind}_id:"${id}"}.`,
        ));
      }
      const known = columnNames(s.board.remote);
      const column = findColumn(known, input.column);
      if (column === undefined) return yield* Effect.fail(unknownColumn(s.board, input.column, known));
      const issue = { number: link.issue_number!, id: link.issue_id };
      type Outcome = { kind: "missing"; board: BoardRecord } | { kind: "moved"; card: RemoteCard };
      const moveOn = (board: RemoteBoard, target: string) =>
        s.boards.moveCard(s.forge.repo, board, issue, target).pipe(
          Effect.map((card): Outcome => ({ kind: "moved", card })),
        );
      const attempt = yield* Effect.result(onStoredBoard(
        s,
        (board) => {
          const target = findColumn(columnNames(board), column);
          return target === undefined
            ? Effect.succeed(Option.none())
            : moveOn(board, target).pipe(Effect.map(Option.some));
        },
        (fresh) => {
          const target = findColumn(columnNames(fresh.remote), column);
          return target === undefined
            ? Effect.succeed<Outcome>({ kind: "missing", board: fresh })
            : moveOn(fresh.remote, target);
        },
      ));
      if (Result.isFailure(attempt)) return yield* keepPending(s, link, local, column, attempt.failure);
      const outcome = attempt.success;
      if (outcome.kind === "missing") {
        return yield* Effect.fail(
          unknownColumn(outcome.board, input.column, columnNames(outcome.board.remote)),
        );
      }
      return yield* answerSynced(s, link, local, outcome.card);
    }));
