/**
 * The error model of forgesync tools (SPEC §5): every failure a caller can act on is an
 * {@link AppError} with a stable `code`, a message that names the offending value, and a hint that
 * says what to do next.
 *
 * @module
 */
import { Data } from "effect";

/** The error codes a tool result can carry in `structuredContent.error.code`. */
export const ERROR_CODES = [
  "VALIDATION_ERROR",
  "NOT_FOUND",
  "NOT_CONFIGURED",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "CONFLICT",
  "UNSUPPORTED",
  "PLATFORM_ERROR",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = typeof ERROR_CODES[number];

/**
 * A failure the caller can act on.
 *
 * @example
 * ```ts
 * import { AppError } from "./errors.ts";
 * const e = AppError.notFound(`No task "task_x" exists.`, `Call orchestrator_task {action:"list"} to see ids.`);
 * console.log(e.code); // "NOT_FOUND"
 * ```
 */
export class AppError extends Data.TaggedError("AppError")<{
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string;
  readonly retry_after_seconds?: number;
}> {
  /** A bad parameter or action. */
  static validation(message: string, hint: string): AppError {
    return new AppError({ code: "VALIDATION_ERROR", message, hint });
  }
  /** An id, issue or repository that does not exist. */
  static notFound(message: string, hint: string): AppError {
    return new AppError({ code: "NOT_FOUND", message, hint });
  }
  /** A state that refuses the change (transition, already linked, lease held). */
  static conflict(message: string, hint: string): AppError {
    return new AppError({ code: "CONFLICT", message, hint });
  }
  /** Something the Git integration needs has not been set up. */
  static notConfigured(message: string, hint: string): AppError {
    return new AppError({ code: "NOT_CONFIGURED", message, hint });
  }
  /** A capability the platform or tier does not offer. */
  static unsupported(message: string, hint: string): AppError {
    return new AppError({ code: "UNSUPPORTED", message, hint });
  }
}

/** The JSON shape of an error inside a tool result. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string;
  readonly retry_after_seconds?: number;
}

/** Converts an {@link AppError} to the JSON body of a tool result. */
export function errorBody(error: AppError): ErrorBody {
  return error.retry_after_seconds === undefined
    ? { code: error.code, message: error.message, hint: error.hint }
    : {
      code: error.code,
      message: error.message,
      hint: error.hint,
      retry_after_seconds: error.retry_after_seconds,
    };
}
