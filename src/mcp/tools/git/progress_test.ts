/**
 * MCP progress notifications of import_issues and sync_status, through the real SDK client: the
 * total comes with the last notification only, so 100% means done.
 */
import { createGitHubSandbox } from "../../../testing/github_sandbox.ts";
import { connectTestClient, type TestClient } from "../../../testing/mcp_client.ts";
import { assert, assertEquals, assertMatch } from "../../../testing/assert.ts";

const G = "orchestrator_git_integration";

interface Progress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

async function withForge(
  f: (client: TestClient, forge: Awaited<ReturnType<typeof createGitHubSandbox>>) => Promise<void>,
) {
  const forge = await createGitHubSandbox();
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
  });
  try {
    const configured = await client.call(G, {
      action: "configure",
      platform: "github",
      repository: forge.repository,
    });
    assert(!configured.isError, configured.text);
    await f(client, forge);
  } finally {
    await client.close();
    await forge.close();
  }
}

async function callWithProgress(client: TestClient, args: Record<string, unknown>) {
  const seen: Progress[] = [];
  const result = await client.client.callTool({ name: G, arguments: args }, undefined, {
    onprogress: (p: Progress) => seen.push(p),
  });
  assertEquals(result.isError ?? false, false, JSON.stringify(result.structuredContent));
  return { seen, result: result.structuredContent as Record<string, unknown> };
}

function assertGrowingToTheEnd(seen: readonly Progress[]) {
  assert(seen.length >= 2, `several notifications: ${JSON.stringify(seen)}`);
  for (let i = 1; i < seen.length; i++) assert(seen[i]!.progress > seen[i - 1]!.progress, "progress grows");
  const last = seen.at(-1)!;
  assertEquals(last.total, last.progress, "the last notification is 100%");
  for (const p of seen.slice(0, -1)) {
    assert(p.total === undefined || p.progress < p.total, `not 100% before the end: ${JSON.stringify(p)}`);
  }
}

Deno.test("import_issues over three pages reaches 100% only with its last notification", () =>
  withForge(async (client, forge) => {
    await forge.seedIssues(250);
    const { seen, result } = await callWithProgress(client, { action: "import_issues" });
    assertEquals((result.imported as { created: number }).created, 250);
    assertGrowingToTheEnd(seen);
    assertEquals(
      seen.filter((p) => /^page \d+ listed/.test(p.message ?? "")).length,
      3,
      JSON.stringify(seen),
    );
    assertEquals(seen.at(-1)!.message, "250 tasks created");
  }));

Deno.test("sync_status reports each page pulled and each write sent, then 100% when the pass is done", () =>
  withForge(async (client, forge) => {
    await forge.seedIssues(150);
    const imported = await client.call(G, { action: "import_issues" });
    assert(!imported.isError, imported.text);
    for (const n of forge.issueNumbers().slice(0, 120)) await forge.remoteEdit(n, { title: `edited ${n}` });
    const tasks = imported.structured.imported.tasks as Array<{ task_id: string }>;
    for (const t of tasks.slice(0, 2)) {
      const updated = await client.call("orchestrator_task", {
        action: "update",
        task_id: t.task_id,
        title: "local edit",
      });
      assert(!updated.isError, updated.text);
    }
    const { seen } = await callWithProgress(client, { action: "sync_status" });
    assertGrowingToTheEnd(seen);
    const messages = seen.map((p) => p.message ?? "");
    const where = `github:${forge.repository}`;
    assertEquals(messages.filter((m) => m.startsWith(`${where}: page`)).length, 2, messages.join("\n"));
    assertEquals(messages.filter((m) => /write \d+ of \d+ sent$/.test(m)).length, 2, messages.join("\n"));
    assertMatch(messages.at(-2)!, new RegExp(`^${where}: pass (completed|failed) — pulled`));
    assertEquals(messages.at(-1), "pass done");
  }));

Deno.test("sync_status without a progress token sends no progress notification", () =>
  withForge(async (client) => {
    let notified = 0;
    client.client.setNotificationHandler(
      (await import("@modelcontextprotocol/sdk/types.js")).ProgressNotificationSchema,
      () => void notified++,
    );
    const result = await client.call(G, { action: "sync_status" });
    assert(!result.isError, result.text);
    assertEquals(notified, 0);
  }));
