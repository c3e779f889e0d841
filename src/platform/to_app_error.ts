/**
 * From a platform failure to the error a tool returns (SPEC §5 codes).
 *
 * @module
 */
import { AppError, type ErrorCode } from "../domain/errors.ts";
import type { PlatformError, PlatformErrorReason } from "./errors.ts";

const CODES: Readonly<Record<PlatformErrorReason, ErrorCode>> = {
  Unauthorized: "UNAUTHORIZED",
  Forbidden: "FORBIDDEN",
  NotFound: "NOT_FOUND",
  Gone: "NOT_FOUND",
  Invalid: "VALIDATION_ERROR",
  RateLimited: "RATE_LIMITED",
  Transient: "PLATFORM_ERROR",
  Unsupported: "UNSUPPORTED",
};

const HINTS: Readonly<Record<PlatformErrorReason, string>> = {
  Unauthorized: "Set the token variable named in the configuration (api_token_name) and try again.",
  Forbidden: "Give the token the permission the forge asks for (issues read/write), then try again.",
  NotFound: "Check the repository and issue number; the token must be able to see the repository.",
  Gone:
    'The issue was deleted or transferred: unlink it with orchestrator_git_integration {action:"unlink"}.',
  Invalid: "Fix the value the forge refused and try again.",
  RateLimited: "Wait for retry_after_seconds; the change is kept locally and will be sent by the next sync.",
  Transient:
    "The forge did not answer properly; the change is kept locally and will be sent by the next sync.",
  Unsupported:
    'This platform cannot do that; see the capabilities in orchestrator_git_integration {action:"status"}.',
};

/** Converts a {@link PlatformError} to an {@link AppError}. */
export function toAppError(error: PlatformError): AppError {
  return new AppError({
    code: CODES[error.reason],
    message: error.message,
    hint: error.hint ?? HINTS[error.reason],
    ...(error.retryAfterSeconds !== undefined
      ? { retry_after_seconds: Math.ceil(error.retryAfterSeconds) }
      : {}),
  });
}
