/**
 * The core wrapper of the board operations (see `wrap.ts`): retry with back-off, redaction, and
 * `Unsupported` with a hint when a plugin has no boards.
 *
 * Reads are retried on `Transient` and `RateLimited` failures, card moves (idempotent writes, one
 * or a batch) too unless their request got no answer. Creating a board, and adding columns (which on GitHub rewrites
 * the column field, then puts every card back), are retried only on `RateLimited` answers: a 5xx may
 * hide a write that happened, and sending it again would make a second board or lose the cards'
 * columns. Their failure says so. (The one policy of `retry.ts`.)
 *
 * @module
 */
import { Effect } from "effect";
import { type BoardClient, hasBoards, type NoBoards } from "./boards.ts";
import { PlatformError } from "./errors.ts";
import type { PlatformPlugin } from "./types.ts";
import { type OperationKind, retrying, type RetryOptions } from "./retry.ts";

/** The hint of a plugin without boards that does not say why. */
export function noBoardsOf(plugin: PlatformPlugin): NoBoards {
  return {
    unsupported: {
      message: `${plugin.name} has no project boards that forgesync can drive.`,
      hint: "Boards work with GitHub Projects and GitLab issue boards: configure a GitHub or GitLab " +
        "repository for them, or plan on the forge's own website.",
    },
  };
}

/**
 * Wraps a client's `boards` member. A missing member becomes {@link noBoardsOf}; a {@link NoBoards}
 * value passes through unchanged.
 */
export function wrapBoards(
  plugin: PlatformPlugin,
  boards: BoardClient | NoBoards | undefined,
  options: Omit<RetryOptions, "kind">,
): BoardClient | NoBoards {
  if (boards === undefined) return noBoardsOf(plugin);
  if (!hasBoards(boards)) return boards;
  const retry = <A>(kind: OperationKind, operation: string, f: () => Effect.Effect<A, PlatformError>) =>
    retrying(operation, { ...options, kind }, f);
  return {
    createBoard: (repo, draft) => retry("create", "createBoard", () => boards.createBoard(repo, draft)),
    getBoard: (repo, locator) => retry("read", "getBoard", () => boards.getBoard(repo, locator)),
    addColumns: (repo, board, names) =>
      retry("create", "addColumns", () => boards.addColumns(repo, board, names)),
    getCard: (repo, board, issue) => retry("read", "getCard", () => boards.getCard(repo, board, issue)),
    moveCard: (repo, board, issue, column) =>
      retry("idempotent", "moveCard", () => boards.moveCard(repo, board, issue, column)),
    listCards: (repo, board) => retry("read", "listCards", () => boards.listCards(repo, board)),
    batchSize: boards.batchSize,
    moveCards: boards.moveCards === undefined
      ? undefined
      : (repo, board, moves) => retry("idempotent", "moveCards", () => boards.moveCards!(repo, board, moves)),
  };
}

/** An effect failing with the `Unsupported` error of a {@link NoBoards}. */
export function unsupportedBoards(noBoards: NoBoards): Effect.Effect<never, PlatformError> {
  return Effect.fail(
    new PlatformError({
      reason: "Unsupported",
      message: noBoards.unsupported.message,
      hint: noBoards.unsupported.hint,
    }),
  );
}
