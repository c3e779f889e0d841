/**
 * Turning the outcome of an action into an MCP tool result: `structuredContent` plus the same JSON
 * as text; failures the caller can act on become `isError` results with `{error: {code, message,
 * hint}}`; defects become INTERNAL with their details on stderr only.
 *
 * @module
 */
import { Cause, Exit } from "effect";
import { AppError, type ErrorBody, errorBody } from "../domain/errors.ts";
import { log, redact, redactValue } from "../log.ts";

/** The result of a `tools/call`. */
export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent: Record<string, unknown>;
  isError?: boolean;
}

/** A success result, passed through the same redaction as logs. */
export function okResult(value: Record<string, unknown>): ToolResult {
  const redacted = redactValue(value);
  return { content: [{ type: "text", text: JSON.stringify(redacted) }], structuredContent: redacted };
}

/** An error result. */
export function errorResult(error: ErrorBody): ToolResult {
  const body: ErrorBody = { ...error, message: redact(error.message), hint: redact(error.hint) };
  const value = { error: body };
  return {
    content: [{ type: "text", text: JSON.stringify(value) }],
    structuredContent: value,
    isError: true,
  };
}

/** Converts the exit of an action to a tool result. */
export function exitToResult(tool: string, exit: Exit.Exit<Record<string, unknown>, AppError>): ToolResult {
  if (Exit.isSuccess(exit)) return okResult(exit.value);
  const failure = exit.cause.reasons.find((r) => r._tag === "Fail");
  if (failure !== undefined && failure._tag === "Fail" && failure.error instanceof AppError) {
    return errorResult(errorBody(failure.error));
  }
  const squashed = Cause.squash(exit.cause);
  if (squashed instanceof AppError) return errorResult(errorBody(squashed));
  log.error(`${tool} failed with an internal error`, { cause: redact(Cause.pretty(exit.cause)) });
  const detail = squashed instanceof Error ? squashed.message : String(squashed);
  return errorResult({
    code: "INTERNAL",
    message: `${tool} hit an internal error: ${detail.slice(0, 500)}`,
    hint: "Nothing was lost: the database keeps its last committed state. Try again; if it persists, " +
      "report it with the server's stderr log.",
  });
}
