/**
 * `add_to_board`: put a linked feature's or task's issue on a board, in the column its local
 * status maps to (release-planning boards: its milestone's), or in the column named.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import { AppError } from "../domain/errors.ts";
import { PlatformError } from "../platform/errors.ts";
import { describe, type ItemSelector, resolveItem } from "./items.ts";
import { columnForMilestone, findColumn, kindsOf } from "./mapping.ts";
import { answerSynced, keepPending, unknownColumn } from "./placement.ts";
import { type BoardSelector, type BoardServices, onBoard } from "./select.ts";
import { onStoredBoard } from "./stored_first.ts";
import type { RemoteBoard } from "../platform/boards.ts";
import { boardItem } from "../store/boards_repo.ts";
import { reading, refreshBoard } from "./records.ts";
import { targetOf } from "./targets.ts";
import { columnNames, kindTitle, listColumns } from "./views.ts";

/** Input of {@link addToBoard}. */
export interface AddInput extends BoardSelector, ItemSelector {
  readonly column?: string;
}

/**
 * Puts a linked feature's or task's issue on the board, in the column its status maps to (on
 * release boards: its milestone's), or in `column`. Idempotent: an item already there is put in
 * that column again and reported as `already_on_board` (the forge is asked to move only a card that
 * is not in that column). The board as stored is used without reading it first (`stored_first.ts`).
 */
export const addToBoard = (
  input: AddInput,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  onBoard(input, (s) =>
    Effect.gen(function* () {
      const { link, local } = yield* resolveItem(s.cfg, input, "add_to_board", false);
      const { kind, id } = describe(local);
      if (!kindsOf(s.board.board_type).includes(kind)) {
        return yield* Effect.fail(AppError.validation(
          `Board ${s.board.board_id} is a ${s.board.board_type}, which holds tasks, not features like "${id}".`,
          'Put features on a feature_development or release_planning board (create one with {action:"create_board"}).',
        ));
      }
      const known = columnNames(s.board.remote);
      let wanted: string | undefined;
      if (input.column !== undefined) {
        wanted = findColumn(known, input.column);
        if (wanted === undefined) return yield* Effect.fail(unknownColumn(s.board, input.column, known));
      } else if (s.board.board_type !== "release_planning") {
        const target = targetOf(s.board, known, local, null);
        if ("reason" in target) {
          return yield* Effect.fail(AppError.validation(
            `${kindTitle(kind)} "${id}" cannot go on board ${s.board.board_id}: ${target.reason}.`,
            `Pass column (one of ${
              listColumns(known)
            }), or adopt the board again with a status_mapping for that status.`,
          ));
        }
        wanted = target.column;
      }
      const before = yield* reading(boardItem(s.board.board_id, link.link_id));
      const issue = { number: link.issue_number!, id: link.issue_id };
      const attempt = yield* Effect.result(Effect.gen(function* () {
        // Release boards, no column named: the column of the issue's milestone.
        const milestone = wanted !== undefined
          ? null
          : yield* s.forge.client.getIssue(s.forge.repo, issue.number)
            .pipe(Effect.map((found) => Option.isSome(found) ? found.value.milestone : null));
        const columnOn = (board: RemoteBoard) => wanted ?? columnForMilestone(columnNames(board), milestone);
        return yield* onStoredBoard(
          s,
          (board) => {
            const column = findColumn(columnNames(board), columnOn(board));
            return column === undefined
              ? Effect.succeed(Option.none())
              : s.boards.moveCard(s.forge.repo, board, issue, column).pipe(Effect.map(Option.some));
          },
          (fresh) =>
            Effect.gen(function* () {
              const column = columnOn(fresh.remote);
              let board = fresh.remote;
              if (findColumn(columnNames(board), column) === undefined) {
                if (input.column !== undefined) {
                  return yield* Effect.fail(
                    new PlatformError({
                      reason: "Invalid",
                      message: `Column "${column}" is no longer on the board (columns: ${
                        listColumns(columnNames(board))
                      }).`,
                      hint: "Pass one of the board's columns.",
                    }),
                  );
                }
                board = yield* s.boards.addColumns(s.forge.repo, board, [column]);
                yield* refreshBoard(fresh, board).pipe(Effect.orDie);
              }
              return yield* s.boards.moveCard(s.forge.repo, board, issue, column);
            }),
        );
      }));
      const extra = { already_on_board: before !== undefined };
      if (Result.isSuccess(attempt)) return yield* answerSynced(s, link, local, attempt.success, extra);
      const column = wanted ?? before?.column ?? columnForMilestone(known, null);
      return yield* keepPending(s, link, local, column, attempt.failure, extra);
    }));
