/**
 * The libSQL store: one client per process, one writer at a time.
 *
 * Every write goes through {@link Db} `write` (a write transaction) or `batch` (an atomic batch),
 * both behind a one-permit semaphore: two concurrent write transactions on one `@libsql/client`
 * fail with SQLITE_BUSY and, worse, poison the client so later writes vanish (libsql-client-ts
 * #352, reproduced in docs/stack-notes.md). Between processes the busy timeout waits instead.
 * A SQLITE_BUSY that still escapes is a failed write, never ignored: the client is reopened and
 * the caller sees the failure.
 *
 * @module
 */
import { createClient } from "@libsql/client";
import type { Client, InArgs, InStatement, ResultSet, Row, Transaction } from "@libsql/client";
import { Context, Effect, Layer, Semaphore } from "effect";
import { AppError } from "../domain/errors.ts";
import { classifyDbError } from "./storage_errors.ts";

/** The statements a transaction callback may run. */
export interface Tx {
  /** Runs one statement. */
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  /** Runs one statement and returns its rows as plain objects. */
  rows<T = Row>(sql: string, args?: InArgs): Promise<T[]>;
  /** Runs a script of several statements (migrations). */
  executeMultiple(sql: string): Promise<void>;
}

/** Options for {@link makeDb}. */
export interface DbOptions {
  /** libSQL URL: `file:…`, `:memory:`, `libsql://…`, `http(s)://…`. */
  readonly url: string;
  /** Auth token for a remote server or an embedded replica's primary. */
  readonly authToken?: string;
  /** Primary URL when `url` is an embedded replica. */
  readonly syncUrl?: string;
  /** Seconds between replica syncs. */
  readonly syncInterval?: number;
}

/** The database service. */
export class Db extends Context.Service<Db, {
  /** The URL the client was opened with. */
  readonly url: string;
  /** Rows of a read-only statement. */
  query<T = Row>(sql: string, args?: InArgs): Effect.Effect<T[]>;
  /**
   * Runs `f` inside one write transaction, committed when `f` resolves, rolled back when it throws.
   * An {@link AppError} thrown by `f` fails the effect with it; anything else is a defect.
   */
  write<A>(f: (tx: Tx) => Promise<A>): Effect.Effect<A, AppError>;
  /** Runs statements as one atomic write batch. */
  batch(statements: readonly InStatement[]): Effect.Effect<ResultSet[]>;
  /** Closes the client. */
  readonly close: Effect.Effect<void>;
}>()("forgesync/store/Db") {
  /** A layer opening the database described by `options` and closing it with the scope. */
  static readonly layer = (options: DbOptions): Layer.Layer<Db> =>
    Layer.effect(Db, Effect.acquireRelease(makeDb(options), (db) => db.close));
}

/** True for a SQLITE_BUSY / SQLITE_LOCKED failure. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/**
 * Switches a database file to WAL (persistent: only its first opener does it). Changing the journal
 * mode needs the file to itself, and SQLite answers SQLITE_BUSY at once, without waiting, while
 * another process holds a lock on a fresh rollback-journal file: two processes starting together on
 * a new database. The switch is retried on a fresh client (a BUSY may poison the old one) until
 * the other process is done. Returns the client to use.
 */
export async function enableWal(client: Client, reopen: () => Client, attempts = 100): Promise<Client> {
  for (let attempt = 1;; attempt++) {
    try {
      const mode = await client.execute("PRAGMA journal_mode");
      const current = String(Object.values(mode.rows[0] ?? {})[0] ?? "").toLowerCase();
      if (current !== "wal") await client.execute("PRAGMA journal_mode=WAL");
      return client;
    } catch (error) {
      if (!isBusy(error) || attempt >= attempts) throw error;
      client.close();
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * attempt)));
      client = reopen();
    }
  }
}

/** Ensures the folder of a `file:` URL exists. */
export async function ensureDbDirectory(url: string): Promise<void> {
  if (!url.startsWith("file:")) return;
  const path = url.slice("file:".length).replace(/^\/\/(?=\/)/, "").split("?")[0]!;
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
}

