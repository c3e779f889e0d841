/**
 * One row of the benchmark table, as `bench/run.ts` prints it and writes it to `bench/results.json`.
 *
 * @module
 */

/** A measured scenario beside its target. */
export interface BenchRow {
  readonly scenario: string;
  readonly measured: string;
  readonly target: string;
  readonly ok: boolean;
  readonly requests?: string;
  readonly values: Record<string, number>;
}
