/**
 * The callback form of a write transaction (`Db.write(async (tx) => …)`), kept while callers outside
 * the store's own services still use it; everything new runs as an Effect inside `Db.transaction`
 * (see `sql.ts`). {@link onTx} runs such an Effect on a callback's transaction, so that each
 * repository function exists once: the callback forms below are thin calls of the Effect ones.
 *
 * @module
 */
import type { InArgs, ResultSet, Row } from "@libsql/client";
import { Effect } from "effect";
import { insertRows, SqlRead, type SqlRow, SqlWrite } from "./sql.ts";

/** The statements a transaction callback may run. */
export interface Tx {
  /** Runs one statement. */
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  /** Runs one statement and returns its rows as plain objects. */
  rows<T = Row>(sql: string, args?: InArgs): Promise<T[]>;
  /** Runs a script of several statements (migrations). */
  executeMultiple(sql: string): Promise<void>;
}

/**
 * Runs `effect` on the open transaction `tx` of a `Db.write` callback. This is a Promise boundary:
 * the callback is a Promise, so the Effect is run here, and its failure (an `AppError`) rejects
 * the callback with the same error, which `Db.write` reports as before.
 */
export function onTx<A, E>(tx: Tx, effect: Effect.Effect<A, E, SqlRead | SqlWrite>): Promise<A> {
  return Effect.runPromise(effect.pipe(
    Effect.provideService(SqlRead, {
      rows: (sql, args) => Effect.promise(() => tx.rows<SqlRow>(sql, args)),
    }),
    Effect.provideService(SqlWrite, {
      execute: (sql, args) => Effect.promise(() => tx.execute(sql, args)),
      executeMultiple: (sql) => Effect.promise(() => tx.executeMultiple(sql)),
    }),
  ));
}

/** {@link insertRows} inside an open transaction callback. */
export function insertMany(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
  returning?: readonly string[],
): Promise<Record<string, unknown>[]> {
  return onTx(tx, insertRows(table, columns, rows, returning));
}
