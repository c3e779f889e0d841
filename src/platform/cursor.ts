/**
 * Listing cursors, for plugins (exported through `./plugin`). A cursor is opaque to the core: it
 * stores the `cursor` of the last page a listing delivered and hands it back to the plugin's
 * `listChanged` on the next pass. The plugins that ship with forgesync write one form, JSON
 * `{"since": "<the forge's updated_at>"}` (plus `"page"` where a forge's listing resumes on a later
 * page of a query), so that a cursor reads plainly in the database and one function decodes them all.
 *
 * @module
 */
import { PlatformError } from "./errors.ts";
import { toMicros } from "./time.ts";

/** Where a listing resumes: the `since` of its query (null: from the start) and the page of it. */
export interface CursorState {
  readonly since: string | null;
  readonly page: number;
}

/**
 * The cursor resuming a listing at `since` (page `page` of that query; 1 when omitted).
 *
 * @example
 * ```ts
 * import { encodeCursor } from "./cursor.ts";
 * encodeCursor("2026-01-01T00:00:00Z"); // '{"since":"2026-01-01T00:00:00Z"}'
 * encodeCursor(null, 3); // '{"since":null,"page":3}'
 * ```
 */
export function encodeCursor(since: string | null, page = 1): string {
  return JSON.stringify(page > 1 ? { since, page } : { since });
}

const isTime = (value: unknown): value is string =>
  typeof value === "string" && toMicros(value) !== undefined;

/**
 * Reads a cursor of {@link encodeCursor}, or a bare ISO-8601 timestamp; null (no cursor) is the
 * start. Anything else — a cursor of another plugin, a timestamp that is not one, garbage — is
 * undefined: the plugin says what it does then (fail `Invalid` with {@link foreignCursorError}, or
 * list from the start).
 *
 * @example
 * ```ts
 * import { decodeCursor } from "./cursor.ts";
 * decodeCursor('{"since":"2026-01-01T00:00:00Z","page":2}'); // { since: "2026-01-01T00:00:00Z", page: 2 }
 * decodeCursor('W/"etag"'); // undefined
 * ```
 */
export function decodeCursor(cursor: string | null): CursorState | undefined {
  if (cursor === null || cursor.trim() === "") return { since: null, page: 1 };
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    return isTime(cursor) ? { since: cursor, page: 1 } : undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("since" in value)) {
    return undefined;
  }
  const { since, page } = value as { since: unknown; page?: unknown };
  if (since !== null && !isTime(since)) return undefined;
  return { since, page: typeof page === "number" && Number.isInteger(page) && page > 1 ? page : 1 };
}

/** The `Invalid` failure of a listing given a cursor its plugin cannot read. */
export function foreignCursorError(platform: string, repository: string, cursor: string): PlatformError {
  return new PlatformError({
    reason: "Invalid",
    message: `The listing cursor ${JSON.stringify(cursor.slice(0, 100))} of "${repository}" is not a ` +
      `${platform} cursor.`,
    hint:
      "Start the listing again with no cursor (null): reset the repository's cursor to list every issue again.",
  });
}
