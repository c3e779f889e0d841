/**
 * Identifiers: a prefix plus a ULID (time-sortable, 26 Crockford base32 characters), so ids sort by
 * creation time and listing by id is listing by age.
 *
 * @module
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

let lastTime = 0;
let lastRandom: number[] = [];

/**
 * Returns a new ULID. Ids made in the same millisecond increase monotonically.
 *
 * @example
 * ```ts
 * import { ulid } from "./ids.ts";
 * console.log(ulid().length); // 26
 * ```
 */
export function ulid(now: number = Date.now()): string {
  let random: number[];
  if (now <= lastTime) {
    now = lastTime;
    random = increment(lastRandom);
  } else {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    random = Array.from(bytes, (b) => b & 31);
  }
  lastTime = now;
  lastRandom = random;
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((d) => ALPHABET[d]).join("");
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i] = next[i]! + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

/** A new task id, `task_<ULID>`. */
export const newTaskId = (): string => `task_${ulid()}`;
/** A new feature id, `feat_<ULID>`. */
export const newFeatureId = (): string => `feat_${ulid()}`;

/** Matches the shape of a task id. */
export const TASK_ID_PATTERN = /^task_[0-9A-HJKMNP-TV-Z]{26}$/u;
/** Matches the shape of a feature id. */
export const FEATURE_ID_PATTERN = /^feat_[0-9A-HJKMNP-TV-Z]{26}$/u;

/** The current time as ISO-8601 UTC with milliseconds. */
export const nowIso = (): string => new Date().toISOString();
