/**
 * `forgesync sync [--repo owner/repo] [--platform github] [--watch] [--dry-run]`: one reconciliation
 * pass over every configured repository (or one), progress on stderr, a summary on stdout, exit
 * code 1 when any pass failed. `--watch` keeps passing every FORGESYNC_SYNC_INTERVAL seconds.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppConfig } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { Configs } from "../store/configs.ts";
import { Sync } from "../sync/service.ts";
import type { PassResult } from "../sync/reconcile.ts";
import { AppError } from "../domain/errors.ts";
import { log } from "../log.ts";

/** Parsed options of the sync command. */
export interface SyncArgs {
  readonly repo?: string;
  readonly platform?: string;
  readonly watch: boolean;
  readonly dryRun: boolean;
}

/** Parses `sync` arguments; throws an AppError naming an unknown flag. */
export function parseSyncArgs(args: readonly string[]): SyncArgs {
  let repo: string | undefined;
  let platform: string | undefined;
  let watch = false;
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [
        arg,
        undefined,
      ];
    const value = () => inline ?? args[++i];
    if (flag === "--repo" || flag === "--repository") repo = value();
    else if (flag === "--platform") platform = value();
    else if (flag === "--watch") watch = true;
    else if (flag === "--dry-run") dryRun = true;
    else {
      throw AppError.validation(
        `Unknown option "${arg}".`,
        "Use: sync [--repo owner/repo] [--platform github|gitlab|bitbucket] [--watch] [--dry-run]",
      );
    }
  }
  return { repo, platform, watch, dryRun };
}

function line(result: PassResult): string {
  const r = result.run;
  return `${r.platform}:${r.repository} ${r.status}${
    r.dry_run ? " (dry run)" : ""
  } — pulled ${r.pulled}, pushed ${r.pushed}, ` +
    `created ${r.created}, conflicts ${r.conflicts}, failed ${r.failed}, pending ${r.pending}, ` +
    `${r.requests} request(s), ${r.duration_ms} ms` +
    (r.errors.length > 0 ? `\n  ${r.errors.join("\n  ")}` : "");
}

/** Runs the sync command; returns the exit code. */
export async function runSync(config: AppConfig, args: readonly string[]): Promise<number> {
  const options = parseSyncArgs(args);
  if (config.tier === "disabled") {
    log.error("The Git integration is disabled: set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to sync.");
    return 2;
  }
  if (config.readOnly && !options.dryRun) {
    log.error(
      "FORGESYNC_READ_ONLY=true: a pass writes to the database and to the forges. Run sync --dry-run to see " +
        "the plan, or unset FORGESYNC_READ_ONLY.",
    );
    return 2;
  }
  const runtime = await makeRuntime(config);
  try {
    while (true) {
      const exit = await runtime.runPromiseExit(Effect.gen(function* () {
        const sync = yield* Sync;
        if (options.repo === undefined && options.platform === undefined) {
          return yield* sync.passAll({ dryRun: options.dryRun });
        }
        const cfg = yield* Configs.use((c) => c.resolve(options.repo, options.platform));
        return [yield* sync.pass(cfg.config_id, { dryRun: options.dryRun })];
      }));
      if (exit._tag === "Failure") {
        const error = exit.cause.reasons.find((r) => r._tag === "Fail");
        const e = error?._tag === "Fail" ? error.error : undefined;
        log.error(e instanceof AppError ? `${e.message} ${e.hint}` : "The sync failed; see the log above.");
        if (!options.watch) return 1;
      } else {
        if (exit.value.length === 0) log.warn("No repository is configured: nothing to sync.");
        for (const result of exit.value) console.log(line(result));
        const failed = exit.value.some((r) => r.run.status !== "completed");
        if (!options.watch) return failed ? 1 : 0;
      }
      log.info(`next pass in ${config.syncIntervalSeconds} s`);
      await new Promise((resolve) => setTimeout(resolve, config.syncIntervalSeconds * 1000));
    }
  } finally {
    await runtime.dispose();
  }
}
