/**
 * One reconciliation pass over a repository (SPEC §7), level-triggered like a controller-runtime
 * reconciler: read both sides, plan with the pure three-way merge, write. It runs while its caller
 * holds the repository's lease (see `service.ts`), in named phases, one module each:
 *
 *   creates ─ send the creates the outbox still holds                          (outbox.ts)
 *   pull    ─ issues changed since the cursor (all pages, oldest change first), plus a fresh read of
 *             each issue whose last update got no answer and may have landed since   (pull.ts)
 *   select  ─ links whose item changed locally (version ≠ base), whose issue was listed, or whose
 *             update is still queued                                           (candidates.ts)
 *   apply   ─ ONE transaction, fenced by the lease: the selected links' rows read again, planned,
 *             and their local writes, conflicts, bases and outbox rows written, with the new cursor
 *                                                                              (apply.ts)
 *   send    ─ the outbox, each attempt fenced by the lease, each outcome recorded  (outbox.ts)
 *   finish  ─ the answer cache kept, the sends and phases summed up            (finish.ts)
 *
 * Planning inside the apply transaction is what makes a local edit made while the pass pulled safe:
 * the plan sees it (a conflict if the issue changed the same field, a push otherwise). The cursor
 * advances with the apply that consumed the pull; writes that wait (the forge down) or were refused
 * for good (parked) never hold it back.
 *
 * A queued update is never replayed as it was planned: the issue may have changed since (a person's
 * edit would be overwritten silently). It is planned again against the issue as just pulled, which
 * replaces the queued write, turns it into a recorded conflict, or drops it when nothing is left to
 * send. The sent fields keep their old base until the forge confirms them, so planning again sends
 * the same values when nothing changed, and a write that landed unseen reads as agreed.
 *
 * A pass right after a clean pass plans nothing and writes nothing but its log row.
 *
 * @module
 */

