/**
 * The core's one retry policy for platform calls: which failures may be retried for which kind of
 * operation, how long to wait, and the loop that does it. Waits use Effect's clock, so tests drive
 * them with `TestClock`.
 *
 * - A **read** is retried on `Transient` and `RateLimited` failures.
 * - An **idempotent write** (an update, a card move, a batch of either) is retried on `RateLimited` and on answered
 *   `Transient` failures — never after a request that got no answer: it may still land, and a second
 *   one could land after (and undo) a newer write.
 * - A **create** (issue, milestone, release, tag, board) is retried only after a rate-limit refusal,
 *   where the forge did nothing: a 5xx or a lost answer may hide a create that happened. Whoever asked
 *   for it settles it by reading the forge (an issue by its hidden marker, a milestone by its title).
 *
 * @module
 */
import { Duration, Effect, Result } from "effect";
import { redact } from "../log.ts";
import { PlatformError } from "./errors.ts";

/** Retry settings. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts: number;
  /** First back-off in milliseconds (default 500). */
  readonly baseDelayMs: number;
  /** Longest back-off between attempts in milliseconds (default 30 s). */
  readonly maxDelayMs: number;
  /**
   * The longest single wait accepted, in seconds (default 120). A rate limit that resets later fails
   * at once with `RateLimited` and its `retryAfterSeconds`, so that the caller (a tool call, a pass)
   * can report it instead of hanging.
   */
  readonly maxWaitSeconds: number;
}

/** The default {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitSeconds: 120,
};

/** What kind of operation is retried: see the module documentation. */
export type OperationKind = "read" | "idempotent" | "create";

/** Things the retry loop reports (for logs and counters). */
export interface WrapEvents {
  readonly onRetry?: (operation: string, attempt: number, error: PlatformError, waitMs: number) => void;
}

/**
 * Whether a failure of an operation of `kind` may be retried at all (attempts and waits aside):
 * the one classification of failures the core uses.
 */
export function mayRetry(kind: OperationKind, error: PlatformError): boolean {
  if (error.reason === "RateLimited") return true;
  if (error.reason !== "Transient") return false;
  return kind === "read" || (kind === "idempotent" && !error.unanswered);
}

/** Whether a failure may clear later without anyone changing the request (the forge down or busy). */
export function isLater(error: PlatformError): boolean {
  return error.reason === "Transient" || error.reason === "RateLimited";
}

/** The back-off before attempt `attempt + 1`, honouring the error's retry-after. */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  error: PlatformError,
  random = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential * (0.5 + random());
  const floor = (error.retryAfterSeconds ?? 0) * 1000;
  return Math.round(Math.max(jittered, floor));
}

/** Whether the policy allows attempt `attempt + 1` after `error` (count and wait). */
export function withinPolicy(policy: RetryPolicy, attempt: number, error: PlatformError): boolean {
  return attempt < policy.maxAttempts && (error.retryAfterSeconds ?? 0) <= policy.maxWaitSeconds;
}

/** The error with its message and hint redacted (tokens never leave the core). */
export function clean(error: PlatformError): PlatformError {
  const message = redact(error.message);
  const hint = error.hint === undefined ? undefined : redact(error.hint);
  return message === error.message && hint === error.hint
    ? error
    : new PlatformError({ ...error, message, hint });
}

/**
 * Counts write requests that got no answer at all (timeout, connection lost before any answer), so
 * that a failed write can be told apart from one that may still land. Without it every failure
 * counts as answered.
 */
export type UnansweredCounter = () => number;

/** The hint of a write that got no answer. */
export const UNANSWERED_HINT =
  "The forge did not answer: the write may still land. It is not sent again before the forge is read " +
  "to see whether it did.";

/**
 * Runs one attempt of a write and marks its failure `unanswered` (and `Transient`) when its request
 * got no answer.
 */
export function markUnanswered<A>(
  attempt: Effect.Effect<A, PlatformError>,
  unanswered: UnansweredCounter | undefined,
): Effect.Effect<A, PlatformError> {
  if (unanswered === undefined) return attempt;
  return Effect.suspend(() => {
    const before = unanswered();
    return attempt.pipe(
      Effect.mapError((error) =>
        unanswered() > before
          ? new PlatformError({
            ...error,
            // An Error's message is not an enumerable own property: the spread above leaves it out.
            message: error.message,
            reason: "Transient",
            hint: UNANSWERED_HINT,
            retryAfterSeconds: undefined,
            unanswered: true,
          })
          : error
      ),
    );
  });
}

/** Options of {@link retrying}. */
export interface RetryOptions {
  readonly kind: OperationKind;
  readonly policy: RetryPolicy;
  readonly events?: WrapEvents;
  /** For writes: the counter of requests that got no answer. */
  readonly unanswered?: UnansweredCounter;
}

/** Runs `attempt` until it succeeds, fails for good, or the policy gives up. Errors come out redacted. */
export function retrying<A>(
  operation: string,
  options: RetryOptions,
  attempt: () => Effect.Effect<A, PlatformError>,
): Effect.Effect<A, PlatformError> {
  const { kind, policy, events } = options;
  return Effect.gen(function* () {
    for (let n = 1;; n++) {
      const once = Effect.suspend(attempt);
      const outcome = yield* Effect.result(
        kind === "read" ? once : markUnanswered(once, options.unanswered),
      );
      if (Result.isSuccess(outcome)) return outcome.success;
      const error = clean(outcome.failure);
      if (!mayRetry(kind, error) || !withinPolicy(policy, n, error)) return yield* Effect.fail(error);
      const wait = backoffMs(policy, n, error);
      events?.onRetry?.(operation, n, error, wait);
      yield* Effect.sleep(Duration.millis(wait));
    }
  });
}
