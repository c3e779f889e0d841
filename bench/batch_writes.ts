/**
 * Batched writes (SPEC §11 "batch APIs where the forge has them", issue 12 findings 3 and 4): the
 * HTTP requests `plan_release` costs for 500 linked issues on GitHub (first call, and an immediate
 * second one) and on GitLab, and what boards cost on GitHub and GitLab — adding 500 items one
 * `add_to_board` at a time, then `update_progress` after 100 local status changes on that 500-card board. Every
 * figure is a request count on the sandbox, printed beside its target.
 *
 * @module
 */
import { createGitHubSandbox } from "../src/testing/github_sandbox.ts";
import { createGitLabSandbox } from "../src/testing/gitlab_sandbox.ts";
import type { SandboxHarness } from "../src/testing/harness.ts";
import { connectTestClient, type TestClient } from "../src/testing/mcp_client.ts";
import type { RequestLog } from "../src/testing/sandbox.ts";
import { sandboxEnv } from "../src/testing/platforms.ts";
import type { BenchRow } from "./row.ts";

/** One row of the benchmark table (as bench/run.ts prints it). */
/** Issues (and cards) per scenario. */
const ISSUES = 500;
/** Local status changes before update_progress. */
const CHANGES = 100;

// deno-lint-ignore no-explicit-any
type Json = any;

async function client(harness: SandboxHarness): Promise<TestClient> {
  return await connectTestClient({
    ...sandboxEnv(harness),
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: "full",
    FORGESYNC_LOG_LEVEL: "error",
  });
}

async function ok(c: TestClient, tool: string, args: Record<string, unknown>): Promise<Json> {
  const r = await c.call(tool, args);
  if (r.isError) throw new Error(`${tool} ${String(args.action)}: ${r.text}`);
  return r.structured;
}

/**
 * Configures the sandbox's repository and imports its issues as tasks (of a new feature titled
 * `feature`, if given). Returns the feature's id (if any) and every task's id.
 */
async function setUp(
  c: TestClient,
  harness: SandboxHarness,
  feature?: string,
): Promise<{ featureId: string | undefined; taskIds: string[] }> {
  await ok(c, "orchestrator_git_integration", {
    action: "configure",
    platform: harness.platform,
    repository: harness.repository,
  });
  let featureId: string | undefined;
  if (feature !== undefined) {
    const proposed = await ok(c, "orchestrator_feature", { action: "propose", title: feature });
    featureId = proposed.feature.feature_id as string;
    await ok(c, "orchestrator_feature", { action: "approve", feature_id: featureId });
  }
  await ok(c, "orchestrator_git_integration", {
    action: "import_issues",
    ...(featureId === undefined ? {} : { feature_id: featureId }),
  });
  const taskIds: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await ok(c, "orchestrator_task", {
      action: "list",
      limit: 200,
      ...(cursor === null ? {} : { cursor }),
    });
    taskIds.push(...page.tasks.map((t: Json) => t.task_id as string));
    cursor = page.next_cursor ?? null;
  } while (cursor !== null);
  return { featureId, taskIds };
}

/** Requests logged while `f` runs. */
async function counted<A>(log: RequestLog, f: () => Promise<A>): Promise<{ result: A; requests: number }> {
  const before = log.entries.length;
  const result = await f();
  return { result, requests: log.entries.length - before };
}

async function planRelease(platform: "github" | "gitlab", log: (m: string) => void): Promise<BenchRow[]> {
  log(`plan_release of ${ISSUES} linked issues on ${platform}`);
  const harness = platform === "github"
    ? await createGitHubSandbox({ budget: 1_000_000, graphqlBudget: 1_000_000, pullRequests: 0 })
    : await createGitLabSandbox({ rateLimit: 1_000_000 });
  const c = await client(harness);
  try {
    await harness.seedIssues(ISSUES);
    const { featureId } = await setUp(c, harness, "Release 500");
    const plan = { action: "plan_release", release_version: "v5.0.0", included_features: [featureId] };
    const first = await counted(harness.log, () => ok(c, "orchestrator_release_coordinator", plan));
    const assigned = first.result.issues.filter((i: Json) => i.assigned).length;
    if (first.result.sync_status !== "synced" || assigned !== ISSUES) {
      throw new Error(
        `plan_release on ${platform} did not assign every issue: ${JSON.stringify(first.result)}`,
      );
    }
    const second = await counted(harness.log, () => ok(c, "orchestrator_release_coordinator", plan));
    if (platform === "gitlab") {
      return [{
        scenario: `plan_release, ${ISSUES} linked issues (GitLab)`,
        measured: `${first.requests} requests (second call: ${second.requests})`,
        target: "≤ 510 requests (one per issue at most)",
        ok: first.requests <= 510,
        requests: `${first.requests}`,
        values: { issues: ISSUES, first_call: first.requests, second_call: second.requests },
      }];
    }
    return [{
      scenario: `plan_release, ${ISSUES} linked issues (GitHub, first call)`,
      measured: `${first.requests} requests`,
      target: "≤ 60 requests",
      ok: first.requests <= 60,
      requests: `${first.requests}`,
      values: { issues: ISSUES, requests: first.requests },
    }, {
      scenario: `plan_release, ${ISSUES} linked issues (GitHub, second call)`,
      measured: `${second.requests} requests`,
      target: "≤ 10 requests",
      ok: second.requests <= 10,
      requests: `${second.requests}`,
      values: { issues: ISSUES, requests: second.requests },
    }];
  } finally {
    await c.close();
    await harness.close();
  }
}

