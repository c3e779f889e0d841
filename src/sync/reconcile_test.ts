/**
 * Focused tests of the pass against the GitHub sandbox through the MCP tools: queued updates are
 * planned again after the pull (never replayed over a newer edit on the forge); the run log covers
 * the time the lease is held.
 */
import { Layer } from "effect";
import { assert, assertEquals } from "../testing/assert.ts";
import { Db } from "../store/db.ts";
import { releaseLease, tryLease } from "./lease.ts";
import { landedBase, withUnprovenLanding } from "./plan.ts";
import type { Snapshot } from "../domain/merge.ts";
import type { PlatformPlugin } from "../platform/types.ts";
import { connectTestClient, type TestClient } from "../testing/mcp_client.ts";
import { createGitHubSandbox, type GitHubSandbox } from "../testing/github_sandbox.ts";
import { ForgeSettings } from "../forges/forges.ts";
import type { PassProbe } from "./reconcile.ts";
import { DEFAULT_SYNC } from "./service.ts";

const G = "orchestrator_git_integration";

async function setup(
  policy: string,
  timeoutMs = 2000,
  probe?: PassProbe,
): Promise<{ gh: GitHubSandbox; c: TestClient }> {
  const gh = await createGitHubSandbox();
  const c = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_TOKEN: gh.token,
  }, {
    settings: Layer.succeed(ForgeSettings, {
      policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxWaitSeconds: 0 },
      timeoutMs,
      fetch: (input, init) => fetch(input, init),
    }),
    ...(probe !== undefined ? { sync: { ...DEFAULT_SYNC, probe } } : {}),
  });
  const r = await c.call(G, {
    action: "configure",
    platform: "github",
    repository: gh.repository,
    conflict_policy: policy,
  });
  if (r.isError) throw new Error(r.text);
  return { gh, c };
}

// deno-lint-ignore no-explicit-any
async function ok(c: TestClient, tool: string, args: Record<string, unknown>): Promise<any> {
  const r = await c.call(tool, args);
  if (r.isError) throw new Error(r.text);
  return r.structured;
}

Deno.test("reconcile() plans a queued update again instead of replaying it over a newer edit on the forge", async () => {
  const { gh, c } = await setup("remote_wins");
  try {
    const { task } = await ok(c, "orchestrator_task", { action: "create", title: "Base" });
    const { link } = await ok(c, G, { action: "create_issue", task_id: task.task_id });
    await ok(c, "orchestrator_task", { action: "update", task_id: task.task_id, title: "Local" });
    // The update cannot be sent: it stays queued.
    gh.faults.add({ kind: "status", status: 503, method: "PATCH", times: 100 });
    const down = await ok(c, G, { action: "sync_status" });
    assertEquals(down.sync_status, "pending");
    assertEquals(gh.readIssue(link.issue_number)!.title, "Base");
    // Meanwhile a person renames the issue; then the forge comes back.
    await gh.remoteEdit(link.issue_number, { title: "Remote" });
    gh.faults.clear();
    const { run } = await ok(c, G, { action: "sync_status" });
    assertEquals(run.conflicts, 1);
    // remote_wins: the person's title stays, the local item takes it, and the divergence is recorded.
    assertEquals(gh.readIssue(link.issue_number)!.title, "Remote");
    assertEquals(
      (await ok(c, "orchestrator_task", { action: "get", task_id: task.task_id })).task.title,
      "Remote",
    );
    const status = await ok(c, G, { action: "status" });
    assertEquals(status.repositories[0].outbox, { pending: 0, parked: 0 });
  } finally {
    await c.close();
    await gh.close();
  }
});

Deno.test("reconcile() sends a queued update planned again when nothing changed on the forge", async () => {
  const { gh, c } = await setup("newest_wins");
  try {
    const { task } = await ok(c, "orchestrator_task", { action: "create", title: "Base" });
    const { link } = await ok(c, G, { action: "create_issue", task_id: task.task_id });
    await ok(c, "orchestrator_task", { action: "update", task_id: task.task_id, title: "Local" });
    gh.faults.add({ kind: "status", status: 503, method: "PATCH", times: 100 });
    await ok(c, G, { action: "sync_status" });
    gh.faults.clear();
    const { run } = await ok(c, G, { action: "sync_status" });
    assertEquals([run.pushed, run.conflicts], [1, 0]);
    assertEquals(gh.readIssue(link.issue_number)!.title, "Local");
  } finally {
    await c.close();
    await gh.close();
  }
});

