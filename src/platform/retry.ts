/**
 * The core's one retry policy for platform calls, as an Effect `Schedule`: which failures may be
 * sent again for which kind of operation (the one classification, {@link classify}), how long to
 * wait (exponential back-off with jitter, capped, never shorter than the forge's retry-after), and
 * when to stop (attempts, and a wait longer than the policy accepts, which fails at once with
 * `RateLimited` and its `retryAfterSeconds` instead of sleeping). Waits use Effect's clock, so
 * tests drive them with `TestClock`.
 *
 * - A **read** is retried on `Transient` and `RateLimited` failures.
 * - An **idempotent write** (an update, a card move, a batch of either) is retried on `RateLimited`
 *   and on answered `Transient` failures — never after a request that got no answer: it may still
 *   land, and a second one could land after (and undo) a newer write.
 * - A **create** (issue, milestone, release, tag, board) is retried only after a rate-limit refusal,
 *   where the forge did nothing: a 5xx or a lost answer may hide a create that happened. Whoever asked
 *   for it settles it by reading the forge (an issue by its hidden marker, a milestone by its title).
 *
 * {@link retrying} applies it to an effect, {@link retryingStream} to a listing (which resumes where
 * it failed instead of starting over).
 *
 * @module
 */
import { Duration, Effect, Pull, Random, Schedule, Stream } from "effect";
import { classify, type OperationKind, PlatformError } from "./errors.ts";
import { redactError } from "./redaction.ts";

export type { OperationKind };

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

/** Things the retry loop reports (for logs and counters). */
export interface WrapEvents {
  readonly onRetry?: (operation: string, attempt: number, error: PlatformError, waitMs: number) => void;
}

/**
 * Whether a failure of an operation of `kind` may be sent again now (attempts and waits aside):
 * {@link classify} answering `retry`.
 */
export function mayRetry(kind: OperationKind, error: PlatformError): boolean {
  return classify(kind, error) === "retry";
}

/**
 * Whether a failure may clear later without anyone changing the request (the forge down or busy):
 * {@link classify} answering other than `give_up`.
 */
export function isLater(error: PlatformError): boolean {
  return classify("read", error) !== "give_up";
}

/**
 * The wait before the next attempt, from the schedule's exponential delay: capped at `maxDelayMs`,
 * jittered to between half and one and a half times it (`random` in [0, 1)), and never shorter
 * than the error's retry-after.
 */
function shapeDelay(
  policy: RetryPolicy,
  exponentialMs: number,
  error: PlatformError,
  random: number,
): number {
  const jittered = Math.min(policy.maxDelayMs, exponentialMs) * (0.5 + random);
  return Math.round(Math.max(jittered, (error.retryAfterSeconds ?? 0) * 1000));
}

/** The back-off before attempt `attempt + 1`, honouring the error's retry-after (as {@link retrySchedule} waits). */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  error: PlatformError,
  random: () => number = Math.random,
): number {
  return shapeDelay(policy, policy.baseDelayMs * 2 ** (attempt - 1), error, random());
}

/** Whether the policy allows attempt `attempt + 1` after `error` (count and wait). */
export function withinPolicy(policy: RetryPolicy, attempt: number, error: PlatformError): boolean {
  return attempt < policy.maxAttempts && (error.retryAfterSeconds ?? 0) <= policy.maxWaitSeconds;
}

/**
 * The retry policy of one kind of operation as a `Schedule` fed with its failures: it recurs while
 * {@link classify} says `retry` and {@link withinPolicy} allows another attempt, after
 * {@link backoffMs}. `onRetry` hears of each wait before it starts.
 *
 * @example
 * ```ts ignore
 * const issue = yield* client.getIssue(repo, 7).pipe(Effect.retry(retrySchedule("read", DEFAULT_RETRY)));
 * ```
 */
export function retrySchedule(
  kind: OperationKind,
  policy: RetryPolicy,
  onRetry?: (attempt: number, error: PlatformError, waitMs: number) => void,
): Schedule.Schedule<Duration.Duration, PlatformError> {
  return Schedule.exponential(Duration.millis(policy.baseDelayMs), 2).pipe(
    Schedule.setInputType<PlatformError>(),
    Schedule.while(({ input, attempt }) => mayRetry(kind, input) && withinPolicy(policy, attempt, input)),
    Schedule.modifyDelay(({ duration, input }) =>
      Effect.map(
        Random.next,
        (random) => Duration.millis(shapeDelay(policy, Duration.toMillis(duration), input, random)),
      )
    ),
    Schedule.tap(({ attempt, input, duration }) =>
      Effect.sync(() => onRetry?.(attempt, input, Duration.toMillis(duration)))
    ),
  );
}

/** The error with its message and hint redacted (tokens never leave the core). */
export function clean(error: PlatformError): PlatformError {
  return redactError(error);
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

const scheduleOf = (operation: string, options: Pick<RetryOptions, "kind" | "policy" | "events">) =>
  retrySchedule(
    options.kind,
    options.policy,
    (attempt, error, waitMs) => options.events?.onRetry?.(operation, attempt, error, waitMs),
  );

/** Runs `attempt` until it succeeds, fails for good, or the policy gives up. Errors come out redacted. */
export function retrying<A>(
  operation: string,
  options: RetryOptions,
  attempt: () => Effect.Effect<A, PlatformError>,
): Effect.Effect<A, PlatformError> {
  const once = Effect.suspend(attempt);
  return (options.kind === "read" ? once : markUnanswered(once, options.unanswered)).pipe(
    Effect.mapError(clean),
    Effect.retry(scheduleOf(operation, options)),
  );
}

/**
 * Runs a listing (a read) until it ends, fails for good, or the policy gives up, reopening it
 * after each retried failure with `open(resume)`: `resume` starts at `start` and each item
 * delivered moves it on (`advance`; in `wrap.ts`, the cursor of the last page). The attempts count
 * over the whole listing — unlike `Stream.retry`, which starts counting again after each item —
 * so a listing that keeps failing on one page gives up like one request would. Errors come out
 * redacted.
 */
export function retryingStream<A, S>(
  operation: string,
  options: Pick<RetryOptions, "policy" | "events">,
  start: S,
  advance: (resume: S, item: A) => S,
  open: (resume: S) => Stream.Stream<A, PlatformError>,
): Stream.Stream<A, PlatformError> {
  return Stream.unwrap(Effect.gen(function* () {
    const step = yield* Schedule.toStepWithSleep(scheduleOf(operation, { ...options, kind: "read" }));
    let resume = start;
    const run = (): Stream.Stream<A, PlatformError> =>
      Stream.suspend(() => open(resume)).pipe(
        Stream.tap((item) => Effect.sync(() => (resume = advance(resume, item)))),
        Stream.mapError(clean),
        Stream.catch((error) =>
          Stream.unwrap(
            step(error).pipe(
              Effect.as(run()),
              Pull.catchDone(() => Effect.succeed(Stream.fail(error))),
            ),
          )
        ),
      );
    return run();
  }));
}
