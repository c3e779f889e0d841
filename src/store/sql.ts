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

/** Whether a statement (`SELECT 1 …`) finds a row. */
export const exists = (sql: string, args?: InArgs): Effect.Effect<boolean, AppError, SqlRead> =>
  rows(sql, args).pipe(Effect.map((found) => found.length > 0));

/** Runs one write statement. */
export const execute = (sql: string, args?: InArgs): Effect.Effect<ResultSet, AppError, SqlWrite> =>
  SqlWrite.use((write) => write.execute(sql, args));

/** Runs a script of several statements (migrations). */
export const executeMultiple = (sql: string): Effect.Effect<void, AppError, SqlWrite> =>
  SqlWrite.use((write) => write.executeMultiple(sql));

/** Runs one write statement and returns how many rows it changed. */
export const changes = (sql: string, args?: InArgs): Effect.Effect<number, AppError, SqlWrite> =>
  execute(sql, args).pipe(Effect.map((result) => result.rowsAffected));

/**
 * Decodes rows already in hand (a write's `RETURNING` rows) with `schema`: a row that does not match
 * is a defect (the schema and the migrations disagree, a bug), with Schema's message naming the column.
 */
export const decodeAll = <S extends RowSchema>(
  schema: S,
  sql: string,
): (found: readonly SqlRow[]) => Effect.Effect<ReadonlyArray<S["Type"]>> => {
  const decode = Schema.decodeUnknownEffect(Schema.Array(schema));
  return (found) =>
    decode(found).pipe(
      Effect.catchTag("SchemaError", (e) =>
        Effect.die(new Error(`a row of "${sql.slice(0, 80)}" is not as expected: ${e.message}`))),
    );
};

/**
 * A reader of rows decoded by `schema` (see {@link decodeAll}).
 *
 * @example
 * ```ts ignore
 * const Count = Schema.Struct({ n: Schema.Number });
 * const count = decodeRows(Count);
 * const [row] = yield* count("SELECT count(*) AS n FROM tasks");
 * ```
 */
export const decodeRows =
  <S extends RowSchema>(schema: S): RowsReader<ReadonlyArray<S["Type"]>> =>
  (sql: string, args?: InArgs): Effect.Effect<ReadonlyArray<S["Type"]>, AppError, SqlRead> =>
    rows(sql, args).pipe(Effect.flatMap(decodeAll(schema, sql)));

/** The first decoded row, if any (see {@link decodeRows}). */
export const decodeRow = <S extends RowSchema>(schema: S): RowsReader<S["Type"] | undefined> => {
  const many = decodeRows(schema);
  return (sql: string, args?: InArgs): Effect.Effect<S["Type"] | undefined, AppError, SqlRead> =>
    many(sql, args).pipe(Effect.map((found) => found[0]));
};

/** Most rows per multi-row INSERT (SQLite allows 32,766 bound values per statement). */
const MAX_VALUES = 30_000;

/**
 * Inserts many rows with multi-row `INSERT` statements (inside the transaction). One statement per
 * row would cost a native prepared statement each: 30,000 of them take hundreds of megabytes until
 * the garbage collector finalizes them. Returns the `returning` columns of every row, in order.
 */
export const insertRows = (
  table: string,
  columns: readonly string[],
  values: ReadonlyArray<ReadonlyArray<string | number | null>>,
  returning?: readonly string[],
): Effect.Effect<SqlRow[], AppError, SqlWrite> =>
  Effect.gen(function* () {
    const out: SqlRow[] = [];
    const perStatement = Math.max(1, Math.min(500, Math.floor(MAX_VALUES / columns.length)));
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    for (let i = 0; i < values.length; i += perStatement) {
      const chunk = values.slice(i, i + perStatement);
      const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}` +
        (returning ? ` RETURNING ${returning.join(", ")}` : "");
      const result = yield* execute(sql, chunk.flat());
      if (returning) out.push(...(result.rows as readonly SqlRow[]));
    }
    return out;
  });