Deno.test("reconcile() logs a pass from when it holds the lease until before it lets go", async () => {
  const { gh, c } = await setup("newest_wins");
  try {
    const resource = `repo:github:${gh.repository}`;
    const other = { id: "another-process", host: "another-host", pid: 1 };
    const lease = await c.runtime.runPromise(Db.use((db) => tryLease(db, resource, other, 60_000)));
    const pass = c.call(G, { action: "sync_status" });
    await new Promise((r) => setTimeout(r, 300)); // the pass is now waiting for the lease
    const releasedAt = new Date().toISOString();
    await c.runtime.runPromise(Db.use((db) => releaseLease(db, lease!)));
    const r = await pass;
    assertEquals(r.structured.run.status, "completed");
    const [log] = await c.runtime.runPromise(
      Db.use((db) => db.query<{ started_at: string; finished_at: string }>("SELECT * FROM sync_status_logs")),
    );
    assert(log!.started_at >= releasedAt, `started ${log!.started_at}, lease free at ${releasedAt}`);
    assert(log!.finished_at >= log!.started_at);
    // The lease is released after the log row is written.
    const leases = await c.runtime.runPromise(
      Db.use((db) => db.query<{ expires_at: string }>("SELECT expires_at FROM sync_leases")),
    );
    assertEquals(leases.length, 1);
    assert(leases[0]!.expires_at < releasedAt, `released: ${leases[0]!.expires_at}`);
  } finally {
    await c.close();
    await gh.close();
  }
});

/** Only what landedBase reads of a plugin. */
const plugin = { statusAliases: {} } as unknown as PlatformPlugin;

const snap = (title: string): Snapshot => ({ title, body: "", status: "open", labels: [], assignees: [] });

Deno.test("landedBase() confirms the fields of a queued write that the issue already shows", () => {
  const base = { local: snap("Base"), remote: snap("Base") };
  const queued = {
    patch: { title: "Sent" },
    fields: ["title" as const],
    local: snap("Sent"),
    local_version: 2,
  };
  assertEquals(landedBase(plugin, base, queued, snap("Sent")), { local: snap("Sent"), remote: snap("Sent") });
  // Not landed (or overwritten by a person since): the base stays, and the merge sees both changes.
  assertEquals(landedBase(plugin, base, queued, snap("Person")), base);
});

Deno.test("landedBase() confirms nothing when the issue shows only part of a queued write", () => {
  const base = { local: snap("Base"), remote: snap("Base") };
  const queued = {
    patch: { title: "Sent", status: "cancelled" as const },
    fields: ["title" as const, "status" as const],
    local: { ...snap("Sent"), status: "cancelled" },
    local_version: 2,
  };
  // A person set the status to the value we had queued and rewrote the title: the write did not land.
  const person = { ...snap("Person"), status: "cancelled" };
  assertEquals(landedBase(plugin, base, queued, person), base);
  const landed = { ...snap("Sent"), status: "cancelled" };
  assertEquals(landedBase(plugin, base, queued, landed), { local: queued.local, remote: landed });
});

Deno.test("withUnprovenLanding() records a pushed field edited since its unanswered write, and nothing else", () => {
  const base = { local: snap("Base"), remote: snap("Base") };
  const queued = {
    patch: { title: "Sent" },
    fields: ["title" as const],
    local: snap("Sent"),
    local_version: 2,
  };
  const plan = { local: {}, remote: { title: "Newer" }, conflicts: [], base };
  // The issue shows "Sent"; the task says "Newer" since: sent, and recorded for the local side.
  assertEquals(withUnprovenLanding(plan, base, queued, snap("Newer"), snap("Sent")).conflicts, [{
    field: "title",
    base: { local: "Base", remote: "Base" },
    local: "Newer",
    remote: "Sent",
    resolution: "local",
  }]);
  // Not edited since (nothing to send over it), or nothing sent: no record.
  assertEquals(withUnprovenLanding({ ...plan, remote: {} }, base, queued, snap("Sent"), snap("Sent")), {
    ...plan,
    remote: {},
  });
  assertEquals(withUnprovenLanding(plan, base, queued, snap("Sent"), snap("Sent")).conflicts, []);
});

