/**
 * Bitbucket Cloud timestamps: microsecond precision with an explicit offset, e.g.
 * `2026-11-25T19:24:07.123456+00:00`. The sandbox keeps every time as epoch microseconds (a plain
 * number: epoch µs stay far below 2^53 for any realistic date) and hands out strictly increasing
 * values, so two writes in the same millisecond still order correctly.
 *
 * @module
 */
import { fromMicros, toMicros } from "../../platform/time.ts";

/**
 * Parses an ISO-8601 date or date-time (any fraction length, `Z` or an offset; no offset = UTC)
 * into epoch microseconds, or undefined when `text` is not one: the contract's `toMicros`, which
 * the Bitbucket plugin reads timestamps with (one parser for both sides).
 */
export const parseMicros: (text: string) => number | undefined = toMicros;

/** Formats epoch microseconds the way Bitbucket does (`YYYY-MM-DDTHH:MM:SS.ffffff+00:00`): the contract's `fromMicros`. */
export const formatMicros: (micros: number) => string = fromMicros;

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
