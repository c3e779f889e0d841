/**
 * Bitbucket Cloud timestamps: microsecond precision with an explicit offset, e.g.
 * `2026-11-25T19:24:07.123456+00:00`. The sandbox keeps every time as epoch microseconds (a plain
 * number: epoch µs stay far below 2^53 for any realistic date) and hands out strictly increasing
 * values, so two writes in the same millisecond still order correctly.
 *
 * @module
 */

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO-8601 date or date-time (any fraction length, `Z` or an offset; no offset = UTC)
 * into epoch microseconds, or undefined when `text` is not one.
 *
 * @example
 * ```ts
 * import { parseMicros } from "./clock.ts";
 * parseMicros("1970-01-01T00:00:00.000001+00:00"); // 1
 * ```
 */
export function parseMicros(text: string): number | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = m;
  const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (!Number.isFinite(ms)) return undefined;
  const micros = Number((frac + "000000").slice(0, 6));
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
  }
  return ms * 1000 + micros - offsetMinutes * 60_000_000;
}

/**
 * Formats epoch microseconds the way Bitbucket does: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
 *
 * @example
 * ```ts
 * import { formatMicros } from "./clock.ts";
 * formatMicros(1); // "1970-01-01T00:00:00.000001+00:00"
 * ```
 */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(rest).padStart(3, "0")}+00:00`;
}

/**
 * A monotonic microsecond clock over an injectable millisecond source (real time by default).
 * Each {@link MicroClock.tick} answers the source's now, or one microsecond after the previous
 * tick when the source has not moved on (or went back).
 */
export class MicroClock {
  #last = 0;
  readonly #now: () => number;

  /** `now` returns epoch milliseconds (`Date.now` by default). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The source's current time in epoch microseconds (not reserved). */
  nowMicros(): number {
    return Math.floor(this.#now() * 1000);
  }

  /** The last value handed out (0 before the first). */
  get last(): number {
    return this.#last;
  }

  /** A fresh timestamp, strictly greater than every previous one. */
  tick(): number {
    this.#last = Math.max(this.nowMicros(), this.#last + 1);
    return this.#last;
  }

  /** Reserves `count` timestamps `step` µs apart, starting no earlier than `from`; returns the first. */
  reserve(count: number, from: number, step: number): number {
    const first = Math.max(from, this.#last + 1);
    this.#last = Math.max(this.#last, first + (count - 1) * step);
    return first;
  }
}
