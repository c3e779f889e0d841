/**
 * Truthful tool annotations and the read-only mode (issue 9, finding 8; SPEC §3, §5):
 * - a tool with an action that removes or overwrites something is annotated `destructiveHint: true`;
 * - with `FORGESYNC_READ_ONLY=true` every tool is annotated `readOnlyHint: true`, read actions
 *   work, every write action is refused with FORBIDDEN naming the variable (before anything is
 *   written, locally or on the forge), no background loop runs, and webhooks are refused.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { connectTestClient, DUMPED_TABLES, type TestClient } from "../../src/testing/mcp_client.ts";
import { quickSettings, SANDBOX_FACTORIES, sandboxEnv } from "../../src/testing/platforms.ts";
import { allTools } from "../../src/mcp/tools/mod.ts";
import { loadConfig } from "../../src/config.ts";
import { startBackgroundSync } from "../../src/app.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { webhookDelivery } from "../../src/testing/webhooks.ts";
import type { SandboxHarness } from "../../src/testing/harness.ts";
import { SYNC_TABLES } from "./sync_support.ts";

const T = "orchestrator_task";
const F = "orchestrator_feature";
const G = "orchestrator_git_integration";
const B = "orchestrator_project_board_manager";
const R = "orchestrator_release_coordinator";

/** Actions that remove or overwrite something a person made (not merely add). */
const DESTRUCTIVE: Record<string, readonly string[]> = {
  [T]: ["update", "archive"],
  [F]: ["update", "set_status"],
  [G]: ["configure", "update_issue", "unlink", "resolve_conflict", "sync_status"],
  [B]: ["move_card", "update_progress"],
  [R]: ["tag_release", "cancel_release"],
};

/** Calls that only read, in read-only mode (the rest of each tool's actions write). */
const READS: ReadonlyArray<[string, Record<string, unknown>]> = [
  [T, { action: "list" }],
  [T, { action: "get", task_id: "TASK" }],
  [F, { action: "list" }],
  [F, { action: "get", feature_id: "FEATURE" }],
  [G, { action: "status" }],
  [G, { action: "sync_status", dry_run: true }],
  [G, { action: "import_issues", dry_run: true }],
  [B, { action: "view" }],
  [R, { action: "status", release_version: "v1.0.0" }],
  [R, { action: "generate_changelog", release_version: "v1.0.0" }],
];

Deno.test("each tool with an action that removes or overwrites is annotated destructiveHint: true", () => {
  for (const tool of allTools) {
    const destructive = DESTRUCTIVE[tool.name]!;
    assert(destructive.every((a) => a in tool.actions), `${tool.name}: ${destructive}`);
    assertEquals(tool.annotations.destructiveHint, true, `${tool.name} has ${destructive.join(", ")}`);
    assertEquals(tool.annotations.readOnlyHint, false, tool.name);
  }
});

interface World {
  readonly h: SandboxHarness;
  readonly dbUrl: string;
  readonly env: Record<string, string>;
  readonly ids: { TASK: string; FEATURE: string };
}

/** A sandbox and a database with a configured repository, a feature, a task with an issue and a release. */
async function withWorld(f: (w: World) => Promise<void>): Promise<void> {
  const h = await SANDBOX_FACTORIES.github();
  const dir = await Deno.makeTempDir({ prefix: "forgesync_ro_" });
  const dbUrl = `file:${dir}/forgesync.db`;
  const env = sandboxEnv(h);
  try {
    const c = await connectTestClient(env, { dbUrl, settings: quickSettings() });
    let ids: World["ids"];
    try {
      const ok = async (tool: string, args: Record<string, unknown>) => {
        const r = await c.call(tool, args);
        if (r.isError) throw new Error(`${tool} ${args.action}: ${r.text}`);
        return r.structured;
      };
      await ok(G, { action: "configure", platform: "github", repository: h.repository });
      const { feature } = await ok(F, { action: "propose", title: "Dark mode", specification: "x" });
      await ok(F, { action: "approve", feature_id: feature.feature_id });
      await ok(G, { action: "create_issue", feature_id: feature.feature_id });
      const { task } = await ok(T, { action: "create", title: "Docs", feature_id: feature.feature_id });
      await ok(G, { action: "create_issue", task_id: task.task_id });
      await ok(R, {
        action: "plan_release",
        release_version: "v1.0.0",
        included_features: [feature.feature_id],
      });
      ids = { TASK: task.task_id, FEATURE: feature.feature_id };
    } finally {
      await c.close();
    }
    await f({ h, dbUrl, env, ids });
  } finally {
    await h.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function fill(args: Record<string, unknown>, ids: World["ids"]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, v === "TASK" ? ids.TASK : v === "FEATURE" ? ids.FEATURE : v]),
  );
}

