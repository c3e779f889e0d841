/**
 * Forward-only migrations: `migrations/NNNN_name.sql`, applied in order inside one write
 * transaction and recorded in `schema_migrations`. Running them again is a no-op; two processes
 * starting together serialize on the write lock and the second finds nothing to do.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Db } from "./db.ts";
import { AppError } from "../domain/errors.ts";
import { decodeRows, execute, executeMultiple } from "./sql.ts";

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const DEFAULT_DIR = new URL("../../migrations/", import.meta.url);
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads the migrations of a folder, sorted by version. */
export async function readMigrations(dir: URL = DEFAULT_DIR): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = FILE_NAME.exec(entry.name);
    if (!entry.isFile || !match) continue;
    const sql = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: Number(match[1]), name: match[2]!, sql });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`Two migrations share version ${migrations[i]!.version}: rename one of them.`);
    }
  }
  return migrations;
}

/** The outcome of {@link migrate}. */
export interface MigrateResult {
  /** Versions applied by this call. */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

/**
 * Applies every migration not yet recorded, in one transaction.
 *
 * @example
 * ```ts ignore
 * const result = yield* migrate();
 * console.log(result.version);
 * ```
 */
export const migrate = (
  migrations?: readonly Migration[],
): Effect.Effect<MigrateResult, AppError, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const all = migrations ?? (yield* Effect.promise(() => readMigrations()));
    const known = new Set(all.map((m) => m.version));
    const latest = all.length === 0 ? 0 : all[all.length - 1]!.version;
    // Read first: a database already up to date needs no write transaction (a replica whose
    // primary is down still starts; a replica or remote server saves a round trip to the primary).
    // (A new database has no schema_migrations table: the query fails and the write creates it.)
    const versions = decodeRows(Schema.Struct({ version: Schema.Number }));
    const recorded = yield* db.reading(versions("SELECT version FROM schema_migrations")).pipe(
      Effect.orDie,
      Effect.catchDefect(() => Effect.succeed(undefined)),
    );
    if (recorded !== undefined) {
      const found = new Set(recorded.map((r) => r.version));
      if ([...known].every((v) => found.has(v)) && [...found].every((v) => known.has(v))) {
        return { applied: [], version: latest };
      }
    }
    return yield* db.transaction(Effect.gen(function* () {
      yield* execute(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      );
      const done = new Set((yield* versions("SELECT version FROM schema_migrations")).map((r) => r.version));
      const newer = [...done].filter((v) => !known.has(v));
      if (newer.length > 0) {
        return yield* Effect.fail(
          new AppError({
            code: "INTERNAL",
            message: `The database has schema version ${
              Math.max(...newer)
            }, which this forgesync does not know.`,
            hint: "Upgrade forgesync, or point FORGESYNC_DB_URL at another database.",
          }),
        );
      }
      const applied: number[] = [];
      for (const m of all) {
        if (done.has(m.version)) continue;
        yield* executeMultiple(m.sql);
        yield* execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
        applied.push(m.version);
      }
      return { applied, version: latest };
    }));
  });
