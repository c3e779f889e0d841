import { Effect } from "effect";
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../testing/assert.ts";
import { connectTestClient, type TestClient } from "../../testing/mcp_client.ts";
import { Db } from "../../store/db.ts";

const TOOL = "orchestrator_task";

async function withClient(f: (c: TestClient) => Promise<void>): Promise<void> {
  const c = await connectTestClient();
  try {
    await f(c);
  } finally {
    await c.close();
  }
}

// deno-lint-ignore no-explicit-any
async function ok(c: TestClient, args: Record<string, unknown>): Promise<any> {
  const result = await c.call(TOOL, args);
  assertFalse(result.isError, `${JSON.stringify(args)} failed: ${result.text}`);
  assertEquals(JSON.parse(result.text), result.structured);
  return result.structured;
}

async function refused(
  c: TestClient,
  args: Record<string, unknown>,
  code: string,
): Promise<{ code: string; message: string; hint: string }> {
  const result = await c.call(TOOL, args);
  assert(result.isError, `${JSON.stringify(args)} was accepted: ${result.text}`);
  assertEquals(JSON.parse(result.text), result.structured);
  assertEquals(result.structured.error.code, code, result.text);
  return result.structured.error;
}

async function newFeature(c: TestClient): Promise<string> {
  const result = await c.call("orchestrator_feature", { action: "propose", title: "Feature" });
  return result.structured.feature.feature_id;
}

Deno.test("orchestrator_task create returns the task with defaults and links", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "First task" });
    assertMatch(task.task_id, /^task_[0-9A-Z]{26}$/);
    assertEquals(task.title, "First task");
    assertEquals(task.status, "pending");
    assertEquals(task.priority, "medium");
    assertEquals(task.version, 1);
    assertEquals(task.links, []);
    assertEquals(task.completed_at, null);
  });
});

Deno.test("orchestrator_task create stores every optional field", async () => {
  await withClient(async (c) => {
    const feature_id = await newFeature(c);
    const { task: parent } = await ok(c, { action: "create", title: "Parent" });
    const { task } = await ok(c, {
      action: "create",
      title: "Child",
      description: "Line one\nLine two\ttabbed",
      status: "in_progress",
      priority: "critical",
      assignee: "octo-cat",
      labels: ["backend", "api"],
      feature_id,
      parent_task_id: parent.task_id,
      due_date: "2031-02-28",
    });
    assertEquals(task.description, "Line one\nLine two\ttabbed");
    assertEquals(task.status, "in_progress");
    assertEquals(task.priority, "critical");
    assertEquals(task.assignee, "octo-cat");
    assertEquals(task.labels, ["api", "backend"]);
    assertEquals(task.feature_id, feature_id);
    assertEquals(task.parent_task_id, parent.task_id);
    assertEquals(task.due_date, "2031-02-28");
    const { task: read } = await ok(c, { action: "get", task_id: task.task_id });
    assertEquals(read, task);
  });
});

Deno.test("orchestrator_task get reads a task and fails with NOT_FOUND for an unknown id", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "Readable" });
    assertEquals((await ok(c, { action: "get", task_id: task.task_id })).task, task);
    const error = await refused(
      c,
      { action: "get", task_id: "task_01ARZ3NDEKTSV4RRFFQ69G5FAV" },
      "NOT_FOUND",
    );
    assertStringIncludes(error.message, "task_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertStringIncludes(error.hint, `orchestrator_task {action:"list"}`);
  });
});

Deno.test("orchestrator_task update changes fields, bumps version, and a no-op keeps it", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "Before", labels: ["a"] });
    const { task: changed } = await ok(c, {
      action: "update",
      task_id: task.task_id,
      title: "After",
      labels: ["b", "a"],
      assignee: "dev",
      due_date: "2030-01-01",
    });
    assertEquals(changed.title, "After");
    assertEquals(changed.labels, ["a", "b"]);
    assertEquals(changed.assignee, "dev");
    assertEquals(changed.version, 2);
    const { task: cleared } = await ok(c, {
      action: "update",
      task_id: task.task_id,
      assignee: null,
      due_date: null,
    });
    assertEquals(cleared.assignee, null);
    assertEquals(cleared.due_date, null);
    assertEquals(cleared.version, 3);
    const before = await c.dump();
    const { task: same } = await ok(c, { action: "update", task_id: task.task_id, title: "After" });
    assertEquals(same, cleared);
    assertEquals(await c.dump(), before);
  });
});

Deno.test("orchestrator_task update moves status along allowed transitions", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "Flow" });
    const step = async (status: string) =>
      (await ok(c, { action: "update", task_id: task.task_id, status })).task;
    assertEquals((await step("in_progress")).status, "in_progress");
    assertEquals((await step("blocked")).status, "blocked");
    assertEquals((await step("in_progress")).status, "in_progress");
    const done = await step("completed");
    assertEquals(done.status, "completed");
    assert(typeof done.completed_at === "string");
    const reopened = await step("in_progress");
    assertEquals(reopened.completed_at, null);
    assertEquals((await step("failed")).status, "failed");
    assertEquals((await step("pending")).status, "pending");
    assertEquals((await step("cancelled")).status, "cancelled");
  });
});