const forgeWrites = (h: SandboxHarness) =>
  h.log.entries.filter((e) =>
    ["POST", "PUT", "PATCH", "DELETE"].includes(e.method) && !e.path.endsWith("/releases/generate-notes")
  ).length;

async function dumpAll(c: TestClient) {
  return await c.dump([
    ...new Set([...DUMPED_TABLES, ...SYNC_TABLES, "release_milestones", "webhook_deliveries"]),
  ]);
}

Deno.test("FORGESYNC_READ_ONLY=true: tools annotated read-only, reads work, every write is FORBIDDEN and nothing changes", () =>
  withWorld(async ({ h, dbUrl, env, ids }) => {
    const c = await connectTestClient({ ...env, FORGESYNC_READ_ONLY: "true" }, {
      dbUrl,
      settings: quickSettings(),
    });
    try {
      const { tools } = await c.client.listTools();
      assertEquals(tools.length, 5);
      for (const tool of tools) {
        assertEquals(tool.annotations?.readOnlyHint, true, tool.name);
        assertEquals(tool.annotations?.destructiveHint, false, tool.name);
      }
      const before = await dumpAll(c);
      const writesBefore = forgeWrites(h);
      for (const [tool, args] of READS) {
        const r = await c.call(tool, fill(args, ids));
        assert(r.structured?.error?.code !== "FORBIDDEN", `${tool} ${JSON.stringify(args)}: ${r.text}`);
        if (!(tool === B)) assert(!r.isError, `${tool} ${JSON.stringify(args)}: ${r.text}`);
      }
      const reads = new Set(READS.map(([tool, args]) => `${tool} ${args.action}`));
      for (const tool of allTools) {
        for (const action of Object.keys(tool.actions)) {
          if (reads.has(`${tool.name} ${action}`) && action !== "sync_status" && action !== "import_issues") {
            continue;
          }
          const r = await c.call(tool.name, { action });
          assert(r.isError, `${tool.name} ${action}: ${r.text}`);
          assertEquals(r.structured.error.code, "FORBIDDEN", `${tool.name} ${action}: ${r.text}`);
          assertStringIncludes(r.structured.error.message, action);
          assertStringIncludes(r.structured.error.hint, "FORGESYNC_READ_ONLY");
        }
      }
      // A write with valid parameters is refused just the same.
      const update = await c.call(T, { action: "update", task_id: ids.TASK, title: "Changed" });
      assertEquals(update.structured.error.code, "FORBIDDEN");
      assertEquals(await dumpAll(c), before, "nothing changed locally");
      assertEquals(forgeWrites(h), writesBefore, "nothing was written to the forge");
    } finally {
      await c.close();
    }
  }));

Deno.test("FORGESYNC_READ_ONLY=true: no background sync and no webhook deliveries", () =>
  withWorld(async ({ h, dbUrl, env }) => {
    const readOnlyEnv = {
      ...env,
      FORGESYNC_READ_ONLY: "true",
      FORGESYNC_SYNC_INTERVAL: "1",
      HOOK_SECRET: "hook-secret-value-123",
    };
    const c = await connectTestClient(readOnlyEnv, { dbUrl, settings: quickSettings() });
    const http = createHttpApp(c.runtime);
    try {
      const requestsBefore = h.log.entries.length;
      startBackgroundSync(c.runtime, loadConfig({ ...readOnlyEnv, FORGESYNC_DB_URL: dbUrl }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assertEquals(h.log.entries.length, requestsBefore, "the background loop did not run");
      const d = await webhookDelivery("github", {
        secret: "hook-secret-value-123",
        repository: h.repository,
        issue: 1,
      });
      const answer = await http.app.fetch(
        new Request("http://127.0.0.1:8787/webhooks/github", {
          method: "POST",
          headers: d.headers,
          body: d.body,
        }),
      );
      const text = await answer.text();
      assertEquals(answer.status, 403, text);
      assertStringIncludes(text, "FORGESYNC_READ_ONLY");
      assertEquals((await c.dump(["webhook_deliveries"])).webhook_deliveries, []);
    } finally {
      await http.close();
      await c.close();
    }
  }));
