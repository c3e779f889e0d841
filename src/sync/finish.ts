/**
 * The finish phase of a pass: what its sends and phases add up to (its {@link RunSummary}), and the
 * run log written while the lease is still held — with the `finished` event for whoever shows
 * progress, and a warning when the pass did not complete.
 *
 * @module
 */
import { Effect } from "effect";
import type { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { RepoConfig } from "../store/configs.ts";
import { writeRunLog } from "../store/run_logs.ts";
import type { RateBudget } from "../platform/forge_fetch.ts";
import { log } from "../log.ts";
import { emptyFlush, type FlushResult } from "./outbox.ts";
import { emitPassEvent } from "./pass_events.ts";
import type { PassResult, RunSummary } from "./run_summary.ts";

/** A summary of a pass over `cfg`, started at `started`. */
export function summarize(
  cfg: RepoConfig,
  started: number,
  dryRun: boolean,
  over: Partial<RunSummary>,
): RunSummary {
  return {
    repository: cfg.repository,
    platform: cfg.platform,
    status: "completed",
    pulled: 0,
    pushed: 0,
    created: 0,
    conflicts: 0,
    failed: 0,
    pending: 0,
    requests: 0,
    duration_ms: Date.now() - started,
    errors: [],
    dry_run: dryRun,
    ...over,
  };
}

/**
 * The result of a pass that sent `flushes` (its creates, then the rest): the sends' counts and
 * errors with `over`'s, `completed` only when nothing failed, waits or was lost, and `pending` as the
 * last flush left it. `error` is the one that stopped the pass, if one did.
 */
export function passResult(
  flushes: readonly FlushResult[],
  summary: (over: Partial<RunSummary>) => RunSummary,
  requests: number,
  over: Partial<RunSummary>,
  error?: AppError,
): PassResult {
  const all = flushes.reduce((a, f) => ({
    created: a.created + f.created,
    pushed: a.pushed + f.pushed,
    failed: a.failed + f.failed,
    pending: a.pending + f.pending,
    lost: a.lost || f.lost,
    errors: [...a.errors, ...f.errors],
    failures: [],
  }), emptyFlush());
  const errors = [...all.errors, ...(over.errors ?? [])];
  const clean = errors.length === 0 && all.pending === 0 && all.failed === 0 && !all.lost;
  return {
    run: summary({
      status: clean ? "completed" : "failed",
      created: all.created,
      pushed: all.pushed,
      failed: all.failed,
      pending: flushes.at(-1)?.pending ?? 0,
      requests,
      ...over,
      errors,
    }),
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * Logs a finished pass (while its lease is still held: passes of one repository never overlap in
 * the log), tells its listeners, and warns when it did not complete.
 */
export const logPass = (
  db: Db["Service"],
  cfg: RepoConfig,
  result: PassResult,
  holder: string,
  startedAt: string,
  budget: RateBudget | null,
): Effect.Effect<void> => {
  const run = result.run;
  const { config_id, platform, repository } = cfg;
  emitPassEvent(db, { config_id, platform, repository, event: { type: "finished", run } });
  if (run.errors.length > 0) {
    log.warn(`sync of ${platform}:${repository} ${run.status}: ${run.errors.join(" ")}`);
  }
  return db.transaction(writeRunLog({
    config_id,
    operation_type: "issue_sync",
    operation_status: run.status === "completed" ? "completed" : "failed",
    pulled: run.pulled,
    pushed: run.pushed,
    created: run.created,
    conflicts: run.conflicts,
    failed: run.failed,
    requests: run.requests,
    errors: run.errors,
    holder,
    started_at: startedAt,
    finished_at: nowIso(),
    duration_ms: run.duration_ms,
    budget,
  })).pipe(Effect.orDie);
};
