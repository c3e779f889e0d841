/**
 * The sync service: triggers (tool calls, the interval loop, webhooks, the CLI) request a pass for
 * a repository; requests for the same repository coalesce, one pass runs per repository at a time
 * in this process (and, through the lease, across processes), and a caller may wait for the pass
 * its request joined. Passes run detached from the caller, so a cancelled tool call never leaves a
 * pass half done.
 *
 * @module
 */
import { Context, Deferred, Duration, Effect, Exit, Layer, Semaphore } from "effect";
import { Db } from "../store/db.ts";
import { Configs } from "../store/configs.ts";
import { Config } from "../config.ts";
import { AppError } from "../domain/errors.ts";
import { Forges } from "./forges.ts";
import { leaseResource, type PassOptions, type PassResult, reconcile } from "./reconcile.ts";
import { emptyFlush, flushOutbox, type FlushResult } from "./outbox.ts";
import { acquireLease, releaseLease } from "./lease.ts";
import { log } from "../log.ts";

/** Tunables of the sync service. */
export interface SyncOptions {
  readonly leaseTtlMs: number;
  readonly leaseWaitMs: number;
}

/** The sync service. */
export class Sync extends Context.Service<Sync, {
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
  /** Sends the pending writes of one link now (create_issue, update_issue), under the repository's lock and lease. */
  flushLink(configId: number, linkId: number): Effect.Effect<FlushResult, AppError>;
  /**
   * Runs `effect` while holding the repository: this process's lock and the cross-process lease, so
   * no pass runs beside it (import_issues). CONFLICT when another process keeps the lease.
   */
  exclusive<A, E, R>(configId: number, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | AppError, R>;
  /** Runs the interval loop over configurations with auto_sync_enabled until interrupted. */
  readonly loop: Effect.Effect<never>;
}>()("forgesync/sync/Sync") {
  /** The service with default lease settings. */
  static readonly layer: Layer.Layer<Sync, never, Db | Configs | Forges | Config> = Sync.layerWith({
    leaseTtlMs: 120_000,
    leaseWaitMs: 30_000,
  });

  /** The service with explicit lease settings. */
  static layerWith(options: SyncOptions): Layer.Layer<Sync, never, Db | Configs | Forges | Config> {
    return Layer.effect(
      Sync,
      Effect.gen(function* () {
        const db = yield* Db;
        const configs = yield* Configs;
        const forges = yield* Forges;
        const config = yield* Config;
        const locks = new Map<number, Semaphore.Semaphore>();
        const queued = new Map<number, Deferred.Deferred<PassResult, AppError>>();
        const lock = (id: number) => {
          let s = locks.get(id);
          if (s === undefined) locks.set(id, s = Semaphore.makeUnsafe(1));
          return s;
        };
        const passOptions: PassOptions = { leaseTtlMs: options.leaseTtlMs, leaseWaitMs: options.leaseWaitMs };

        const request = (configId: number) =>
          Effect.gen(function* () {
            const waiting = queued.get(configId);
            if (waiting !== undefined) return waiting;
            const cfg = yield* configs.get(configId);
            const done = yield* Deferred.make<PassResult, AppError>();
            queued.set(configId, done);
            const run = lock(configId).withPermit(
              Effect.suspend(() => {
                queued.delete(configId);
                return reconcile(db, forges, cfg, passOptions);
              }),
            ).pipe(
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
            ? configs.get(configId).pipe(
              Effect.flatMap((cfg) => reconcile(db, forges, cfg, { dryRun: true })),
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

        /** Runs `effect` under the lock and the lease, or answers `busy` when the lease stays taken. */
        const holding = <A, E, R, B>(
          configId: number,
          effect: Effect.Effect<A, E, R>,
          busy: () => Effect.Effect<B, E | AppError>,
        ): Effect.Effect<A | B, E | AppError, R> =>
          Effect.gen(function* () {
            const cfg = yield* configs.get(configId);
            return yield* lock(configId).withPermit(Effect.gen(function* () {
              const resource = leaseResource(cfg);
              const held = yield* acquireLease(db, resource, {
                ttlMs: options.leaseTtlMs,
                waitMs: options.leaseWaitMs,
              });
              if (!held) return yield* busy();
              return yield* effect.pipe(Effect.ensuring(releaseLease(db, resource)));
            }));
          });

        const exclusive = <A, E, R>(configId: number, effect: Effect.Effect<A, E, R>) =>
          holding(configId, effect, () =>
            Effect.fail(AppError.conflict(
              "Another forgesync process is reconciling this repository.",
              "Try again in a moment.",
            )));

        const flushLink = (configId: number, linkId: number) =>
          Effect.gen(function* () {
            const forge = yield* forges.connect(yield* configs.get(configId));
            return yield* holding(configId, flushOutbox(db, forge, linkId), () =>
              Effect.sync(() => {
                const busy = emptyFlush();
                busy.pending = 1;
                busy.errors.push("Another forgesync process holds this repository; the write stays queued.");
                return busy;
              }));
          });

        const loop = Effect.gen(function* () {
          while (true) {
            const all = yield* configs.list();
            for (const c of all) if (c.auto_sync_enabled) yield* enqueue(c.config_id);
            yield* Effect.sleep(Duration.seconds(config.syncIntervalSeconds));
          }
        }) as Effect.Effect<never>;

        return Sync.of({ pass, passAll, enqueue, flushLink, exclusive, loop });
      }),
    );
  }
}
