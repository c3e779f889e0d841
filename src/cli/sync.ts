/**
 * `forgesync sync [--repo owner/repo] [--platform github] [--watch] [--dry-run]`: one reconciliation
 * pass over every configured repository (or one), progress on stderr when it is a terminal (pages
 * pulled, writes sent), a summary on stdout, exit code 1 when any pass failed. `--watch` keeps passing
 * every FORGESYNC_SYNC_INTERVAL seconds.
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
import { Db } from "../store/db.ts";
import { describePassEvent, onPassEvents } from "../sync/pass_events.ts";
import { type CommandSpec, type OptionValues, stringOf } from "./args.ts";
import { PROGRESS_OPTIONS, progressLine, progressMode, terminalWidth } from "./progress.ts";

/** The `sync` command's options and help. */
export const SYNC_COMMAND: CommandSpec = {
  name: "sync",
  summary: "one reconciliation pass over every configured repository (or one)",
  description:
    "Pulls what changed on the forge, merges it with local changes and sends queued writes. A summary\n" +
    "line per repository goes to stdout; progress (pages pulled, writes sent) to stderr on a terminal.\n" +
    "Exits 1 when a pass failed, 2 when the Git integration is off (MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true\n" +
    "turns it on).",
  options: [
    {
      name: "repo",
      aliases: ["repository"],
      type: "string",
      value: "owner/repo",
      description: "only this repository (needed with --platform when two platforms share a name)",
    },
    { name: "platform", type: "string", value: "github|gitlab|bitbucket", description: "only this platform" },
    { name: "watch", type: "boolean", description: "keep passing every FORGESYNC_SYNC_INTERVAL seconds" },
    {
      name: "dry-run",
      type: "boolean",
      description: "show the plan; write nothing, locally or to the forge",
    },
    ...PROGRESS_OPTIONS,
  ],
  examples: ["deno task sync", "deno task sync --repo acme/widgets --dry-run", "deno task sync --watch"],
};

function line(result: PassResult): string {
  const r = result.run;
  return `${r.platform}:${r.repository} ${r.status}${
    r.dry_run ? " (dry run)" : ""
  } — pulled ${r.pulled}, pushed ${r.pushed}, ` +
    `created ${r.created}, conflicts ${r.conflicts}, failed ${r.failed}, pending ${r.pending}, ` +
    `${r.requests} request(s), ${r.duration_ms} ms` +
    (r.errors.length > 0 ? `\n  ${r.errors.join("\n  ")}` : "");
}

/** Runs the sync command with its parsed options; returns the exit code. */
export async function runSync(
  config: AppConfig,
  values: OptionValues,
  stderrIsTerminal: boolean = Deno.stderr.isTerminal(),
): Promise<number> {
  const options = {
    repo: stringOf(values, "repo"),
    platform: stringOf(values, "platform"),
    watch: values.watch === true,
    dryRun: values["dry-run"] === true,
  };
  if (config.tier === "disabled") {
    log.error(
      "The Git integration is off, so there is nothing to sync: export MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true " +
        "(and the token variable of each repository) in this shell, then run sync again. " +
        "deno task status lists the configured repositories.",
    );
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
  const progress = progressLine(progressMode(values, stderrIsTerminal), undefined, terminalWidth());
  const db = await runtime.runPromise(Db.use(Effect.succeed));
  const stop = onPassEvents(db, (event) => progress.show(describePassEvent(event)));
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
      progress.end();
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
    stop();
    progress.end();
    await runtime.dispose();
  }
}