Deno.test("orchestrator_task update refuses a forbidden transition with CONFLICT and the allowed statuses", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "Strict" });
    const before = await c.dump();
    const error = await refused(
      c,
      { action: "update", task_id: task.task_id, status: "completed" },
      "CONFLICT",
    );
    assertStringIncludes(error.message, `"pending"`);
    assertStringIncludes(error.message, `"completed"`);
    assertStringIncludes(error.hint, "in_progress");
    assertStringIncludes(error.hint, "blocked");
    assertStringIncludes(error.hint, "cancelled");
    assertEquals(await c.dump(), before);

    await ok(c, { action: "update", task_id: task.task_id, status: "cancelled" });
    const closed = await refused(
      c,
      { action: "update", task_id: task.task_id, status: "blocked" },
      "CONFLICT",
    );
    assertStringIncludes(closed.message, `from "cancelled" to "blocked"`);
    assertStringIncludes(closed.hint, "pending");
    assertStringIncludes(closed.hint, "in_progress");
  });
});

Deno.test("orchestrator_task update of an unknown task or reference fails with NOT_FOUND", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "Refs" });
    const missing = await refused(c, { action: "update", task_id: "task_MISSING", title: "x" }, "NOT_FOUND");
    assertStringIncludes(missing.message, "task_MISSING");
    const feature = await refused(
      c,
      { action: "update", task_id: task.task_id, feature_id: "feat_MISSING" },
      "NOT_FOUND",
    );
    assertStringIncludes(feature.message, "feature_id");
    const parent = await refused(
      c,
      { action: "update", task_id: task.task_id, parent_task_id: task.task_id },
      "VALIDATION_ERROR",
    );
    assertStringIncludes(parent.message, "parent_task_id");
  });
});

Deno.test("orchestrator_task archive archives from any status and hides the task from list", async () => {
  await withClient(async (c) => {
    const { task: a } = await ok(c, { action: "create", title: "Keep" });
    const { task: b } = await ok(c, { action: "create", title: "Archive me", status: "in_progress" });
    const { task: archived } = await ok(c, { action: "archive", task_id: b.task_id });
    assertEquals(archived.status, "archived");
    assertEquals(archived.version, 2);
    const again = await ok(c, { action: "archive", task_id: b.task_id });
    assertEquals(again.task.version, 2);
    const visible = await ok(c, { action: "list" });
    assertEquals(visible.tasks.map((t: { task_id: string }) => t.task_id), [a.task_id]);
    const all = await ok(c, { action: "list", include_archived: true });
    assertEquals(all.tasks.map((t: { task_id: string }) => t.task_id), [a.task_id, b.task_id]);
    const onlyArchived = await ok(c, { action: "list", status: "archived" });
    assertEquals(onlyArchived.tasks.map((t: { task_id: string }) => t.task_id), [b.task_id]);
    await refused(c, { action: "archive", task_id: "task_GONE" }, "NOT_FOUND");
  });
});

Deno.test("orchestrator_task list pages with next_cursor and filters", async () => {
  await withClient(async (c) => {
    const feature_id = await newFeature(c);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { task } = await ok(c, {
        action: "create",
        title: `Task number ${i}`,
        labels: i % 2 === 0 ? ["even"] : ["odd"],
        ...(i === 4 ? { feature_id, assignee: "zoe", status: "blocked" } : {}),
      });
      ids.push(task.task_id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await ok(c, { action: "list", limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...result.tasks.map((t: { task_id: string }) => t.task_id));
      assert(result.tasks.length <= 2);
      if (result.next_cursor === null) break;
      cursor = result.next_cursor;
    }
    assertEquals(seen, ids);
    const list = async (filter: Record<string, unknown>) =>
      (await ok(c, { action: "list", ...filter })).tasks.map((t: { task_id: string }) => t.task_id);
    assertEquals(await list({ label: "odd" }), [ids[1], ids[3]]);
    assertEquals(await list({ status: ["blocked", "completed"] }), [ids[4]]);
    assertEquals(await list({ status: "pending", label: "even" }), [ids[0], ids[2]]);
    assertEquals(await list({ feature_id }), [ids[4]]);
    assertEquals(await list({ assignee: "zoe" }), [ids[4]]);
    assertEquals(await list({ query: "NUMBER 3" }), [ids[3]]);
    const { tasks } = await ok(c, { action: "list", parent_task_id: ids[0] });
    assertEquals(tasks, []);
  });
});

Deno.test("orchestrator_task results carry the links of a linked task", async () => {
  await withClient(async (c) => {
    const { task } = await ok(c, { action: "create", title: "Linked" });
    await c.runtime.runPromise(
      Db.use((db) =>
        db.batch([{
          sql:
            `INSERT INTO feature_issue_links (task_id, platform, repository, issue_number, issue_url, sync_status)
              VALUES (?, 'github', 'acme/widgets', 7, 'https://github.com/acme/widgets/issues/7', 'synced')`,
          args: [task.task_id],
        }])
      ).pipe(Effect.asVoid),
    );
    const { task: read } = await ok(c, { action: "get", task_id: task.task_id });
    assertEquals(read.links.length, 1);
    assertEquals(read.links[0].issue_number, 7);
    assertEquals(read.links[0].repository, "acme/widgets");
    assertEquals(read.links[0].sync_status, "synced");
    const { tasks } = await ok(c, { action: "list" });
    assertEquals(tasks[0].links, read.links);
  });
});
