/**
 * Focused test of sending creates: an issue found again by its marker after a lost answer takes
 * the draft as its merge base, so edits made on the forge in between are pulled, not swallowed.
 */
import { Layer } from "effect";
import { assertEquals } from "../testing/assert.ts";
import { connectTestClient } from "../testing/mcp_client.ts";
import { createGitHubSandbox } from "../testing/github_sandbox.ts";
import { ForgeSettings } from "./forges.ts";

Deno.test("a create whose answer was lost, edited on the forge before it was found again, is pulled", async () => {
  const gh = await createGitHubSandbox();
  let lose = true;
  // The create lands, a person renames the new issue, and the answer never arrives.
  const lossy: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    if (lose && request.method === "POST" && new URL(request.url).pathname.endsWith("/issues")) {
      lose = false;
      const created = await response.json() as { number: number };
      await gh.remoteEdit(created.number, { title: "Renamed on the forge" });
      throw new TypeError("connection reset by peer");
    }
    return response;
  };
  const c = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_TOKEN: gh.token,
  }, {
    settings: Layer.succeed(ForgeSettings, {
      policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 0 },
      timeoutMs: 2000,
      fetch: lossy,
    }),
  });
  // deno-lint-ignore no-explicit-any
  const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
    const r = await c.call(tool, args);
    if (r.isError) throw new Error(r.text);
    return r.structured;
  };
  try {
    const G = "orchestrator_git_integration";
    await ok(G, { action: "configure", platform: "github", repository: gh.repository });
    const { task } = await ok("orchestrator_task", { action: "create", title: "Original" });
    const created = await ok(G, { action: "create_issue", task_id: task.task_id });
    assertEquals(created.sync_status, "synced");
    assertEquals(gh.issueNumbers().filter((n) => gh.readIssue(n)!.body.includes(task.task_id)).length, 1);
    const { run } = await ok(G, { action: "sync_status" });
    assertEquals(run.pulled, 1);
    assertEquals(
      (await ok("orchestrator_task", { action: "get", task_id: task.task_id })).task.title,
      "Renamed on the forge",
    );
    assertEquals(gh.readIssue(created.link.issue_number)!.title, "Renamed on the forge");
  } finally {
    await c.close();
    await gh.close();
  }
});
