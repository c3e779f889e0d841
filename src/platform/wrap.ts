/**
 * The core wrapper applied to every platform client (never inside plugins, like Octokit's
 * plugin-retry and plugin-throttling wrap requests from outside):
 * - retry with jittered exponential back-off on `Transient` and `RateLimited`, waiting at least
 *   the forge's `retry-after`; never on other failures (401, 403, 404, 410, 422 …);
 * - no duplicate issues: a create whose outcome is unknown (a `Transient` failure: 5xx, timeout,
 *   reset) is resolved by looking for its hidden marker before it is sent again;
 * - listings resume from the last page's cursor instead of starting over;
 * - redaction of every error message;
 * - `Unsupported` errors with a hint for operations the plugin lacks.
 *
 * Waits use Effect's clock, so tests drive them with `TestClock`.
 *
 * @module
 */
import { Duration, Effect, Option, Result, Stream } from "effect";
import { redact } from "../log.ts";
import { isRetryable, PlatformError } from "./errors.ts";
import type { PlatformClient, PlatformPlugin, RemoteIssue } from "./types.ts";
import { wrapBoards } from "./wrap_boards.ts";

/** Retry settings. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts: number;
  /** First back-off in milliseconds (default 500). */
  readonly baseDelayMs: number;
  /** Longest back-off between attempts in milliseconds (default 30 s). */
  readonly maxDelayMs: number;
  /**
   * The longest single wait the wrapper accepts, in seconds (default 120). A rate limit that
   * resets later fails at once with `RateLimited` and its `retryAfterSeconds`, so that the caller
   * (a tool call, a pass) can report it instead of hanging.
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

/** Things the wrapper reports (for logs and counters). */
export interface WrapEvents {
  readonly onRetry?: (operation: string, attempt: number, error: PlatformError, waitMs: number) => void;
}

const MARKER = /<!-- forgesync:(?:feature|task)=[^\s>]+ -->/;

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

