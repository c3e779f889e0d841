/**
 * `forgesync status [--json]`: the local state — tasks and features, and every configured repository
 * (links by sync status, queued writes, open conflicts, the last runs and the last rate-limit budget
 * seen). Repositories are listed whether the Git integration is on or off; when it is off the command
 * says they are not synced and how to turn it on. Local only: no request is sent.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppConfig } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { countFeatures } from "../store/features.ts";
import { countLiveTasks } from "../store/tasks.ts";
import { repositoryStatus } from "../issues/service.ts";
import type { CommandSpec, OptionValues } from "./args.ts";

/** How to turn the integration on, as status and sync say it. */
export const ENABLE_HINT =
  "Set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to turn the Git integration on: export it " +
  "in this shell for deno task sync/status/import, and put it in the env of your MCP client's configuration " +
  "(deno task init prints one).";

/** The `status` command's options and help. */
export const STATUS_COMMAND: CommandSpec = {
  name: "status",
  summary:
    "the local state: tasks, features, and each configured repository's links, queued writes and conflicts",
  description:
    "Reads the local database only. Configured repositories are listed even while the Git integration\n" +
    "is off (MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION unset), with how to turn it on.",
  options: [{ name: "json", type: "boolean", description: "print the report as JSON on stdout" }],
  examples: ["deno task status", "deno task status --json"],
};

/** Runs the status command with its parsed options; returns the exit code. */
export async function runStatus(config: AppConfig, values: OptionValues): Promise<number> {
  const runtime = await makeRuntime(config);
  try {
    const report = await runtime.runPromise(Effect.gen(function* () {
      const db = yield* Db;
      const configs = yield* Configs.use((c) => c.list());
      const repositories = yield* Effect.forEach(configs, (c) => repositoryStatus(c));
      const enabled = config.tier !== "disabled";
      return {
        integration: enabled ? "on" as const : "off" as const,
        tier: config.tier,
        database: config.dbUrl,
        tasks: yield* db.reading(countLiveTasks),
        features: yield* db.reading(countFeatures),
        repositories,
        ...(enabled ? {} : { how_to_enable: ENABLE_HINT }),
      };
    }));
    if (values.json === true) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    const enabled = report.integration === "on";
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    console.log(
      `forgesync — database ${report.database}, Git integration: ${
        enabled ? `on (tier ${report.tier})` : "off"
      }`,
    );
    console.log(`  ${plural(report.tasks, "task")}, ${plural(report.features, "feature")}`);
    if (report.repositories.length === 0) {
      console.log(
        '  No repository configured: run deno task init, or call orchestrator_git_integration {action:"configure"}.',
      );
    } else if (!enabled) {
      console.log(
        `  ${
          plural(report.repositories.length, "repository")
        } configured, not synced while the integration is off.`,
      );
    }
    for (const r of report.repositories) {
      const last = r.last_runs[0];
      console.log(
        `\n${r.config.platform}:${r.config.repository}${
          r.config.auto_sync_enabled ? "" : " (auto sync off)"
        }`,
      );
      console.log(`  links: ${r.links.synced} synced, ${r.links.pending} pending, ${r.links.failed} failed`);
      console.log(
        `  queued writes: ${r.outbox.pending} pending, ${r.outbox.parked} parked (refused by the forge)`,
      );
      console.log(`  open conflicts: ${r.open_conflict_count}`);
      console.log(`  last pass: ${last ? `${last.operation_status} at ${last.finished_at}` : "never"}`);
      const budget = r.rate_limit;
      if (budget !== null) {
        console.log(`  rate-limit budget: ${budget.remaining}/${budget.limit}`);
      }
    }
    if (!enabled) console.log(`\n${ENABLE_HINT}`);
    return 0;
  } finally {
    await runtime.dispose();
  }
}
