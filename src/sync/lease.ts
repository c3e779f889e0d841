/**
 * Leases: one reconciler per repository across processes and machines sharing a database.
 *
 * A lease is a row (resource, holder, epoch, expiry, and the holder's host and process id) taken in
 * a write transaction, so two processes serialize on the database's write lock. Every acquisition
 * bumps the epoch: a holder knows its lease by (holder, epoch), and a pass that lost it can tell.
 *
 * - While a pass runs, a heartbeat renews the lease ({@link withLease}), whatever the pass is doing
 *   (listing pages, sending, sleeping out a rate limit).
 * - Before every write it acts on, the pass checks and renews the lease inside the same transaction
 *   ({@link fence}): a pass that lost its lease — its process was frozen past the expiry and
 *   another took over — stops before writing anything.
 * - A lease whose holder is a dead process on this host is taken over at once; elsewhere it expires.
 *
 * @module
 */
import { Duration, Effect, Fiber } from "effect";
import type { Db } from "../store/db.ts";
import { AppError } from "../domain/errors.ts";
import {
  extendLease,
  freeLease,
  type LeaseKey,
  type LeaseRow,
  readLease,
  writeLease,
} from "../store/leases.ts";
import type { SqlWrite } from "../store/sql.ts";

export type { LeaseRow } from "../store/leases.ts";

/** Who takes leases: one holder per running sync service (one per process in production). */
export interface Holder {
  /** Unique id: host, process id and a random part. */
  readonly id: string;
  readonly host: string;
  readonly pid: number;
}

/** A lease held: its resource, holder and epoch. */
export interface Lease {
  readonly resource: string;
  readonly holder: Holder;
  readonly epoch: number;
  /** Lifetime given at each renewal. */
  readonly ttlMs: number;
}

/** The lease was lost (expired and taken over): the work it guarded must stop before writing. */
export class LeaseLost extends AppError {}

/** The {@link LeaseLost} error of a resource. */
export function leaseLost(resource: string): LeaseLost {
  return new LeaseLost({
    code: "CONFLICT",
    message: `This process lost its lease on ${resource}: another process took over while it was held up.`,
    hint: "Nothing was written after the lease was lost; the other process carries on. Try again shortly.",
  });
}

/** Holders of this process that are still running (their runtimes not closed). */
const live = new Set<string>();

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown-host";
  }
}

/** A new holder for this process, counted as running until {@link retireHolder}. */
export function makeHolder(): Holder {
  const host = hostname();
  const holder = { id: `${host}:${Deno.pid}:${crypto.randomUUID().slice(0, 8)}`, host, pid: Deno.pid };
  live.add(holder.id);
  return holder;
}

/** Marks a holder as stopped: its leases may be taken over at once by another holder of this host. */
export function retireHolder(holder: Holder): void {
  live.delete(holder.id);
}

let procAvailable: boolean | undefined;

/**
 * Whether a process of this host is running, as far as this host can tell: Linux's /proc is read
 * (a zombie is dead); where there is no /proc, every process counts as running, so its lease
 * simply expires.
 */