import { Effect, Result } from "effect";
import type { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { isEmptyPlan } from "../domain/merge.ts";
import type { RepoConfig } from "../store/configs.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { ConnectedForge, Forges } from "../forges/forges.ts";
import { flushOutbox, type FlushResult } from "./outbox.ts";
import { type Lease, LeaseLost } from "./lease.ts";
import { itemId } from "./snapshots.ts";
import { loadCandidates, selectCandidates } from "./candidates.ts";
import { planCandidate } from "./plan.ts";
import { pull } from "./pull.ts";
import { apply } from "./apply.ts";
import { passResult, summarize } from "./finish.ts";
import type { PassResult, PlannedChange, RunSummary } from "./run_summary.ts";

export type { PassResult, PlannedChange } from "./run_summary.ts";

/** Points where tests interleave events with a pass (a local edit between its pull and its apply). */
export interface PassProbe {
  readonly beforeApply?: () => Promise<void>;
  readonly beforeSend?: () => Promise<void>;
}

/** The lease resource of a configuration. */
export const leaseResource = (cfg: RepoConfig): string => `repo:${cfg.platform}:${cfg.repository}`;

/**
 * Connects the forge of `cfg` and runs `body` with it, a summary maker (timed from now) and a
 * counter of the requests sent since; a configuration that cannot connect is a failed pass.
 */
const withForge = <R>(
  forges: Forges["Service"],
  cfg: RepoConfig,
  dryRun: boolean,
  body: (
    forge: ConnectedForge,
    summary: (over: Partial<RunSummary>) => RunSummary,
    requests: () => number,
  ) => Effect.Effect<PassResult, never, R>,
): Effect.Effect<PassResult, never, R> =>
  Effect.gen(function* () {
    const started = Date.now();
    const summary = (over: Partial<RunSummary>) => summarize(cfg, started, dryRun, over);
    const connected = yield* Effect.result(forges.connect(cfg));
    if (Result.isFailure(connected)) {
      return {
        run: summary({ status: "failed", errors: [connected.failure.message] }),
        error: connected.failure,
      };
    }
    const forge = connected.success;
    const before = forge.stats.requests;
    return yield* body(forge, summary, () => forge.stats.requests - before);
  });

/**
 * Runs one pass over a configured repository while `lease` holds it. Never fails: problems are
 * reported in the result (`status: "failed"`, `errors`, and `error` when the pass could not start).
 */
export const reconcile = (
  db: Db["Service"],
  forges: Forges["Service"],
  cfg: RepoConfig,
  lease: Lease,
  probe: PassProbe = {},
): Effect.Effect<PassResult> =>
  withForge(forges, cfg, false, (forge, summary, requests) =>
    Effect.gen(function* () {
      const flushes: FlushResult[] = [];
      const finish = (over: Partial<RunSummary>, error?: AppError) =>
        passResult(flushes, summary, requests(), over, error);
      const beforeSend = probe.beforeSend;

      // Creates first (nothing to merge yet); queued updates are planned again after the pull.
      flushes.push(yield* flushOutbox(db, forge, lease, { kind: "create", beforeSend }));
      if (flushes[0]!.lost) return finish({});

      const pulled = yield* Effect.result(pull(db, forge));
      if (Result.isFailure(pulled)) {
        const error = toAppError(pulled.failure);
        return finish({ errors: [`pull: ${error.message}`] }, error);
      }
      const ids = yield* db.reading(selectCandidates(cfg, [...pulled.success.changed.keys()])).pipe(
        Effect.orDie,
      );
      if (probe.beforeApply !== undefined) yield* Effect.promise(probe.beforeApply);
      const applied = ids.length === 0 && pulled.success.nextCursor === pulled.success.cursor
        ? Result.succeed({ pulled: 0, conflicts: 0 })
        : yield* Effect.result(apply(db, forge, lease, ids, pulled.success));
      if (Result.isFailure(applied)) {
        const lost = applied.failure instanceof LeaseLost;
        return finish({ errors: [`${lost ? "" : "apply: "}${applied.failure.message}`] }, applied.failure);
      }
      flushes.push(yield* flushOutbox(db, forge, lease, { beforeSend }));
      if (forge.cache !== undefined) yield* forge.cache.flush;
      return finish({ pulled: applied.success.pulled, conflicts: applied.success.conflicts });
    }));

/** Plans a pass without writing anything (`dry_run`): no lease, no sends, no local writes. */
export const planPass = (
  db: Db["Service"],
  forges: Forges["Service"],
  cfg: RepoConfig,
): Effect.Effect<PassResult> =>
  withForge(forges, cfg, true, (forge, summary, requests) =>
    Effect.gen(function* () {
      const pulled = yield* Effect.result(pull(db, forge));
      if (Result.isFailure(pulled)) {
        const error = toAppError(pulled.failure);
        return {
          run: summary({ status: "failed", requests: requests(), errors: [`pull: ${error.message}`] }),
          error,
        };
      }
      const candidates = yield* db.reading(
        selectCandidates(cfg, [...pulled.success.changed.keys()]).pipe(
          Effect.flatMap((ids) => loadCandidates(ids, pulled.success.changed)),
        ),
      ).pipe(Effect.orDie);
      const plan: PlannedChange[] = candidates
        .map((c) => ({ c, plan: planCandidate(cfg, forge.plugin, c) }))
        .filter(({ plan }) => !isEmptyPlan(plan) || plan.conflicts.length > 0)
        .map(({ c, plan }) => ({
          link_id: c.link.link_id,
          issue_number: c.link.issue_number!,
          item: { kind: c.local.kind, id: itemId(c.local) },
          local: plan.local,
          remote: plan.remote,
          conflicts: plan.conflicts,
        }));
      return {
        run: summary({
          pulled: plan.filter((p) => Object.keys(p.local).length > 0).length,
          pushed: plan.filter((p) => Object.keys(p.remote).length > 0).length,
          conflicts: plan.reduce((n, p) => n + p.conflicts.length, 0),
          requests: requests(),
        }),
        plan,
      };
    }));
