/**
 * The sync service: triggers (tool calls, the interval loop, webhooks, the CLI) request a pass for
 * a repository; requests for the same repository coalesce, one pass runs per repository at a time
 * in this process (a lock) and across processes and machines (the lease, kept by a heartbeat and
 * checked before every write), and a caller may wait for the pass its request joined. Passes run
 * detached from the caller, so a cancelled tool call never leaves a pass half done.
 *
 * @module
 */
import { Context, Deferred, Duration, Effect, Exit, Layer, Semaphore } from "effect";
import { Db } from "../store/db.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { Config } from "../config.ts";
import { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { Forges } from "../forges/forges.ts";
import { leaseResource, type PassProbe, planPass, reconcile } from "./reconcile.ts";
import type { PassResult } from "./run_summary.ts";
import { logPass, summarize } from "./finish.ts";
import { emptyFlush, flushOutbox, type FlushResult } from "./outbox.ts";
import { type Holder, type Lease, type LeaseOptions, makeHolder, retireHolder, withLease } from "./lease.ts";
import { log } from "../log.ts";
import { housekeeping } from "../store/housekeeping.ts";

/** Tunables of the sync service. */
export interface SyncOptions {
  /** Lease lifetime, renewed by a heartbeat while held (default 60 s). */
  readonly leaseTtlMs: number;
  /** How long to wait for another process's hold on a repository to end (default 30 s). */
  readonly leaseWaitMs: number;
  /** Heartbeat period (default a quarter of the lifetime); 0: none (tests of a lease lost mid-pass). */
  readonly heartbeatMs?: number;
  /** Test probes inside passes and flushes. */
  readonly probe?: PassProbe;
}

/** How often the background loop prunes old run logs and done writes, and checkpoints the WAL. */
const HOUSEKEEPING_MS = 10 * 60_000;

/** The default {@link SyncOptions}. */
export const DEFAULT_SYNC: SyncOptions = { leaseTtlMs: 60_000, leaseWaitMs: 30_000 };

/** The sync service. */
export class Sync extends Context.Service<Sync, {
  /** The holder this service takes leases as. */
  readonly holder: Holder;
  /**
   * Requests a pass over a configuration and waits for it. A request made while another pass of
   * the same repository is queued joins that one. `dryRun` passes plan only and never queue.
   */
  pass(configId: number, options?: { readonly dryRun?: boolean }): Effect.Effect<PassResult, AppError>;
  /** Requests passes over every configuration (or those with auto sync) and waits for all. */
  passAll(
    options?: { readonly autoOnly?: boolean; readonly dryRun?: boolean },
  ): Effect.Effect<PassResult[], AppError>;
  /** Requests a pass without waiting (background, webhook and CLI triggers). */
  enqueue(configId: number): Effect.Effect<void>;
  /** Sends the pending writes of one link now (create_issue), holding the repository. */
  flushLink(configId: number, linkId: number): Effect.Effect<FlushResult, AppError>;
  /**
   * Runs `effect` while holding the repository: this process's lock and the cross-process lease
   * (with its heartbeat), so no pass runs beside it (import_issues). CONFLICT when another process
   * keeps the lease.
   */
  exclusive<A, E, R>(configId: number, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | AppError, R>;
  /** Runs the interval loop over configurations with auto_sync_enabled until interrupted. */
  readonly loop: Effect.Effect<never>;
}>()("forgesync/sync/Sync") {
  /** The service with default lease settings. */
  static readonly layer: Layer.Layer<Sync, never, Db | Configs | Forges | Config> = Sync.layerWith(
    DEFAULT_SYNC,
  );

  /** The service with explicit lease settings. */
  static layerWith(options: SyncOptions): Layer.Layer<Sync, never, Db | Configs | Forges | Config> {
    return Layer.effect(
      Sync,
      Effect.gen(function* () {
        const db = yield* Db;
        const configs = yield* Configs;
        const forges = yield* Forges;
        const config = yield* Config;
        const holder = yield* Effect.acquireRelease(
          Effect.sync(makeHolder),
          (h) => Effect.sync(() => retireHolder(h)),
        );
        const locks = new Map<number, Semaphore.Semaphore>();
        const queued = new Map<number, Deferred.Deferred<PassResult, AppError>>();
        const lock = (id: number) => {
          let s = locks.get(id);
          if (s === undefined) locks.set(id, s = Semaphore.makeUnsafe(1));
          return s;
        };
        const leaseOptions: LeaseOptions = {
          ttlMs: options.leaseTtlMs,
          waitMs: options.leaseWaitMs,
          ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
        };
        const probe = options.probe ?? {};

        /** Runs `use` under this process's lock and the lease of `cfg`, or `busy` when the lease stays taken. */
        const holding = <A, E, R, B>(
          cfg: RepoConfig,
          use: (lease: Lease) => Effect.Effect<A, E, R>,
          busy: () => Effect.Effect<B, E, R>,
        ): Effect.Effect<A | B, E, R> =>
          lock(cfg.config_id).withPermit(withLease(db, leaseResource(cfg), holder, leaseOptions, use, busy));

        /** One pass, logged while the lease is held: passes of one repository never overlap in the log. */
        const runPass = (cfg: RepoConfig) =>
          holding(cfg, (lease) => {
            const startedAt = nowIso();
            // On a replica, what the previous holder of the lease wrote is on the primary: sync first.
            return db.sync.pipe(
              Effect.andThen(reconcile(db, forges, cfg, lease, probe)),
              Effect.tap((result) => logRun(cfg, result, startedAt)),
            );
          }, () =>
            Effect.succeed<PassResult>({
              run: summarize(cfg, Date.now(), false, {
                status: "busy",
                errors: ["Another forgesync process is reconciling this repository; try again shortly."],
              }),
            }));

        const logRun = (cfg: RepoConfig, result: PassResult, startedAt: string) =>
          logPass(db, cfg, result, holder.id, startedAt, forges.stats(cfg.config_id)?.rate_limit ?? null);

        const request = (configId: number) =>
          Effect.gen(function* () {
            const waiting = queued.get(configId);
            if (waiting !== undefined) return waiting;
            const cfg = yield* configs.get(configId);
            const done = yield* Deferred.make<PassResult, AppError>();
            queued.set(configId, done);
            const run = Effect.suspend(() => {
              queued.delete(configId);
              return runPass(cfg);
            }).pipe(
              Effect.exit,
              Effect.flatMap((exit) => {
                if (Exit.isFailure(exit)) queued.delete(configId);
                return Deferred.done(done, exit);
              }),
            );
            yield* Effect.forkDetach(run);
            return done;
          });

        const pass = (configId: number, opts?: { readonly dryRun?: boolean }) =>
          opts?.dryRun
            ? db.sync.pipe(
              Effect.andThen(configs.get(configId)),
              Effect.flatMap((cfg) => planPass(db, forges, cfg)),
            )
            : request(configId).pipe(Effect.flatMap((d) => Deferred.await(d)));

        const passAll = (opts?: { readonly autoOnly?: boolean; readonly dryRun?: boolean }) =>
          configs.list().pipe(
            Effect.map((all) => all.filter((c) => !opts?.autoOnly || c.auto_sync_enabled)),
            Effect.flatMap((all) =>
              Effect.forEach(all, (c) => pass(c.config_id, { dryRun: opts?.dryRun }), { concurrency: 4 })
            ),
          );

        const enqueue = (configId: number) =>
          request(configId).pipe(
            Effect.asVoid,
            Effect.catch((e) =>
              Effect.sync(() => log.warn(`sync request for configuration ${configId} refused: ${e.message}`))
            ),
          );

        const exclusive = <A, E, R>(configId: number, effect: Effect.Effect<A, E, R>) =>
          configs.get(configId).pipe(
            Effect.flatMap((cfg) =>
              holding<A, E | AppError, R, never>(cfg, () => effect, () =>
                Effect.fail(AppError.conflict(
                  "Another forgesync process is reconciling this repository.",
                  "Try again in a moment.",
                )))
            ),
          );

        const flushLink = (configId: number, linkId: number) =>
          Effect.gen(function* () {
            const cfg = yield* configs.get(configId);
            const forge = yield* forges.connect(cfg);
            return yield* holding(
              cfg,
              (lease) => flushOutbox(db, forge, lease, { linkId, beforeSend: probe.beforeSend }),
              () =>
                Effect.sync(() => {
                  const busy = emptyFlush();
                  busy.pending = 1;
                  busy.errors.push(
                    "Another forgesync process holds this repository; the write stays queued.",
                  );
                  return busy;
                }),
            );
          });

        const loop = Effect.gen(function* () {
          let tidied = 0;
          while (true) {
            const all = yield* configs.list();
            for (const c of all) if (c.auto_sync_enabled) yield* enqueue(c.config_id);
            if (Date.now() - tidied >= HOUSEKEEPING_MS) {
              tidied = Date.now();
              const pruned = yield* housekeeping(db);
              if (pruned.runs + pruned.outbox > 0) log.debug("housekeeping", { ...pruned });
            }
            yield* Effect.sleep(Duration.seconds(config.syncIntervalSeconds));
          }
        }) as Effect.Effect<never>;

        return Sync.of({ holder, pass, passAll, enqueue, flushLink, exclusive, loop });
      }),
    );
  }
}
