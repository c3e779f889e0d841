/**
 * Keeping the database the size of what it holds (SPEC §11): run logs beyond what `status` and the
 * dashboard show are pruned, done outbox rows older than a day are dropped (a new write of the link
 * queues a fresh row), and the WAL of a local file is checkpointed back to nothing, so it does not
 * stay as large as the database. Run by the background loop.
 *
 * @module
 */
import { Effect } from "effect";
import type { Db } from "./db.ts";
import { changes, rows } from "./sql.ts";

/** What is kept. */
export interface Keep {
  /** Run logs kept per repository (and operation), newest first. */
  readonly runsPerRepository: number;
  /** Done outbox rows older than this are dropped. */
  readonly doneOutboxMs: number;
}

/** The default {@link Keep}: the newest 500 runs per repository, a day of done writes. */
export const DEFAULT_KEEP: Keep = { runsPerRepository: 500, doneOutboxMs: 24 * 3_600_000 };

/** What one round removed. */
export interface Pruned {
  readonly runs: number;
  readonly outbox: number;
}

/** Prunes run logs and done outbox rows, then checkpoints the WAL of a local file. */
export const housekeeping = (db: Db["Service"], keep: Keep = DEFAULT_KEEP): Effect.Effect<Pruned> =>
  Effect.gen(function* () {
    const cutoff = new Date(Date.now() - keep.doneOutboxMs).toISOString();
    const pruned = yield* db.transaction(Effect.gen(function* () {
      const runs = yield* changes(
        `DELETE FROM sync_status_logs WHERE id IN (
           SELECT id FROM (
             SELECT id, ROW_NUMBER() OVER (PARTITION BY config_id, operation_type ORDER BY id DESC) AS n
               FROM sync_status_logs)
            WHERE n > ?)`,
        [keep.runsPerRepository],
      );
      const outbox = yield* changes("DELETE FROM sync_outbox WHERE status = 'done' AND updated_at < ?", [
        cutoff,
      ]);
      return { runs, outbox };
    })).pipe(Effect.orDie);
    // Outside any transaction: a checkpoint cannot run inside one.
    if (db.mode === "local") yield* db.reading(rows("PRAGMA wal_checkpoint(TRUNCATE)")).pipe(Effect.orDie);
    return pruned;
  });