export function processRunning(pid: number): boolean {
  if (procAvailable === undefined) {
    try {
      Deno.statSync("/proc/self/stat");
      procAvailable = true;
    } catch {
      procAvailable = false;
    }
  }
  if (!procAvailable) return true;
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

/**
 * Whether `holder` may take a lease whose row is `row` at `now` (pure but for the liveness check):
 * no row, its own row, an expired one, or one left by a holder of this host that is not running —
 * a process that died (another pid), or a closed runtime of this very process.
 */
export function mayTake(
  row: LeaseRow | undefined,
  holder: Holder,
  now: number,
  running: (pid: number) => boolean = processRunning,
): boolean {
  if (row === undefined || row.holder === holder.id || Date.parse(row.expires_at) <= now) return true;
  if (row.host !== holder.host || row.pid === null) return false;
  return row.pid === holder.pid ? !live.has(row.holder) : !running(row.pid);
}

/** Tries once to take a lease; the lease when taken (a new epoch), undefined when another holds it. */
export const tryLease = (
  db: Db["Service"],
  resource: string,
  holder: Holder,
  ttlMs: number,
): Effect.Effect<Lease | undefined> =>
  db.transaction(Effect.gen(function* () {
    const now = Date.now();
    const row = yield* readLease(resource);
    if (!mayTake(row, holder, now)) return undefined;
    const epoch = (row?.epoch ?? 0) + 1;
    yield* writeLease(resource, {
      holder: holder.id,
      expires_at: new Date(now + ttlMs).toISOString(),
      epoch,
      host: holder.host,
      pid: holder.pid,
    });
    return { resource, holder, epoch, ttlMs };
  })).pipe(Effect.orDie);

const keyOf = (lease: Lease): LeaseKey => ({
  resource: lease.resource,
  holder: lease.holder.id,
  epoch: lease.epoch,
});

/**
 * Inside a write transaction: renews the lease if it is still this one (same holder and epoch), or
 * fails with {@link LeaseLost}. Writes guarded this way cannot happen after a takeover, because every
 * takeover bumps the epoch, and the check and the writes commit together under the database's write
 * lock. (A lease that expired while its holder was held up, but that no one took over, is still
 * this one: renewing it lets the holder go on, and whoever looks next sees it held.)
 */
export const fence = (lease: Lease): Effect.Effect<void, AppError, SqlWrite> =>
  extendLease(keyOf(lease), new Date(Date.now() + lease.ttlMs).toISOString()).pipe(
    Effect.flatMap((held) => held ? Effect.void : Effect.fail(leaseLost(lease.resource))),
  );

/** Renews a lease; false when it was lost. */
export const renewLease = (db: Db["Service"], lease: Lease): Effect.Effect<boolean> =>
  db.transaction(fence(lease)).pipe(
    Effect.as(true),
    Effect.catch((e) => e instanceof LeaseLost ? Effect.succeed(false) : Effect.fail(e)),
    Effect.orDie,
  );

/**
 * Releases a lease if it is still this one: its row stays, with its epoch, for the next holder, and
 * no fence of the released lease passes any more.
 */
export const releaseLease = (db: Db["Service"], lease: Lease): Effect.Effect<void> =>
  db.transaction(freeLease(keyOf(lease))).pipe(Effect.orDie);

/** How long and how a lease is held. */
export interface LeaseOptions {
  readonly ttlMs: number;
  /** How long to wait for another holder's lease to end. */
  readonly waitMs: number;
  /** Renewal period while held (default a quarter of the lifetime); 0: no heartbeat (tests). */
  readonly heartbeatMs?: number;
  readonly pollMs?: number;
}

/** Takes a lease, waiting (polling) up to `waitMs` while another holder has it. */
export const acquireLease = (
  db: Db["Service"],
  resource: string,
  holder: Holder,
  options: LeaseOptions,
): Effect.Effect<Lease | undefined> =>
  Effect.gen(function* () {
    const deadline = Date.now() + options.waitMs;
    while (true) {
      const lease = yield* tryLease(db, resource, holder, options.ttlMs);
      if (lease !== undefined) return lease;
      if (Date.now() >= deadline) return undefined;
      yield* Effect.sleep(Duration.millis(options.pollMs ?? 100 + Math.random() * 150));
    }
  });

/**
 * Runs `use` holding the lease of `resource`: taken (waiting up to `waitMs`), renewed by a
 * heartbeat for as long as `use` runs, released at its end. `busy` answers when the lease could not
 * be taken in time.
 */
export const withLease = <A, E, R, B>(
  db: Db["Service"],
  resource: string,
  holder: Holder,
  options: LeaseOptions,
  use: (lease: Lease) => Effect.Effect<A, E, R>,
  busy: () => Effect.Effect<B, E, R>,
): Effect.Effect<A | B, E, R> =>
  Effect.gen(function* () {
    const lease = yield* acquireLease(db, resource, holder, options);
    if (lease === undefined) return yield* busy();
    const period = options.heartbeatMs ?? Math.max(10, Math.floor(options.ttlMs / 4));
    const heartbeat = period <= 0 ? undefined : yield* Effect.forkDetach(
      Effect.gen(function* () {
        while (true) {
          yield* Effect.sleep(Duration.millis(period));
          if (!(yield* renewLease(db, lease))) return;
        }
      }),
    );
    return yield* use(lease).pipe(
      Effect.ensuring(
        Effect.gen(function* () {
          if (heartbeat !== undefined) yield* Fiber.interrupt(heartbeat);
          yield* releaseLease(db, lease);
        }),
      ),
    );
  });
