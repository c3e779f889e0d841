/**
 * Focused tests of sending creates: an issue found again by its marker after a lost answer takes
 * the draft as its merge base, so edits made on the forge in between are pulled, not swallowed; a
 * create whose request got no answer is not looked for (nor sent) again until that request has
 * surely ended, so a forge still working on it cannot end up with two issues.
 */
import { Layer } from "effect";
import { assertEquals } from "../testing/assert.ts";
import { connectTestClient } from "../testing/mcp_client.ts";
import { createGitHubSandbox } from "../testing/github_sandbox.ts";
import { ForgeSettings } from "../forges/forges.ts";
import { Db } from "../store/db.ts";

Deno.test("a create whose answer was lost, edited on the forge before it was found again, is pulled", async () => {
  const gh = await createGitHubSandbox();
  let lose = true;
  // The create lands, a person renames the new issue, and a proxy answers 502 instead.
  const lossy: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    if (lose && request.method === "POST" && new URL(request.url).pathname.endsWith("/issues")) {
      lose = false;
      const created = await response.json() as { number: number };
      await gh.remoteEdit(created.number, { title: "Renamed on the forge" });
      return new Response('{"message":"Bad Gateway"}', {
        status: 502,
        headers: { "content-type": "application/json" },
      });
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

Deno.test("a create that got no answer is looked for only after the request has surely ended: one issue", async () => {
  const gh = await createGitHubSandbox();
  const c = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_TOKEN: gh.token,
  }, {
    settings: Layer.succeed(ForgeSettings, {
      policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 0 },
      timeoutMs: 200,
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
  const mine = (id: string) => gh.issueNumbers().filter((n) => gh.readIssue(n)!.body.includes(id));
  try {
    await ok(G, { action: "configure", platform: "github", repository: gh.repository });
    const { task } = await ok("orchestrator_task", { action: "create", title: "Slow forge" });
    // The forge takes longer than the client waits, and still creates the issue.
    gh.faults.add({ kind: "latency", ms: 350, method: "POST", times: 1 });
    const created = await ok(G, { action: "create_issue", task_id: task.task_id });
    assertEquals(created.sync_status, "pending");
    // A pass right away neither looks (the issue may not exist yet) nor creates another.
    const early = await ok(G, { action: "sync_status" });
    assertEquals([early.sync_status, early.run.created], ["pending", 0]);
    await new Promise((r) => setTimeout(r, 450)); // the slow request ends; the wait is over
    assertEquals(mine(task.task_id).length, 1);
    const later = await ok(G, { action: "sync_status" });
    assertEquals([later.sync_status, later.run.created], ["synced", 1]);
    assertEquals(mine(task.task_id).length, 1, "found by its marker, not created again");
    const { task: after } = await ok("orchestrator_task", { action: "get", task_id: task.task_id });
    assertEquals(after.links[0].issue_number, mine(task.task_id)[0]);
  } finally {
    await c.close();
    await gh.close();
  }
});

Deno.test("update_issue re-queuing a write while it is being sent: the send records nothing over the new revision, which goes next", async () => {
  const gh = await createGitHubSandbox();
  let held: PromiseWithResolvers<void> | undefined;
  let waiting = 0;
  const gated: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (held !== undefined && request.method === "PATCH") {
      waiting++;
      await held.promise;
    }
    return await fetch(request);
  };
  const c = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_TOKEN: gh.token,
  }, {
    settings: Layer.succeed(ForgeSettings, {
      policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 0 },
      timeoutMs: 5000,
      fetch: gated,
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
    const milestone = gh.milestones[0]!;
    const { task } = await ok("orchestrator_task", { action: "create", title: "Base" });
    const { link } = await ok(G, { action: "create_issue", task_id: task.task_id });
    await ok("orchestrator_task", { action: "update", task_id: task.task_id, title: "Edited" });
    held = Promise.withResolvers<void>();
    const pass = ok(G, { action: "sync_status" });
    while (waiting === 0) await new Promise((r) => setTimeout(r, 5)); // the PATCH of "Edited" is in flight
    const update = ok(G, { action: "update_issue", task_id: task.task_id, issue_config: { milestone } });
    const revision = async () =>
      (await c.runtime.runPromise(
        Db.use((db) =>
          db.query<{ revision: number }>("SELECT revision FROM sync_outbox WHERE kind = 'update'")
        ),
      ))[0]?.revision ?? 0;
    const before = await revision();
    while (await revision() === before) await new Promise((r) => setTimeout(r, 5)); // re-queued meanwhile
    held.resolve();
    held = undefined;
    await pass;
    const updated = await update;
    assertEquals(updated.sync_status, "synced");
    const issue = gh.readIssue(link.issue_number)!;
    assertEquals([issue.title, issue.milestone], ["Edited", milestone]);
  } finally {
    await c.close();
    await gh.close();
  }
});
