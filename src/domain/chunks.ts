/**
 * Splitting a list into batches, for writes sent a batch at a time.
 *
 * @module
 */

/**
 * `items` in order, cut into lists of at most `size` (the last one may be shorter); `size` below 1
 * counts as 1.
 *
 * @example
 * ```ts
 * import { chunks } from "./chunks.ts";
 * chunks([1, 2, 3, 4, 5], 2); // [[1, 2], [3, 4], [5]]
 * ```
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const n = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
