/**
 * Row helpers shared by the repositories: JSON columns and opaque paging cursors.
 *
 * @module
 */
import { Schema } from "effect";
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

/** Decodes a cursor made by {@link encodeCursor}, or fails with a VALIDATION_ERROR naming it. */
export function decodeCursor(cursor: string): string {
  try {
    const padded = cursor + "=".repeat((4 - cursor.length % 4) % 4);
    const value = JSON.parse(atob(padded)) as { after?: unknown };
    if (typeof value.after === "string") return value.after;
  } catch {
    // fall through to the error below
  }
  throw AppError.validation(
    `cursor "${cursor.slice(0, 80)}" is not a cursor this server returned.`,
    "Pass the next_cursor of a previous list result unchanged, or omit cursor to start from the beginning.",
  );
}

/** The sorted, de-duplicated form of a label set. */
export function normalizeLabels(labels: readonly string[]): string[] {
  return [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ""))].sort();
}
