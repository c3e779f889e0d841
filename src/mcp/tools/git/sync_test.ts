import { Layer } from "effect";
import { assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import { connectTestClient } from "../../../testing/mcp_client.ts";
import { createGitHubSandbox } from "../../../testing/github_sandbox.ts";
import { ForgeSettings } from "../../../forges/forges.ts";
import type { RunSummary } from "../../../sync/run_summary.ts";
import { passOutcome } from "../../../issues/sync_now.ts";
import { openSession, PLATFORMS } from "../../../../tests/integration/sync_support.ts";

const run = (over: Partial<RunSummary>): RunSummary => ({
  repository: "acme/widgets",
  platform: "github",
  status: "completed",
  pulled: 0,
  pushed: 0,
  created: 0,
  conflicts: 0,
  failed: 0,
  pending: 0,
  requests: 1,
  duration_ms: 1,
  errors: [],
  dry_run: false,
  ...over,
});

Deno.test("passOutcome() reports a clean pass as synced", () => {
  assertEquals(passOutcome(run({})), { sync_status: "synced" });
});

Deno.test("passOutcome() reports a pass that met the forge down as pending, with the reason", () => {
  const out = passOutcome(run({ status: "failed", errors: ["pull: GitHub answered 503."] }));
  assertEquals(out.sync_status, "pending");
  assertStringIncludes(out.reason!, "GitHub answered 503.");
  assertStringIncludes(out.reason!, "queued");
});

Deno.test("passOutcome() reports a write refused for good as failed", () => {
  const out = passOutcome(
    run({ status: "failed", failed: 1, errors: ["update for link 1: title too long"] }),
  );
  assertEquals(out, { sync_status: "failed", reason: "update for link 1: title too long" });
});

Deno.test("passOutcome() reports a pass kept out by another process as pending", () => {
  const out = passOutcome(run({ status: "busy" }));
  assertEquals(out.sync_status, "pending");
});

Deno.test("resolve_conflict with the forge down keeps the resolution queued; the next pass sends it", async () => {
  const gh = await createGitHubSandbox();
  const c = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_TOKEN: gh.token,
  }, {
    settings: Layer.succeed(ForgeSettings, {
      policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 0 },
      timeoutMs: 2000,
      fetch: (input, init) => fetch(input, init),
    }),
  });
  // deno-lint-ignore no-explicit-any
  const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
    const r = await c.call(tool, args);
    if (r.isError) throw new Error(r.text);
    return r.structured;
  };
  const G = "orchestrator_git_integration";
  try {
    await ok(G, {
      action: "configure",
      platform: "github",
      repository: gh.repository,
      conflict_policy: "manual",
    });
    const { task } = await ok("orchestrator_task", { action: "create", title: "Base" });
    const { link } = await ok(G, { action: "create_issue", task_id: task.task_id });
    await ok("orchestrator_task", { action: "update", task_id: task.task_id, title: "Local" });
    await gh.remoteEdit(link.issue_number, { title: "Remote" });
    await ok(G, { action: "sync_status" });
    const [conflict] = (await ok(G, { action: "status" })).repositories[0].open_conflicts;

    gh.faults.add({ kind: "status", status: 503, times: 100 });
    const resolved = await ok(G, {
      action: "resolve_conflict",
      conflict_id: conflict.conflict_id,
      resolution: "local",
    });
    assertEquals([resolved.conflict.status, resolved.sync_status], ["resolved", "pending"]);
    assertEquals(gh.readIssue(link.issue_number)!.title, "Remote");

    gh.faults.clear();
    await ok(G, { action: "sync_status" });
    assertEquals(gh.readIssue(link.issue_number)!.title, "Local");
    assertEquals(
      (await ok("orchestrator_task", { action: "get", task_id: task.task_id })).task.title,
      "Local",
    );
    const after = (await ok(G, { action: "status" })).repositories[0];
    assertEquals([after.open_conflicts, after.outbox], [[], { pending: 0, parked: 0 }]);
  } finally {
    await c.close();
    await gh.close();
  }
});

Deno.test("status shows the newest open conflicts with their count, and a cursor pages through the rest", async () => {
  const s = await openSession(PLATFORMS[0]!);
  try {
    const numbers = await s.h.seedIssues(45);
    await s.configure({ conflict_policy: "manual" });
    await s.git({ action: "import_issues" });
    await s.git({ action: "sync_status" });
    const { tasks } = await s.task({ action: "list", limit: 100 });
    for (const t of tasks) await s.task({ action: "update", task_id: t.task_id, title: `${t.title} (here)` });
    for (const n of numbers) await s.h.remoteEdit(n, { title: `Seeded issue ${n} (there)` });
    assertEquals((await s.git({ action: "sync_status" })).run.conflicts, 45);

    const seen: number[] = [];
    let cursor: string | null = null;
    for (const expected of [20, 20, 5]) {
      const { repositories } = await s.git({
        action: "status",
        repository: s.h.repository,
        ...(cursor === null ? {} : { cursor }),
      });
      const [repo] = repositories;
      assertEquals([repo.open_conflict_count, repo.open_conflicts.length], [45, expected]);
      seen.push(...repo.open_conflicts.map((c: { conflict_id: number }) => c.conflict_id));
      cursor = repo.conflicts_next_cursor;
    }
    assertEquals(cursor, null);
    assertEquals(seen, [...seen].sort((a, b) => b - a), "newest first");
    assertEquals(new Set(seen).size, 45, "every conflict once");
    const bad = await s.call("orchestrator_git_integration", { action: "status", cursor: "bm9wZQ" });
    assertEquals(bad.structured.error.code, "VALIDATION_ERROR");
  } finally {
    await s.close();
  }
});
