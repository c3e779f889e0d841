/**
 * The libSQL store: one client per process, one writer at a time.
 *
 * Every write goes through {@link Db} `transaction` (an Effect run in one write transaction; see
 * `sql.ts`) or `batch`, both behind a one-permit semaphore: two
 * concurrent write transactions on one `@libsql/client` fail with SQLITE_BUSY and, worse, poison the
 * client so later writes vanish (libsql-client-ts #352, reproduced in docs/libsql.md). Between
 * processes the busy timeout waits instead.
 * A SQLITE_BUSY that still escapes is a failed write, never ignored: the client is reopened and
 * the caller sees the failure.
 *
 * @module
 */
import type { Client, InArgs, InStatement, ResultSet, Row } from "@libsql/client";
import { Context, Duration, Effect, Fiber, Layer, Semaphore } from "effect";
import { AppError } from "../domain/errors.ts";
import { classifyDbError } from "./storage_errors.ts";
import { type DbMode, dbMode, DEFAULT_REPLICA_SYNC_SECONDS } from "./db_mode.ts";
import { loadCreateClient, openServerLink, type ServerLink } from "./server_link.ts";
import { SqlRead, type SqlRow, SqlWrite } from "./sql.ts";

/** Options for {@link makeDb}. */
export interface DbOptions {
  /** libSQL URL: `file:…`, `:memory:`, `libsql://…`, `http(s)://…`. */
  readonly url: string;
  /** Auth token for a remote server or an embedded replica's primary. */
  readonly authToken?: string;
  /** Primary URL when `url` is an embedded replica. */
  readonly syncUrl?: string;
  /** Seconds between replica syncs (default {@link DEFAULT_REPLICA_SYNC_SECONDS}). */
  readonly syncInterval?: number;
}

