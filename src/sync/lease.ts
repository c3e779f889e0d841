/**
 * Leases: one reconciler per repository across processes and machines sharing a database. A lease
 * is a row with a holder and an expiry, taken in a write transaction (so two processes serialize
 * on the database's write lock), renewed while a pass runs, and released at its end. A crashed
 * holder's lease expires.
 *
 * @module
 */
import { Duration, Effect } from "effect";
import type { Db } from "../store/db.ts";

/** This process's holder id. */
export const HOLDER = `pid:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`;

/** Tries once to take or renew a lease; true when held. */
export const tryLease = (
  db: Db["Service"],
  resource: string,
  ttlMs: number,
  holder = HOLDER,
): Effect.Effect<boolean> =>
  db.write(async (tx) => {
    const now = Date.now();
    const rows = await tx.rows<{ holder: string; expires_at: string }>(
      "SELECT holder, expires_at FROM sync_leases WHERE resource = ?",
      [resource],
    );
    const row = rows[0];
    if (row !== undefined && row.holder !== holder && Date.parse(row.expires_at) > now) return false;
    await tx.execute(
      `INSERT INTO sync_leases (resource, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (resource) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
      [resource, holder, new Date(now + ttlMs).toISOString()],
    );
    return true;
  }).pipe(Effect.orDie);

/** Releases a lease held by `holder`. */
export const releaseLease = (db: Db["Service"], resource: string, holder = HOLDER): Effect.Effect<void> =>
  db.batch([{ sql: "DELETE FROM sync_leases WHERE resource = ? AND holder = ?", args: [resource, holder] }])
    .pipe(
      Effect.asVoid,
    );

/**
 * Takes a lease, waiting (polling) up to `waitMs` while another holder has it. Returns false when
 * it could not be taken in time.
 */
export const acquireLease = (
  db: Db["Service"],
  resource: string,
  options: { readonly ttlMs: number; readonly waitMs: number; readonly pollMs?: number },
  holder = HOLDER,
): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    const deadline = Date.now() + options.waitMs;
    while (true) {
      if (yield* tryLease(db, resource, options.ttlMs, holder)) return true;
      if (Date.now() >= deadline) return false;
      yield* Effect.sleep(Duration.millis(options.pollMs ?? 100 + Math.random() * 150));
    }
  });
