/**
 * `create_board`: create a board on the forge with the columns of its type and status mapping, or
 * adopt an existing one (by number or address) and add the columns it lacks; record it locally.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import type { RemoteBoard } from "../platform/boards.ts";
import type { PlatformError } from "../platform/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { Configs } from "../store/configs.ts";
import {
  type BoardType,
  columnsFor,
  findColumn,
  mergeMapping,
  openMilestoneColumns,
  type StatusMappingInput,
} from "./mapping.ts";
import { type BoardServices, connectBoards, logged } from "./select.ts";
import { listBoards, saveBoard } from "../store/boards_repo.ts";
import { reading, transaction } from "./records.ts";
import { boardView, columnNames } from "./views.ts";

/** Input of {@link createBoard}. */
export interface CreateBoardInput {
  readonly board_type?: BoardType;
  readonly title?: string;
  readonly board_number?: number;
  readonly board_url?: string;
  readonly owner?: string;
  readonly status_mapping?: StatusMappingInput;
  readonly repository?: string;
  readonly platform?: string;
}

const TYPE_TITLES: Readonly<Record<BoardType, string>> = {
  feature_development: "Feature development",
  release_planning: "Release planning",
  sprint_board: "Sprint board",
};

/** Fails when the adoption fields (board_number, board_url, owner) and title do not go together. */
function checkAdoption(input: CreateBoardInput): Effect.Effect<void, AppError> {
  if (input.board_number !== undefined && input.board_url !== undefined) {
    return Effect.fail(AppError.validation(
      "Both board_number and board_url were given.",
      "Pass one of them to adopt an existing board, or neither to create one.",
    ));
  }
  if (input.owner !== undefined && input.board_number === undefined) {
    return Effect.fail(AppError.validation(
      "owner goes with board_number (the account owning the project to adopt).",
      "Pass board_number too, or give the project's address as board_url.",
    ));
  }
  const adopting = input.board_number !== undefined || input.board_url !== undefined;
  if (adopting && input.title !== undefined) {
    return Effect.fail(AppError.validation(
      "title names a new board; an adopted board keeps its own title.",
      "Leave title out when adopting with board_number or board_url.",
    ));
  }
  return Effect.void;
}

/**
 * Creates a board with the columns of its type and mapping, or adopts an existing one (by number
 * or address), adding the columns it lacks; records it locally. A board of the same type and
 * title already recorded for the repository is returned as it is.
 */
export const createBoard = (
  input: CreateBoardInput,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> =>
  logged(
    input,
    Effect.gen(function* () {
      const type = input.board_type ?? "feature_development";
      const adopting = input.board_number !== undefined || input.board_url !== undefined;
      yield* checkAdoption(input);
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const { forge, boards } = yield* connectBoards(cfg);
      const mapping = mergeMapping(input.status_mapping);
      const remoteError = (e: PlatformError) => toAppError(e);
      let milestones: string[] = [];
      if (type === "release_planning") {
        milestones = openMilestoneColumns(
          yield* forge.client.listMilestones!(forge.repo).pipe(Effect.mapError(remoteError)),
        );
      }
      const columns = columnsFor(type, mapping, milestones);
      const save = (remote: RemoteBoard, adopted: boolean) =>
        transaction(
          saveBoard({ config_id: cfg.config_id, board_type: type, remote, status_mapping: mapping, adopted }),
        );
      if (adopting) {
        const found = yield* boards.getBoard(
          forge.repo,
          input.board_url !== undefined
            ? { url: input.board_url }
            : input.owner !== undefined
            ? { number: input.board_number!, owner: input.owner }
            : { number: input.board_number! },
        ).pipe(Effect.mapError(remoteError));
        const missing = columns.filter((c) => findColumn(columnNames(found), c) === undefined);
        const remote = yield* boards.addColumns(forge.repo, found, missing).pipe(
          Effect.mapError(remoteError),
        );
        const board = yield* save(remote, true);
        return { board: boardView(cfg, board), created: false, columns_added: missing };
      }
      const title = input.title ?? `${forge.repo.path.split("/").at(-1)} — ${TYPE_TITLES[type]}`;
      const same = (yield* reading(listBoards(cfg.config_id))).find((b) =>
        b.board_type === type && b.remote.title === title && !b.adopted
      );
      if (same !== undefined) return { board: boardView(cfg, same), created: false, already_exists: true };
      const remote = yield* boards.createBoard(forge.repo, { title, columns }).pipe(
        Effect.mapError(remoteError),
      );
      const board = yield* save(remote, false);
      return { board: boardView(cfg, board), created: true };
    }),
  );
