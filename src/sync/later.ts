/**
 * The one answer to "may this failure wait for a later pass?": the forge down, busy or rate limited
 * clears by itself, so the work stays queued and the call says `pending`; anything else (the token,
 * a refusal, a missing repository) needs someone to act. A platform failure is asked of the
 * platform's classification ({@link isLater}); an {@link AppError} made from one (`toAppError`)
 * carries the code of its reason, and is answered the same way.
 *
 * @module
 */
import type { AppError, ErrorCode } from "../domain/errors.ts";
import type { PlatformError } from "../platform/errors.ts";
import { isLater } from "../platform/retry.ts";

/** The codes `toAppError` gives the failures {@link isLater} accepts (Transient, RateLimited). */
const LATER_CODES: ReadonlySet<ErrorCode> = new Set(["PLATFORM_ERROR", "RATE_LIMITED"]);

/** Whether a failure may clear by itself by a later pass: the work stays queued for it. */
export function waitsForLaterPass(error: PlatformError | AppError): boolean {
  return error._tag === "PlatformError" ? isLater(error) : LATER_CODES.has(error.code);
}

/**
 * Whether a failed write stops the rest of a flush: the forge down or busy, or the token (every
 * write would meet it). Other refusals park that write and the flush goes on.
 */
export function stopsFlush(error: PlatformError): boolean {
  return waitsForLaterPass(error) || error.reason === "Unauthorized";
}
