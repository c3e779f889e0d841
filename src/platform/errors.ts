/**
 * The one error of the plugin contract: a tagged `PlatformError` whose `reason` tells the core what
 * to do (retry, wait, give up, report).
 *
 * @module
 */
import { Data } from "effect";

/** Why a platform call failed. */
export type PlatformErrorReason =
  /** 401, or no token: the token is missing, wrong or expired. Never retried. */
  | "Unauthorized"
  /** 403 (not a rate limit): the token lacks a permission. Never retried. */
  | "Forbidden"
  /** 404: the repository or issue does not exist, or the token cannot see it. */
  | "NotFound"
  /** 410: deleted or transferred. */
  | "Gone"
  /** 400/422: the forge refused the content. Never retried. */
  | "Invalid"
  /** 429, or a 403 secondary/primary rate limit: wait `retryAfterSeconds`, then retry. */
  | "RateLimited"
  /** 5xx, timeouts, resets, malformed answers: retried with back-off. */
  | "Transient"
  /** The platform does not offer the operation. */
  | "Unsupported";

/**
 * A failed platform call.
 *
 * @example
 * ```ts
 * import { PlatformError } from "./errors.ts";
 * const e = new PlatformError({ reason: "RateLimited", message: "GitHub rate limit", retryAfterSeconds: 2 });
 * console.log(e.reason); // "RateLimited"
 * ```
 */
export class PlatformError extends Data.TaggedError("PlatformError")<{
  readonly reason: PlatformErrorReason;
  /** What failed, naming the value; never containing a token. */
  readonly message: string;
  /** What to do about it. */
  readonly hint?: string;
  /** HTTP status, when there was one. */
  readonly status?: number;
  /** Seconds to wait before retrying (RateLimited, and Transient answers with retry-after). */
  readonly retryAfterSeconds?: number;
  /**
   * True when a write got no answer at all (timeout, connection lost): the forge may still be acting
   * on it, so it must not be repeated now. Set by the core, never by plugins.
   */
  readonly unanswered?: boolean;
}> {}

/** The reason for an HTTP status (rate limits aside: a 403 may be one, which only the headers tell). */
export function reasonForStatus(status: number): PlatformErrorReason {
  if (status === 401) return "Unauthorized";
  if (status === 403) return "Forbidden";
  if (status === 404) return "NotFound";
  if (status === 410) return "Gone";
  if (status === 429) return "RateLimited";
  if (status === 400 || status === 409 || status === 422) return "Invalid";
  return status >= 500 || status === 408 || status === 0 ? "Transient" : "Invalid";
}

/**
 * What kind of operation failed, for {@link classify}: a **read**; an **idempotent** write (an
 * update, a card move, a batch of either: sending it twice leaves the forge as sending it once); a
 * **create** (issue, milestone, release, tag, board: sending it twice may make two).
 */
export type OperationKind = "read" | "idempotent" | "create";

/**
 * What to do about a failure:
 * - `retry`: send it again now (after the policy's back-off and the forge's retry-after);
 * - `later`: not now, but it may clear without anyone changing the request (the forge down or busy,
 *   a write that may still land): keep it for a later pass;
 * - `give_up`: a person must change something (the token, the repository, the content).
 */
export type FailureAction = "retry" | "later" | "give_up";

/**
 * The one classification of failures (the retry policy, the outbox and the services all answer
 * through it):
 * - `Transient` and `RateLimited` failures may clear later; the others never do (`give_up`);
 * - a rate-limit refusal means the forge did nothing: any operation may be sent again now;
 * - a `Transient` read may be sent again now; an idempotent write too, unless its request got no
 *   answer (`unanswered`: it may still land, and a second one could land after, and undo, a newer
 *   write); a create never (a 5xx or a lost answer may hide a create that happened: whoever asked
 *   settles it by reading the forge).
 *
 * @example
 * ```ts
 * import { classify, PlatformError } from "./errors.ts";
 * const e = new PlatformError({ reason: "Transient", message: "502" });
 * classify("read", e); // "retry"
 * classify("create", e); // "later"
 * ```
 */
export function classify(
  kind: OperationKind,
  error: Pick<PlatformError, "reason" | "unanswered">,
): FailureAction {
  if (error.reason === "RateLimited") return "retry";
  if (error.reason !== "Transient") return "give_up";
  return kind === "read" || (kind === "idempotent" && error.unanswered !== true) ? "retry" : "later";
}

/** Whether a failure with this reason may clear later ({@link classify} says other than `give_up`). */
export function isRetryable(reason: PlatformErrorReason): boolean {
  return classify("read", { reason }) !== "give_up";
}
