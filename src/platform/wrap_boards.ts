/**
 * The core wrapper of the board operations (see `wrap.ts`): retry with back-off, redaction, and
 * `Unsupported` with a hint when a plugin has no boards.
 *
 * Reads and card moves are idempotent and retried on `Transient` and `RateLimited` failures.
 * Creating a board, and adding columns (which on GitHub rewrites the column field, then puts every
 * card back), are retried only on `RateLimited` answers: a 5xx may hide a write that happened, and
 * sending it again would make a second board or lose the cards' columns. Their failure says so.
 *
 * @module
 */
import { Duration, Effect, Result } from "effect";
import { type BoardClient, hasBoards, type NoBoards } from "./boards.ts";
import { PlatformError } from "./errors.ts";
import type { PlatformPlugin } from "./types.ts";
import { backoffMs, clean, retrying, type RetryPolicy, type WrapEvents } from "./wrap.ts";

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

/** Runs `attempt`, retrying only rate-limit answers (the request was refused, nothing happened). */
function retryingRateLimits<A>(
  operation: string,
  policy: RetryPolicy,
  events: WrapEvents,
  attempt: () => Effect.Effect<A, PlatformError>,
): Effect.Effect<A, PlatformError> {
  return Effect.gen(function* () {
    for (let n = 1;; n++) {
      const outcome = yield* Effect.result(attempt());
      if (Result.isSuccess(outcome)) return outcome.success;
      const error = clean(outcome.failure);
      if (
        error.reason !== "RateLimited" || n >= policy.maxAttempts ||
        (error.retryAfterSeconds ?? 0) > policy.maxWaitSeconds
      ) return yield* Effect.fail(error);
      const wait = backoffMs(policy, n, error);
      events.onRetry?.(operation, n, error, wait);
      yield* Effect.sleep(Duration.millis(wait));
    }
  });
}

/**
 * Wraps a client's `boards` member. A missing member becomes {@link noBoardsOf}; a {@link NoBoards}
 * value passes through unchanged.
 */
export function wrapBoards(
  plugin: PlatformPlugin,
  boards: BoardClient | NoBoards | undefined,
  policy: RetryPolicy,
  events: WrapEvents,
): BoardClient | NoBoards {
  if (boards === undefined) return noBoardsOf(plugin);
  if (!hasBoards(boards)) return boards;
  const retry = <A>(operation: string, f: () => Effect.Effect<A, PlatformError>) =>
    retrying(operation, policy, events, f);
  return {
    createBoard: (repo, draft) =>
      retryingRateLimits("createBoard", policy, events, () => boards.createBoard(repo, draft)),
    getBoard: (repo, locator) => retry("getBoard", () => boards.getBoard(repo, locator)),
    addColumns: (repo, board, names) =>
      retryingRateLimits("addColumns", policy, events, () => boards.addColumns(repo, board, names)),
    getCard: (repo, board, issue) => retry("getCard", () => boards.getCard(repo, board, issue)),
    moveCard: (repo, board, issue, column) =>
      retry("moveCard", () => boards.moveCard(repo, board, issue, column)),
    listCards: (repo, board) => retry("listCards", () => boards.listCards(repo, board)),
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
