/**
 * `forgesync status [--json]`: the local state of every configured repository — links by sync
 * status, queued writes, open conflicts, the last runs and the last rate-limit budget seen. Local
 * only: no request is sent.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppConfig } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { Configs } from "../store/configs.ts";
import { Tasks } from "../store/tasks.ts";
import { Features } from "../store/features.ts";
import { repositoryStatus } from "../mcp/tools/git/sync.ts";

/** Runs the status command; returns the exit code. */
export async function runStatus(config: AppConfig, args: readonly string[]): Promise<number> {
  const json = args.includes("--json");
  const runtime = await makeRuntime(config);
  try {
    const report = await runtime.runPromise(Effect.gen(function* () {
      const tasks = yield* Tasks.use((t) => t.list({ limit: 200, include_archived: true }));
      const features = yield* Features.use((f) => f.list({ limit: 200 }));
      const configs = yield* Configs.use((c) => c.list());
      const repositories = config.tier === "disabled"
        ? []
        : yield* Effect.forEach(configs, (c) => repositoryStatus(c));
      return {
        tier: config.tier,
        database: config.dbUrl,
        tasks: tasks.tasks.length,
        features: features.features.length,
        repositories,
      };
    }));
    if (json) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    const more = (n: number) => (n >= 200 ? "200+" : String(n));
    console.log(`forgesync — database ${report.database}, Git integration tier: ${report.tier}`);
    console.log(`  ${more(report.tasks)} tasks, ${more(report.features)} features`);
    if (report.tier === "disabled") {
      console.log(
        "  Set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to link them to GitHub, GitLab or Bitbucket issues.",
      );
    } else if (report.repositories.length === 0) {
      console.log(
        '  No repository configured: call orchestrator_git_integration {action:"configure"} (or run init).',
      );
    }
    for (const r of report.repositories) {
      const last = r.last_runs[0] as { operation_status?: string; finished_at?: string } | undefined;
      console.log(
        `\n${r.config.platform}:${r.config.repository}${
          r.config.auto_sync_enabled ? "" : " (auto sync off)"
        }`,
      );
      console.log(`  links: ${r.links.synced} synced, ${r.links.pending} pending, ${r.links.failed} failed`);
      console.log(
        `  queued writes: ${r.outbox.pending} pending, ${r.outbox.parked} parked (refused by the forge)`,
      );
      console.log(`  open conflicts: ${r.open_conflicts.length}`);
      console.log(`  last pass: ${last ? `${last.operation_status} at ${last.finished_at}` : "never"}`);
      const budget = r.rate_limit as { remaining?: number; limit?: number } | null;
      if (budget?.limit !== undefined) {
        console.log(`  rate-limit budget: ${budget.remaining}/${budget.limit}`);
      }
    }
    return 0;
  } finally {
    await runtime.dispose();
  }
}
