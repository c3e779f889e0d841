/**
 * `sync_milestones`: on a release-planning board, add a column per open milestone the board
 * lacks, then put every card in its issue's milestone column.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { findColumn, openMilestoneColumns } from "./mapping.ts";
import { type Progress, push } from "./push.ts";
import { type BoardSelector, type BoardServices, onBoard, refresh } from "./select.ts";
import { refreshBoard } from "./records.ts";
import { columnNames } from "./views.ts";

/**
 * On a release-planning board: adds a column per open milestone the board lacks, then puts every
 * card in its issue's milestone column.
 */
export const syncMilestones = (
  input: BoardSelector,
  progress: Progress,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  onBoard(input, (s) =>
    Effect.gen(function* () {
      if (s.board.board_type !== "release_planning") {
        return yield* Effect.fail(AppError.validation(
          `sync_milestones works on release_planning boards; board ${s.board.board_id} ("${s.board.remote.title}") ` +
            `is a ${s.board.board_type} board.`,
          'Create a release board with {action:"create_board", board_type:"release_planning"}, or pass its board_id.',
        ));
      }
      const milestones = yield* s.forge.client.listMilestones!(s.forge.repo).pipe(
        Effect.mapError(toAppError),
      );
      const open = openMilestoneColumns(milestones);
      const fresh = yield* refresh(s).pipe(Effect.mapError(toAppError));
      const missing = open.filter((t) => findColumn(columnNames(fresh.remote), t) === undefined);
      const grown = yield* s.boards.addColumns(s.forge.repo, fresh.remote, missing).pipe(
        Effect.mapError(toAppError),
      );
      const board = yield* refreshBoard(fresh, grown);
      const result = yield* push({ ...s, board }, { dryRun: false, progress });
      return { ...result, columns_added: missing };
    }));
