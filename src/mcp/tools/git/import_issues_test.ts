import { createGitHubSandbox } from "../../../testing/github_sandbox.ts";
import { connectTestClient } from "../../../testing/mcp_client.ts";
import { assert, assertEquals } from "../../../testing/assert.ts";

const G = "orchestrator_git_integration";

async function setUp(now?: () => number) {
  const forge = await createGitHubSandbox(now === undefined ? {} : { now });
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
  });
  const configured = await client.call(G, {
    action: "configure",
    platform: "github",
    repository: forge.repository,
  });
  assert(!configured.isError, configured.text);
  return { forge, client };
}

Deno.test("import_issues into a repository with no links keeps the listing's cursor: the next pass is one 304", async () => {
  const { forge, client } = await setUp();
  try {
    await forge.seedIssues(250);
    const imported = await client.call(G, { action: "import_issues" });
    assertEquals(imported.structured.imported.created, 250);
    assert(imported.structured.imported.tasks.every((t: { links: unknown[] }) => t.links.length === 1));
    forge.log.reset();
    const pass = await client.call(G, { action: "sync_status" });
    assertEquals(pass.structured.run.requests, 1);
    assertEquals(forge.log.entries.map((e) => e.status), [304]);
    // A change after the import is still seen.
    const [first] = forge.issueNumbers();
    await forge.remoteEdit(first!, { title: "edited after the import" });
    const next = await client.call(G, { action: "sync_status" });
    assertEquals(next.structured.run.pulled, 1);
  } finally {
    await client.close();
    await forge.close();
  }
});

Deno.test("import_issues next to existing links keeps the cursor where it was, so nothing is skipped", async () => {
  let clock = Date.now() - 3_600_000;
  const { forge, client } = await setUp(() => clock);
  try {
    const [old] = await forge.seedIssues(1);
    const task = await client.call("orchestrator_task", { action: "create", title: "linked first" });
    const linked = await client.call(G, {
      action: "link_task",
      task_id: task.structured.task.task_id,
      issue_number: old,
    });
    assert(!linked.isError, linked.text);
    await forge.remoteEdit(old!, { title: "edited before the import" });
    // 150 issues changed later than that edit: a listing's last page would not hold it.
    for (let i = 0; i < 150; i++) {
      clock += 1_000;
      await forge.remoteCreate({ title: `later ${i}` });
    }
    const imported = await client.call(G, { action: "import_issues" });
    assertEquals(imported.structured.imported.created, 150);
    const pass = await client.call(G, { action: "sync_status" });
    assertEquals(pass.structured.run.pulled, 1, "the edit of the older link is pulled");
    const got = await client.call("orchestrator_task", {
      action: "get",
      task_id: task.structured.task.task_id,
    });
    assertEquals(got.structured.task.title, "edited before the import");
  } finally {
    await client.close();
    await forge.close();
  }
});
