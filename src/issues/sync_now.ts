/**
 * `sync_status`: reconcile now — the repository named, or every configured one — and answer when
 * the passes have finished; `dry_run` answers with the plan instead. The forge down or rate limited
 * is not a failed call (SPEC §5): local changes are kept and queued, and the answer says `pending`.
 * Anything the user must fix (the token, the repository) fails the call.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { unpark } from "../store/outbox.ts";
import { waitsForLaterPass } from "../sync/later.ts";
import type { PlannedChange, RunSummary } from "../sync/run_summary.ts";
import { Sync } from "../sync/service.ts";
import { type Progress, runOut, type SyncOutcome } from "./links.ts";
import { withPassProgress } from "./pass_progress.ts";

/** Input of {@link syncNow}. */
export interface SyncNowInput {
  readonly repository?: string;
  readonly platform?: string;
  readonly dry_run?: boolean;
  /** Also send again the writes the forge refused before (parked). */
  readonly force?: boolean;
}

/**
 * How a finished pass is reported: `synced` when clean; `failed` when a write was refused for good;
 * otherwise `pending`, with the reason (the forge down or rate limited: the work stays queued).
 */
export function passOutcome(run: RunSummary): SyncOutcome {
  if (run.status === "completed") return { sync_status: "synced" };
  if (run.failed > 0) return { sync_status: "failed", reason: run.errors.join(" ") };
  return {
    sync_status: "pending",
    reason: `${
      run.errors.join(" ") || "Another process is reconciling this repository."
    } Local changes are kept and queued; the next sync sends them.`,
  };
}

/** What {@link syncNow} answers: one run (with its outcome or plan), or every repository's runs. */
export type SyncNowResult =
  | { readonly runs: RunSummary[]; readonly plan?: PlannedChange[] }
  | { readonly run: RunSummary; readonly plan: PlannedChange[] }
  | ({ readonly run: RunSummary } & SyncOutcome);

/** Reconciles now (see the module documentation), reporting each page pulled and write sent. */
export const syncNow = (
  input: SyncNowInput,
  progress: Progress,
): Effect.Effect<SyncNowResult, AppError, Db | Configs | Sync> =>
  Effect.gen(function* () {
    const configs = yield* Configs;
    const sync = yield* Sync;
    const all = yield* configs.list();
    const every = input.repository === undefined && input.platform === undefined && all.length > 1;
    const reporting = <A, E, R>(ids: readonly number[], effect: Effect.Effect<A, E, R>) =>
      withPassProgress(new Set(ids), progress, effect);
    if (input.force && !input.dry_run) {
      const chosen = every ? all : [yield* configs.resolve(input.repository, input.platform)];
      yield* Db.use((db) => db.transaction(Effect.forEach(chosen, (c) => unpark(c.config_id))));
    }
    if (every) {
      const results = yield* reporting(all.map((c) => c.config_id), sync.passAll({ dryRun: input.dry_run }));
      return {
        runs: results.map((r) => runOut(r.run)),
        ...(input.dry_run ? { plan: results.flatMap((r) => r.plan ?? []) } : {}),
      };
    }
    const cfg = yield* configs.resolve(input.repository, input.platform);
    const result = yield* reporting([cfg.config_id], sync.pass(cfg.config_id, { dryRun: input.dry_run }));
    const later = result.error === undefined || waitsForLaterPass(result.error);
    if (result.error !== undefined && !later && result.run.status === "failed" && result.run.pushed === 0) {
      return yield* Effect.fail(result.error);
    }
    if (input.dry_run) return { run: runOut(result.run), plan: [...(result.plan ?? [])] };
    return { run: runOut(result.run), ...passOutcome(result.run) };
  });