/** The database service. */
export class Db extends Context.Service<Db, {
  /** The URL the client was opened with. */
  readonly url: string;
  /** A local file, in memory, an embedded replica of a primary, or a remote server. */
  readonly mode: DbMode;
  /**
   * A replica: brings it up to date with the primary now (or reconnects it when it started with
   * the primary down); failures are logged, never raised. Other modes: nothing to do.
   */
  readonly sync: Effect.Effect<void>;
  /** Rows of a read-only statement. */
  query<T = Row>(sql: string, args?: InArgs): Effect.Effect<T[]>;
  /**
   * Runs `effect` inside one write transaction, providing {@link SqlRead} and {@link SqlWrite} on
   * it: committed when the effect succeeds, rolled back when it fails, dies or is interrupted. One
   * transaction at a time in this process (the writer permit); between processes SQLite's lock.
   */
  transaction<A, E, R>(
    effect: Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E | AppError, Exclude<R, SqlRead | SqlWrite>>;
  /** Runs `effect` with {@link SqlRead} outside any transaction: each statement on its own. */
  reading<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | AppError, Exclude<R, SqlRead>>;
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
 * Opens a database, one writer at a time: a local file gets the WAL journal and a 5 s busy timeout;
 * a replica or a remote server goes through a {@link ServerLink} (start-up checks, UNAVAILABLE
 * when the server cannot be reached), and a replica syncs every `syncInterval` seconds until
 * closed.
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
    const mode = dbMode(options);
    const createClient = yield* Effect.promise(loadCreateClient);
    // A failure a person can fix (a read-only folder, a file that is not a database) is a STORAGE
    // AppError, so that start-up reports it in a line instead of a stack trace.
    const classified = (e: unknown) => classifyDbError(e, options) ?? e;
    yield* Effect.tryPromise({ try: () => ensureDbDirectory(options.url), catch: classified }).pipe(
      Effect.orDie,
    );
    // A replica or a remote server: its own link (start-up checks, offline replica, errors). A replica
    // gets no busy timeout (the native client ignores `timeout` there, and refuses PRAGMA busy_timeout):
    // nothing contends for its file, whose one connection is behind `writer` and which one process
    // holds (replica_lock.ts).
    const link: ServerLink | undefined = mode === "replica" || mode === "remote"
      ? yield* Effect.tryPromise({
        try: () =>
          openServerLink(createClient, {
            url: options.url,
            ...(options.syncUrl !== undefined ? { syncUrl: options.syncUrl } : {}),
            ...(options.authToken !== undefined ? { authToken: options.authToken } : {}),
          }),
        catch: (e) => e,
      }).pipe(Effect.orDie)
      : undefined;
    const open = (): Client => createClient({ url: options.url, timeout: 5000, intMode: "number" });
    let local: Client | undefined = link === undefined
      ? yield* Effect.try({ try: open, catch: classified }).pipe(Effect.orDie)
      : undefined;
    if (mode === "local") {
      local = yield* Effect.tryPromise({ try: () => enableWal(local!, open), catch: classified }).pipe(
        Effect.orDie,
      );
    }
    const current = (): Client => link?.client() ?? local!;
    // An in-memory database and a replica have a single connection: a read cannot run beside an
    // open transaction.
    const single = mode === "memory" || mode === "replica";
    const writer = yield* Semaphore.make(1);

    const guarded = <A>(f: () => Promise<A>): Effect.Effect<A, AppError> =>
      Effect.tryPromise({ try: f, catch: (e) => e }).pipe(
        Effect.tapError((e) =>
          link === undefined && isBusy(e)
            ? Effect.sync(() => {
              local!.close();
              local = open();
            })
            : Effect.void
        ),
        // Storage faults (read-only, full, damaged, busy) and an unreachable primary are errors a
        // person can act on; anything else is a bug.
        Effect.catch((e) => {
          if (e instanceof AppError) return Effect.fail(e);
          const known = link?.translate(e) ?? classifyDbError(e, options);
          return known !== undefined ? Effect.fail(known) : Effect.die(e);
        }),
      );

    const query = <T = Row>(sql: string, args?: InArgs): Effect.Effect<T[]> => {
      const read = guarded(() => current().execute({ sql, args: args ?? [] })).pipe(
        Effect.map((rs) => rs.rows as unknown as T[]),
        Effect.orDie,
      );
      return single ? writer.withPermit(read) : read;
    };

    const transaction = <A, E, R>(
      effect: Effect.Effect<A, E, R>,
    ): Effect.Effect<A, E | AppError, Exclude<R, SqlRead | SqlWrite>> =>
      // (Exclude<Exclude<R, X>, Y> is Exclude<R, X | Y>; TypeScript cannot see it for a generic R.)
      writer.withPermit(Effect.acquireUseRelease(
        guarded(async () => {
          await link?.writable();
          return await current().transaction("write");
        }),
        (tx) =>
          effect.pipe(
            Effect.provideService(SqlRead, {
              rows: (sql, args) =>
                guarded(() => tx.execute({ sql, args: args ?? [] })).pipe(
                  Effect.map((rs) => rs.rows as unknown as SqlRow[]),
                ),
            }),
            Effect.provideService(SqlWrite, {
              execute: (sql, args) => guarded(() => tx.execute({ sql, args: args ?? [] })),
              executeMultiple: (sql) => guarded(() => tx.executeMultiple(sql)),
            }),
            Effect.tap(() => guarded(() => tx.commit())),
          ),
        // Closing an uncommitted transaction rolls it back; a client already reopened after a
        // SQLITE_BUSY has nothing left to close.
        (tx) => Effect.sync(() => tx.close()).pipe(Effect.ignoreCause),
      )) as Effect.Effect<A, E | AppError, Exclude<R, SqlRead | SqlWrite>>;

    const reading = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(Effect.provideService(SqlRead, {
        rows: (sql, args) => {
          const read = guarded(() => current().execute({ sql, args: args ?? [] })).pipe(
            Effect.map((rs) => rs.rows as unknown as SqlRow[]),
          );
          return single ? writer.withPermit(read) : read;
        },
      }));

    const batch = (statements: readonly InStatement[]): Effect.Effect<ResultSet[]> =>
      statements.length === 0 ? Effect.succeed([]) : writer.withPermit(guarded(async () => {
        await link?.writable();
        return await current().batch([...statements], "write");
      })).pipe(Effect.orDie);

    // A replica syncs every FORGESYNC_DB_SYNC_INTERVAL seconds, in this process's own loop: the
    // native `syncInterval` keeps running after close() and logs to stderr by itself.
    const sync: Effect.Effect<void> = link?.mode === "replica"
      ? writer.withPermit(Effect.promise(() => link.syncNow()))
      : Effect.void;
    const every = Math.max(1, options.syncInterval ?? DEFAULT_REPLICA_SYNC_SECONDS);
    const syncing = link?.mode === "replica"
      ? yield* Effect.forkDetach(
        Effect.forever(Effect.sleep(Duration.seconds(every)).pipe(Effect.andThen(sync))),
      )
      : undefined;

    let closed = false;
    return Db.of({
      url: options.url,
      mode,
      sync,
      query,
      transaction,
      reading,
      batch,
      close: Effect.gen(function* () {
        if (closed) return;
        closed = true;
        if (syncing !== undefined) yield* Fiber.interrupt(syncing);
        // Wait for a statement or sync in flight, then close.
        yield* writer.withPermit(Effect.sync(() => (link === undefined ? local!.close() : link.close())));
      }),
    });
  });
