/**
 * Row helpers shared by the repositories: JSON columns and opaque paging cursors.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { AppError } from "../domain/errors.ts";

/** A JSON array of strings (labels), as stored: a column's Schema. */
export const JsonStrings = Schema.fromJsonString(Schema.Array(Schema.String));

/** Parses a JSON array-of-strings column (tolerating NULL). */
export function parseStringArray(value: unknown): string[] {
  if (typeof value !== "string" || value === "") return [];
  const parsed = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** Encodes a paging position as an opaque cursor. */
export function encodeCursor(position: string): string {
  return btoa(JSON.stringify({ after: position })).replaceAll("=", "");
}

function positionOf(cursor: string): string | undefined {
  try {
    const padded = cursor + "=".repeat((4 - cursor.length % 4) % 4);
    const value = JSON.parse(atob(padded)) as { after?: unknown };
    if (typeof value.after === "string") return value.after;
  } catch {
    // not a cursor: undefined below
  }
  return undefined;
}

function notACursor(cursor: string): AppError {
  return AppError.validation(
    `cursor "${cursor.slice(0, 80)}" is not a cursor this server returned.`,
    "Pass the next_cursor of a previous list result unchanged, or omit cursor to start from the beginning.",
  );
}

/** Decodes a cursor made by {@link encodeCursor}, or throws a VALIDATION_ERROR naming it. */
export function decodeCursor(cursor: string): string {
  const position = positionOf(cursor);
  if (position === undefined) throw notACursor(cursor);
  return position;
}

/** The position a cursor made by {@link encodeCursor} stands for, or a VALIDATION_ERROR naming it. */
export const cursorPosition = (cursor: string): Effect.Effect<string, AppError> =>
  Effect.suspend(() => {
    const position = positionOf(cursor);
    return position === undefined ? Effect.fail(notACursor(cursor)) : Effect.succeed(position);
  });

/** The sorted, de-duplicated form of a label set. */
export function normalizeLabels(labels: readonly string[]): string[] {
  return [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ""))].sort();
}