/** The error with its message and hint redacted (tokens never leave the core). */
export function clean(error: PlatformError): PlatformError {
  const message = redact(error.message);
  const hint = error.hint === undefined ? undefined : redact(error.hint);
  return message === error.message && hint === error.hint
    ? error
    : new PlatformError({ ...error, message, hint });
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy gives up. `beforeRetry` runs
 * after a retryable failure and may settle the operation (the marker check of a create).
 */
export function retrying<A>(
  operation: string,
  policy: RetryPolicy,
  events: WrapEvents,
  attempt: () => Effect.Effect<A, PlatformError>,
  beforeRetry?: (error: PlatformError) => Effect.Effect<Option.Option<A>, PlatformError>,
): Effect.Effect<A, PlatformError> {
  return Effect.gen(function* () {
    for (let n = 1;; n++) {
      const outcome = yield* Effect.result(attempt());
      if (Result.isSuccess(outcome)) return outcome.success;
      const error = clean(outcome.failure);
      if (!isRetryable(error.reason) || error.unanswered || n >= policy.maxAttempts) {
        return yield* Effect.fail(error);
      }
      if ((error.retryAfterSeconds ?? 0) > policy.maxWaitSeconds) return yield* Effect.fail(error);
      const wait = backoffMs(policy, n, error);
      events.onRetry?.(operation, n, error, wait);
      yield* Effect.sleep(Duration.millis(wait));
      if (beforeRetry !== undefined) {
        const settled = yield* beforeRetry(error).pipe(Effect.mapError(clean));
        if (Option.isSome(settled)) return settled.value;
      }
    }
  });
}

function unsupported(
  plugin: PlatformPlugin,
  operation: string,
  hint: string,
): Effect.Effect<never, PlatformError> {
  return Effect.fail(
    new PlatformError({
      reason: "Unsupported",
      message: `${plugin.name} does not support ${operation}.`,
      hint,
    }),
  );
}

/** Options of {@link wrapClient}. */
export interface WrapOptions {
  readonly policy?: RetryPolicy;
  readonly events?: WrapEvents;
  /** The current time, ISO (for the marker search window). */
  readonly now?: () => string;
  /**
   * How many write requests got no answer at all (timeout, connection lost before any answer). A
   * create whose request got no answer is neither looked for nor sent again: the forge may still be
   * creating it, so a look now would miss it and a retry would make a second issue. The caller
   * (the outbox) looks for it later. Without this counter every failure counts as answered.
   */
  readonly unansweredWrites?: () => number;
}

/**
 * Wraps a plugin's client with retry, idempotent creation, resumable listings and redaction.
 *
 * @example
 * ```ts ignore
 * const client = wrapClient(plugin, yield* plugin.connect(env));
 * ```
 */
export function wrapClient(
  plugin: PlatformPlugin,
  client: PlatformClient,
  options: WrapOptions = {},
): PlatformClient {
  const policy = options.policy ?? DEFAULT_RETRY;
  const events = options.events ?? {};
  const now = options.now ?? (() => new Date().toISOString());
  const retry = <A>(operation: string, f: () => Effect.Effect<A, PlatformError>) =>
    retrying(operation, policy, events, f);

  const listChanged: PlatformClient["listChanged"] = (repo, cursor) => {
    const from = (start: string | null, failures: number): ReturnType<PlatformClient["listChanged"]> => {
      let last = start;
      return client.listChanged(repo, start).pipe(
        Stream.tap((page) => Effect.sync(() => (last = page.cursor ?? last))),
        Stream.catchTag("PlatformError", (raw) => {
          const error = clean(raw);
          const n = failures + 1;
          if (
            !isRetryable(error.reason) || n >= policy.maxAttempts ||
            (error.retryAfterSeconds ?? 0) > policy.maxWaitSeconds
          ) return Stream.fail(error);
          const wait = backoffMs(policy, n, error);
          events.onRetry?.("listChanged", n, error, wait);
          return Stream.unwrap(Effect.sleep(Duration.millis(wait)).pipe(Effect.as(from(last, n))));
        }),
      );
    };
    return from(cursor, 0);
  };

  return {
    verify: (repo) => retry("verify", () => client.verify(repo)),
    getIssue: (repo, number) => retry("getIssue", () => client.getIssue(repo, number)),
    updateIssue: (repo, number, patch) => retry("updateIssue", () => client.updateIssue(repo, number, patch)),
    findByMarker: (repo, marker, since) =>
      retry("findByMarker", () => client.findByMarker(repo, marker, since)),
    createIssue: (repo, draft) => {
      const marker = MARKER.exec(draft.body)?.[0];
      const startedAt = now();
      const unanswered = options.unansweredWrites ?? (() => 0);
      let unansweredBefore = 0;
      return retrying<RemoteIssue>(
        "createIssue",
        policy,
        events,
        () =>
          Effect.suspend(() => {
            unansweredBefore = unanswered();
            return client.createIssue(repo, draft).pipe(
              Effect.mapError((error) =>
                unanswered() > unansweredBefore
                  ? new PlatformError({
                    ...error,
                    reason: "Transient",
                    hint:
                      "The forge did not answer: it may still be creating the issue. It is looked for by " +
                      "its marker before any new attempt.",
                    retryAfterSeconds: undefined,
                    unanswered: true,
                  })
                  : error
              ),
            );
          }),
        // A Transient failure may hide a create that happened: look for the marker first.
        marker === undefined
          ? undefined
          : (error) =>
            error.reason === "Transient"
              ? retry("findByMarker", () => client.findByMarker(repo, marker, startedAt))
              : Effect.succeed(Option.none()),
      );
    },
    listChanged,
    listMilestones: (repo) =>
      client.listMilestones === undefined
        ? unsupported(plugin, "milestones", "Manage milestones on the forge itself.")
        : retry("listMilestones", () => client.listMilestones!(repo)),
    createMilestone: (repo, draft) =>
      client.createMilestone === undefined
        ? unsupported(
          plugin,
          "creating milestones",
          `${plugin.name} milestones are read-only through its API: create it on the website.`,
        )
        : retry("createMilestone", () => client.createMilestone!(repo, draft)),
    closeMilestone: (repo, id) =>
      client.closeMilestone === undefined
        ? unsupported(plugin, "closing milestones", `Close the milestone on the ${plugin.name} website.`)
        : retry("closeMilestone", () => client.closeMilestone!(repo, id)),
    createRelease: (repo, draft) =>
      client.createRelease === undefined
        ? unsupported(plugin, "releases", "Tag the release with git and write its notes by hand.")
        : retry("createRelease", () => client.createRelease!(repo, draft)),
    createTag: (repo, draft) =>
      client.createTag === undefined
        ? unsupported(plugin, "creating tags", "Tag the commit with git and push the tag.")
        : retry("createTag", () => client.createTag!(repo, draft)),
    generateNotes: (repo, input) =>
      client.generateNotes === undefined
        ? unsupported(plugin, "generated release notes", 'Use release_notes_template "automated" instead.')
        : retry("generateNotes", () => client.generateNotes!(repo, input)),
    boards: wrapBoards(plugin, client.boards, policy, events),
  };
}
