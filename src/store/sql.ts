/**
 * Statements as Effects: the services store repositories run their SQL through.
 *
 * A repository function reads through {@link SqlRead} and writes through {@link SqlWrite}, and says
 * so in its type:
 *
 * ```ts ignore
 * const linkCount = (configId: number): Effect.Effect<number, AppError, SqlRead> => …
 * const markSynced = (linkId: number): Effect.Effect<void, AppError, SqlWrite> => …
 * ```
 *
 * `Db.transaction(effect)` provides both, on one write transaction: committed when the effect
 * succeeds, rolled back when it fails, dies or is interrupted. `Db.reading(effect)` provides
 * {@link SqlRead} alone, each statement on its own. A write therefore cannot run outside a
 * transaction: the type checker refuses it. Rows are decoded with a Schema ({@link decodeRows}),
 * so a row that is not what the code expects is a defect naming the column, not a silent `NaN`.
 *
 * @module
 */
import type { InArgs, ResultSet } from "@libsql/client";
import { Context, Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";

/** A row as libSQL returns it: column name to value. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Read statements (inside a transaction, or each on its own through `Db.reading`). */
export class SqlRead extends Context.Service<SqlRead, {
  /** Rows of one statement. */
  rows(sql: string, args?: InArgs): Effect.Effect<readonly SqlRow[], AppError>;
}>()("forgesync/store/SqlRead") {}

/** Write statements: only inside `Db.transaction`. */
export class SqlWrite extends Context.Service<SqlWrite, {
  /** Runs one statement. */
  execute(sql: string, args?: InArgs): Effect.Effect<ResultSet, AppError>;
  /** Runs a script of several statements (migrations). */
  executeMultiple(sql: string): Effect.Effect<void, AppError>;
}>()("forgesync/store/SqlWrite") {}

/** A schema rows decode with: no services needed to decode. */
export type RowSchema = Schema.Top & { readonly DecodingServices: never };

/** A statement's reader: SQL and arguments to decoded rows. */
export type RowsReader<A> = (sql: string, args?: InArgs) => Effect.Effect<A, AppError, SqlRead>;

/** Rows of a statement, undecoded. */
export const rows = (sql: string, args?: InArgs): Effect.Effect<readonly SqlRow[], AppError, SqlRead> =>
  SqlRead.use((read) => read.rows(sql, args));

/** Runs one write statement. */
export const execute = (sql: string, args?: InArgs): Effect.Effect<ResultSet, AppError, SqlWrite> =>
  SqlWrite.use((write) => write.execute(sql, args));

/** Runs one write statement and returns how many rows it changed. */
export const changes = (sql: string, args?: InArgs): Effect.Effect<number, AppError, SqlWrite> =>
  execute(sql, args).pipe(Effect.map((result) => result.rowsAffected));

/**
 * A reader of rows decoded by `schema`: a row that does not match is a defect (the schema and the
 * migrations disagree, a bug), with Schema's message naming the column.
 *
 * @example
 * ```ts ignore
 * const Count = Schema.Struct({ n: Schema.Number });
 * const count = decodeRows(Count);
 * const [row] = yield* count("SELECT count(*) AS n FROM tasks");
 * ```
 */
export const decodeRows = <S extends RowSchema>(schema: S): RowsReader<ReadonlyArray<S["Type"]>> => {
  const decode = Schema.decodeUnknownEffect(Schema.Array(schema));
  return (sql: string, args?: InArgs): Effect.Effect<ReadonlyArray<S["Type"]>, AppError, SqlRead> =>
    rows(sql, args).pipe(
      Effect.flatMap((found) =>
        decode(found).pipe(
          Effect.catchTag("SchemaError", (e) =>
            Effect.die(new Error(`a row of "${sql.slice(0, 80)}" is not as expected: ${e.message}`))),
        )
      ),
    );
};

/** The first decoded row, if any (see {@link decodeRows}). */
export const decodeRow = <S extends RowSchema>(schema: S): RowsReader<S["Type"] | undefined> => {
  const many = decodeRows(schema);
  return (sql: string, args?: InArgs): Effect.Effect<S["Type"] | undefined, AppError, SqlRead> =>
    many(sql, args).pipe(Effect.map((found) => found[0]));
};
