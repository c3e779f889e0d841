/**
 * Forge timestamps to the microsecond, for plugins (exported through `./plugin`) and the sandboxes.
 * Bitbucket keeps microseconds (`2026-11-25T19:24:07.123456+00:00`), one digit group more than a
 * JavaScript `Date`; GitLab milliseconds; GitHub seconds. Cursors keep a forge's full text, and
 * comparisons go through epoch microseconds, so that two changes in the same millisecond still
 * order correctly (the keyset listing, `keyset.ts`, compares this way).
 *
 * @module
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch microseconds of an ISO-8601 date or date-time (any fraction length, `Z` or an offset;
 * none = UTC), or undefined when `text` is not one.
 *
 * @example
 * ```ts
 * import { toMicros } from "./time.ts";
 * toMicros("1970-01-01T00:00:01.000001+00:00"); // 1000001
 * ```
 */
export function toMicros(text: string): number | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = m;
  const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (!Number.isFinite(ms)) return undefined;
  let offset = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    offset = (zone.startsWith("-") ? -1 : 1) *
      (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
  }
  return ms * 1000 + Number((frac + "000000").slice(0, 6)) - offset * 60_000_000;
}

/**
 * Formats epoch microseconds as Bitbucket writes them: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
 *
 * @example
 * ```ts
 * import { fromMicros } from "./time.ts";
 * fromMicros(1_000_001); // "1970-01-01T00:00:01.000001+00:00"
 * ```
 */
export function fromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros - ms * 1000).padStart(3, "0")}+00:00`;
}

/** `text` as a Bitbucket timestamp (UTC, microseconds), or undefined when it is not a time. */
export function normalizeTimestamp(text: string): string | undefined {
  const micros = toMicros(text);
  return micros === undefined ? undefined : fromMicros(micros);
}