async function boards(platform: "github" | "gitlab", log: (m: string) => void): Promise<BenchRow[]> {
  const name = platform === "github" ? "GitHub" : "GitLab";
  log(`a ${ISSUES}-card ${name} board: adding the cards, then update_progress after ${CHANGES} changes`);
  const gh = platform === "github"
    ? await createGitHubSandbox({ budget: 1_000_000, graphqlBudget: 1_000_000, pullRequests: 0 })
    : await createGitLabSandbox({ rateLimit: 1_000_000 });
  const c = await client(gh);
  try {
    await gh.seedIssues(ISSUES, (i) => ({ title: `Card ${i}`, status: "open" }));
    const { taskIds: tasks } = await setUp(c, gh);
    const added = await counted(gh.log, async () => {
      await ok(c, "orchestrator_project_board_manager", {
        action: "create_board",
        board_type: "sprint_board",
      });
      for (const t of tasks) {
        const r = await ok(c, "orchestrator_project_board_manager", { action: "add_to_board", task_id: t });
        if (r.sync_status !== "synced") throw new Error(`add_to_board ${t}: ${JSON.stringify(r)}`);
      }
    });
    for (const t of tasks.slice(0, CHANGES)) {
      await ok(c, "orchestrator_task", { action: "update", task_id: t, status: "in_progress" });
    }
    const pushed = await counted(
      gh.log,
      () => ok(c, "orchestrator_project_board_manager", { action: "update_progress" }),
    );
    if (pushed.result.moved.length !== CHANGES || pushed.result.sync_status !== "synced") {
      throw new Error(
        `update_progress moved ${pushed.result.moved.length} cards: ${
          JSON.stringify(pushed.result).slice(0, 500)
        }`,
      );
    }
    if (platform === "gitlab") {
      // GitLab's REST API has no batch write for issues: a card is its issue's column label, one
      // request per card added or moved is the floor.
      return [{
        scenario: `create_board + add_to_board × ${tasks.length} (GitLab)`,
        measured: `${added.requests} requests (${(added.requests / tasks.length).toFixed(2)} per card)`,
        target: "≤ 2 requests per card (no batch API)",
        ok: added.requests <= 2 * tasks.length,
        requests: `${added.requests}`,
        values: { cards: tasks.length, requests: added.requests },
      }, {
        scenario: `update_progress, ${CHANGES} changes on a ${tasks.length}-card board (GitLab)`,
        measured: `${pushed.requests} requests`,
        target: `≤ ${CHANGES + 10} requests (one per card moved)`,
        ok: pushed.requests <= CHANGES + 10,
        requests: `${pushed.requests}`,
        values: { cards: tasks.length, changes: CHANGES, requests: pushed.requests },
      }];
    }
    return [{
      scenario: `create_board + add_to_board × ${tasks.length} (GitHub)`,
      measured: `${added.requests} requests (${(added.requests / tasks.length).toFixed(2)} per card)`,
      target: "≤ 1,100 requests in total",
      ok: added.requests <= 1_100,
      requests: `${added.requests}`,
      values: { cards: tasks.length, requests: added.requests },
    }, {
      scenario: `update_progress, ${CHANGES} changes on a ${tasks.length}-card board (GitHub)`,
      measured: `${pushed.requests} requests`,
      target: "≤ 20 requests",
      ok: pushed.requests <= 20,
      requests: `${pushed.requests}`,
      values: { cards: tasks.length, changes: CHANGES, requests: pushed.requests },
    }];
  } finally {
    await c.close();
    await gh.close();
  }
}

/** Runs the batched-write scenarios and returns their rows. */
export async function batchWritesBenchmark(log: (message: string) => void): Promise<BenchRow[]> {
  return [
    ...await planRelease("github", log),
    ...await planRelease("gitlab", log),
    ...await boards("github", log),
    ...await boards("gitlab", log),
  ];
}

if (import.meta.main) {
  for (const row of await batchWritesBenchmark((m) => console.error(`… ${m}`))) {
    console.log(`${row.scenario}: ${row.measured} (target ${row.target}) ${row.ok ? "✓" : "✗"}`);
  }
}