/**
 * Opens a database: WAL journal and a 5 s busy timeout for files, one writer at a time.
 *
 * @example
 * ```ts ignore
 * import { Effect } from "effect";
 * import { makeDb } from "./db.ts";
 * const db = await Effect.runPromise(makeDb({ url: ":memory:" }));
 * ```
 */
export const makeDb = (options: DbOptions): Effect.Effect<Db["Service"]> =>
  Effect.gen(function* () {
    // A failure a person can fix (a read-only folder, a file that is not a database) is a STORAGE
    // AppError, so that start-up reports it in a line instead of a stack trace.
    const classified = (e: unknown) => classifyDbError(e, options) ?? e;
    yield* Effect.tryPromise({ try: () => ensureDbDirectory(options.url), catch: classified }).pipe(
      Effect.orDie,
    );
    const open = (): Client =>
      createClient({
        url: options.url,
        authToken: options.authToken,
        syncUrl: options.syncUrl,
        syncInterval: options.syncInterval,
        timeout: 5000,
        intMode: "number",
      });
    let client = yield* Effect.try({ try: open, catch: classified }).pipe(Effect.orDie);
    const isFile = options.url.startsWith("file:");
    if (isFile) {
      client = yield* Effect.tryPromise({ try: () => enableWal(client, open), catch: classified }).pipe(
        Effect.orDie,
      );
    }
    // An in-memory database has a single connection: a read cannot run beside an open transaction.
    const single = options.url === ":memory:" || options.url.startsWith("file::memory:") ||
      options.syncUrl !== undefined;
    const writer = yield* Semaphore.make(1);

    const guarded = <A>(f: () => Promise<A>): Effect.Effect<A, AppError> =>
      Effect.tryPromise({ try: f, catch: (e) => e }).pipe(
        Effect.tapError((e) =>
          isBusy(e)
            ? Effect.sync(() => {
              client.close();
              client = open();
            })
            : Effect.void
        ),
        // Storage faults (read-only, full, damaged, busy) and an unreachable primary are errors a
        // person can act on; anything else is a bug.
        Effect.catch((e) => {
          const known = classifyDbError(e, options);
          return known !== undefined ? Effect.fail(known) : Effect.die(e);
        }),
      );

    const query = <T = Row>(sql: string, args?: InArgs): Effect.Effect<T[]> => {
      const read = guarded(() => client.execute({ sql, args: args ?? [] })).pipe(
        Effect.map((rs) => rs.rows as unknown as T[]),
        Effect.orDie,
      );
      return single ? writer.withPermit(read) : read;
    };

    const write = <A>(f: (tx: Tx) => Promise<A>): Effect.Effect<A, AppError> =>
      writer.withPermit(guarded(async () => {
        const tx: Transaction = await client.transaction("write");
        try {
          const result = await f({
            execute: (sql, args) => tx.execute({ sql, args: args ?? [] }),
            rows: async <T>(sql: string, args?: InArgs) =>
              (await tx.execute({ sql, args: args ?? [] })).rows as unknown as T[],
            executeMultiple: (sql) => tx.executeMultiple(sql),
          });
          await tx.commit();
          return result;
        } finally {
          tx.close();
        }
      }));

    const batch = (statements: readonly InStatement[]): Effect.Effect<ResultSet[]> =>
      statements.length === 0
        ? Effect.succeed([])
        : writer.withPermit(guarded(() => client.batch([...statements], "write")).pipe(Effect.orDie));

    return Db.of({
      url: options.url,
      query,
      write,
      batch,
      close: Effect.sync(() => client.close()),
    });
  });

/** Most rows per multi-row INSERT (SQLite allows 32,766 bound values per statement). */
const MAX_VALUES = 30_000;

/**
 * Inserts many rows with multi-row `INSERT` statements inside an open transaction. One statement
 * per row would cost a native prepared statement each: 30,000 of them take hundreds of megabytes
 * until the garbage collector finalizes them. Returns the `returning` columns of every row, in order.
 */
export async function insertMany(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>,
  returning?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const perStatement = Math.max(1, Math.min(500, Math.floor(MAX_VALUES / columns.length)));
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const sql = `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}` +
      (returning ? ` RETURNING ${returning.join(", ")}` : "");
    const result = await tx.execute(sql, chunk.flat());
    if (returning) out.push(...(result.rows as unknown as Record<string, unknown>[]));
  }
  return out;
}
