/**
 * Which board a call means, connected to its forge: the board named by id, or the only board of
 * the (only) configured repository; and reading that board and its cards from the forge.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import { type BoardClient, hasBoards, type RemoteCard } from "../platform/boards.ts";
import type { PlatformError } from "../platform/errors.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import type { Db } from "../store/db.ts";
import type { Features } from "../store/features.ts";
import type { Tasks } from "../store/tasks.ts";
import { type ConnectedForge, Forges } from "../forges/forges.ts";
import { type BoardRecord, findBoard, listBoards } from "../store/boards_repo.ts";
import { reading, refreshBoard } from "./records.ts";
import { withOperationLog } from "../sync/operation_log.ts";

/** The services board actions use. */
export type BoardServices = Db | Configs | Forges | Tasks | Features;

/** Which board a call means: by id, or the only board of the (only) configured repository. */
export interface BoardSelector {
  readonly board_id?: number;
  readonly repository?: string;
  readonly platform?: string;
}

/** The board a call means, with its configuration and connected forge. */
export interface SelectedBoard {
  readonly cfg: RepoConfig;
  readonly forge: ConnectedForge;
  readonly boards: BoardClient;
  readonly board: BoardRecord;
}

/** Connects a configuration's forge and checks it has boards (UNSUPPORTED with the plugin's reason otherwise). */
export const connectBoards = (
  cfg: RepoConfig,
): Effect.Effect<{ forge: ConnectedForge; boards: BoardClient }, AppError, Forges> =>
  Effect.gen(function* () {
    const forge = yield* Forges.use((f) => f.connect(cfg));
    const boards = forge.client.boards;
    if (!hasBoards(boards)) {
      return yield* Effect.fail(AppError.unsupported(
        boards?.unsupported.message ?? `${forge.plugin.name} has no project boards that forgesync can drive.`,
        boards?.unsupported.hint ?? "Configure a GitHub or GitLab repository for boards.",
      ));
    }
    return { forge, boards };
  });

/** The board a call means, connected. */
export const selectBoard = (input: BoardSelector): Effect.Effect<SelectedBoard, AppError, BoardServices> =>
  Effect.gen(function* () {
    const configs = yield* Configs;
    if (input.board_id !== undefined) {
      const board = yield* reading(findBoard(input.board_id));
      if (board === undefined) {
        return yield* Effect.fail(AppError.notFound(
          `No board has board_id ${input.board_id}.`,
          `Call {action:"view"} without board_id to list the boards, or create one with {action:"create_board"}.`,
        ));
      }
      const cfg = yield* configs.get(board.config_id);
      if (input.repository !== undefined || input.platform !== undefined) {
        const named = yield* configs.resolve(input.repository, input.platform);
        if (named.config_id !== cfg.config_id) {
          return yield* Effect.fail(AppError.validation(
            `Board ${board.board_id} belongs to ${cfg.platform}:${cfg.repository}, not to ${named.platform}:${named.repository}.`,
            "Pass the board_id of a board of that repository, or leave repository out.",
          ));
        }
      }
      return { cfg, ...(yield* connectBoards(cfg)), board };
    }
    const cfg = yield* configs.resolve(input.repository, input.platform);
    const connected = yield* connectBoards(cfg);
    const all = yield* reading(listBoards(cfg.config_id));
    if (all.length === 0) {
      return yield* Effect.fail(AppError.notFound(
        `No board is set up for ${cfg.platform}:${cfg.repository}.`,
        `Create one with {action:"create_board", board_type:"feature_development"}, or adopt an existing one ` +
          `with {action:"create_board", board_number}.`,
      ));
    }
    if (all.length > 1) {
      return yield* Effect.fail(AppError.validation(
        `Several boards are set up for ${cfg.platform}:${cfg.repository}, so board_id is required.`,
        `Pass board_id, one of: ${
          all.map((b) => `${b.board_id} ("${b.remote.title}", ${b.board_type})`).join(", ")
        }.`,
      ));
    }
    return { cfg, ...connected, board: all[0]! };
  });

/** Runs a board action that writes to the forge, logged as a `status_update` run (`../sync/operation_log.ts`). */
export const logged = <A>(
  input: BoardSelector,
  action: Effect.Effect<A, AppError, BoardServices>,
): Effect.Effect<A, AppError, BoardServices> => withOperationLog("status_update", input, action);

/** Runs a board action that writes to the forge on the board the call means (see {@link logged}). */
export const onBoard = <A>(
  input: BoardSelector,
  action: (s: SelectedBoard) => Effect.Effect<A, AppError, BoardServices>,
): Effect.Effect<A, AppError, BoardServices> =>
  logged(input, selectBoard(input).pipe(Effect.flatMap(action)));

/** Reads the board from the forge and stores what changed (columns renamed or added there). */
export const refresh = (s: SelectedBoard): Effect.Effect<BoardRecord, PlatformError, Db> =>
  s.boards.getBoard(
    s.forge.repo,
    s.board.remote.owner === null
      ? { number: s.board.remote.number }
      : { number: s.board.remote.number, owner: s.board.remote.owner },
  ).pipe(Effect.flatMap((remote) => refreshBoard(s.board, remote).pipe(Effect.orDie)));

/** The board as the forge shows it now (stored, see {@link refresh}) with its cards. */
export const readCards = (
  s: SelectedBoard,
): Effect.Effect<{ fresh: BoardRecord; cards: readonly RemoteCard[] }, PlatformError, Db> =>
  Effect.gen(function* () {
    const fresh = yield* refresh(s);
    return { fresh, cards: yield* s.boards.listCards(s.forge.repo, fresh.remote) };
  });