Deno.test("an update that got no answer holds back newer writes until it has surely ended, then counts as sent", async () => {
  const { gh, c } = await setup("remote_wins", 200);
  try {
    const { task } = await ok(c, "orchestrator_task", { action: "create", title: "Base" });
    const { link } = await ok(c, G, { action: "create_issue", task_id: task.task_id });
    await ok(c, "orchestrator_task", { action: "update", task_id: task.task_id, title: "First" });
    // The request outlives the client's timeout; the forge applies it later. It is not sent again.
    gh.faults.add({ kind: "latency", ms: 300, method: "PATCH", times: 1 });
    const slow = await ok(c, G, { action: "sync_status" });
    assertEquals(slow.sync_status, "pending");
    await ok(c, "orchestrator_task", { action: "update", task_id: task.task_id, title: "Second" });
    // Right away, nothing newer is sent: the slow writes could land after it and undo it.
    const held = await ok(c, G, { action: "sync_status" });
    assertEquals([held.sync_status, held.run.pushed], ["pending", 0]);
    await new Promise((r) => setTimeout(r, 700)); // the slow writes land; the wait is over
    assertEquals(gh.readIssue(link.issue_number)!.title, "First");
    const { run } = await ok(c, G, { action: "sync_status" });
    // "First" on the forge is taken as our own write: "Second", edited since, goes out. A person could
    // have set that very value meanwhile, so the step is recorded as a conflict resolved for the local
    // side, never left without a trace.
    assertEquals([run.pushed, run.conflicts], [1, 1]);
    assertEquals(gh.readIssue(link.issue_number)!.title, "Second");
    const recorded = await c.runtime.runPromise(
      Db.use((db) =>
        db.query("SELECT field, local_value, remote_value, status, resolution FROM sync_conflicts")
      ),
    );
    assertEquals(recorded, [{
      field: "title",
      local_value: "Second",
      remote_value: "First",
      status: "resolved",
      resolution: "local",
    }]);
    assertEquals(
      (await ok(c, "orchestrator_task", { action: "get", task_id: task.task_id })).task.title,
      "Second",
    );
  } finally {
    await c.close();
    await gh.close();
  }
});

Deno.test("a local edit committed while a pass pulls is planned with: a recorded conflict on the same field, a push of another", async () => {
  // The edit lands between the pass's pull and its apply: the moment a background pass reads the
  // candidates while the assistant edits the task.
  let during: (() => Promise<unknown>) | undefined;
  const probe: PassProbe = {
    beforeApply: async () => {
      const edit = during;
      during = undefined;
      await edit?.();
    },
  };
  const { gh, c } = await setup("newest_wins", 2000, probe);
  try {
    const { task } = await ok(c, "orchestrator_task", {
      action: "create",
      title: "Base title",
      description: "Base text",
    });
    const { link } = await ok(c, G, { action: "create_issue", task_id: task.task_id });
    await gh.remoteEdit(link.issue_number, { title: "Remote title" });
    await new Promise((r) => setTimeout(r, 1100)); // the local edit is the newer one
    during = () =>
      ok(c, "orchestrator_task", {
        action: "update",
        task_id: task.task_id,
        title: "Local title",
        description: "Local text",
      });
    await ok(c, G, { action: "sync_status" });
    assertEquals(during, undefined, "the edit was made inside the pass");
    // Same field, both sides changed: newest wins (the local edit), and the divergence is recorded.
    const conflicts = await c.runtime.runPromise(
      Db.use((db) =>
        db.query<Record<string, string>>("SELECT field, local_value, remote_value FROM sync_conflicts")
      ),
    );
    assertEquals(conflicts, [{ field: "title", local_value: "Local title", remote_value: "Remote title" }]);
    // The other field reached the forge.
    const issue = gh.readIssue(link.issue_number)!;
    assertEquals([issue.title, issue.body.startsWith("Local text")], ["Local title", true]);
    const local = (await ok(c, "orchestrator_task", { action: "get", task_id: task.task_id })).task;
    assertEquals([local.title, local.description], ["Local title", "Local text"]);
    // And nothing is left to do.
    const again = await ok(c, G, { action: "sync_status" });
    assertEquals([again.run.pushed, again.run.pulled, again.run.conflicts], [0, 0, 0]);
  } finally {
    await c.close();
    await gh.close();
  }
});

Deno.test("a pass plans with the configuration as it is now: a conflict policy changed since the last pass applies", async () => {
  const { gh, c } = await setup("newest_wins");
  try {
    const { task } = await ok(c, "orchestrator_task", { action: "create", title: "Base" });
    const { link } = await ok(c, G, { action: "create_issue", task_id: task.task_id });
    await ok(c, G, { action: "sync_status" }); // the forge client is connected and kept
    await ok(c, G, {
      action: "configure",
      platform: "github",
      repository: gh.repository,
      conflict_policy: "manual",
    });
    await ok(c, "orchestrator_task", { action: "update", task_id: task.task_id, title: "Local" });
    await gh.remoteEdit(link.issue_number, { title: "Remote" });
    const { run } = await ok(c, G, { action: "sync_status" });
    assertEquals([run.conflicts, run.pushed], [1, 0]);
    assertEquals(gh.readIssue(link.issue_number)!.title, "Remote", "manual: nothing is settled on its own");
    const status = await ok(c, G, { action: "status" });
    assertEquals(status.repositories[0].open_conflict_count, 1);
  } finally {
    await c.close();
    await gh.close();
  }
});
