import { Effect, Exit } from "effect";
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertStringIncludes,
} from "../testing/assert.ts";
import { AppError } from "../domain/errors.ts";
import { TASK_STATUSES, type TaskStatus } from "../domain/task.ts";
import { loadConfig } from "../config.ts";
import { type AppRuntime, makeRuntime } from "../app.ts";
import { Db } from "./db.ts";
import { Features } from "./features.ts";
import { Tasks } from "./tasks.ts";

async function withRuntime(f: (rt: AppRuntime) => Promise<void>): Promise<void> {
  const rt = await makeRuntime(loadConfig({ FORGESYNC_DB_URL: ":memory:" }));
  try {
    await f(rt);
  } finally {
    await rt.dispose();
  }
}

const tasks = <A>(rt: AppRuntime, f: (t: Tasks["Service"]) => Effect.Effect<A, AppError>): Promise<A> =>
  rt.runPromise(Tasks.use(f));

async function failure<A>(
  rt: AppRuntime,
  f: (t: Tasks["Service"]) => Effect.Effect<A, AppError>,
): Promise<AppError> {
  const exit = await rt.runPromiseExit(Tasks.use(f));
  assert(Exit.isFailure(exit), "expected the call to fail");
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail");
  assert(reason !== undefined && reason._tag === "Fail", "expected a typed failure, not a defect");
  assert(reason.error instanceof AppError);
  return reason.error;
}

const rowsOf = (rt: AppRuntime) =>
  rt.runPromise(Db.use((db) => db.query("SELECT * FROM tasks ORDER BY task_id")));

Deno.test("Tasks.create() stores a task with defaults and get() reads it back", async () => {
  await withRuntime(async (rt) => {
    const task = await tasks(rt, (t) => t.create({ title: "Write the tests" }));
    assertMatch(task.task_id, /^task_[0-9A-HJKMNP-TV-Z]{26}$/);
    assertEquals(task.status, "pending");
    assertEquals(task.priority, "medium");
    assertEquals(task.description, "");
    assertEquals(task.labels, []);
    assertEquals(task.assignee, null);
    assertEquals(task.completed_at, null);
    assertEquals(task.version, 1);
    assertEquals(task.created_at, task.updated_at);
    assertEquals(await tasks(rt, (t) => t.get(task.task_id)), task);
  });
});

Deno.test("Tasks.create() stores every field and normalizes labels", async () => {
  await withRuntime(async (rt) => {
    const feature = await rt.runPromise(Features.use((f) => f.propose({ title: "Parent feature" })));
    const parent = await tasks(rt, (t) => t.create({ title: "Parent" }));
    const task = await tasks(rt, (t) =>
      t.create({
        title: "Child",
        description: "Multi\nline",
        priority: "high",
        assignee: "octocat",
        labels: ["b", " a ", "b", ""],
        feature_id: feature.feature_id,
        parent_task_id: parent.task_id,
        due_date: "2030-12-31",
      }));
    assertEquals(task.labels, ["a", "b"]);
    const read = await tasks(rt, (t) => t.get(task.task_id));
    assertEquals(read, task);
    assertEquals(read.feature_id, feature.feature_id);
    assertEquals(read.parent_task_id, parent.task_id);
    assertEquals(read.due_date, "2030-12-31");
    assertEquals(read.assignee, "octocat");
  });
});

Deno.test("Tasks.create() sets completed_at for a task created completed", async () => {
  await withRuntime(async (rt) => {
    const task = await tasks(rt, (t) => t.create({ title: "Done already", status: "completed" }));
    assertEquals(task.completed_at, task.created_at);
  });
});

Deno.test("Tasks.create() refuses an unknown feature or parent and stores nothing", async () => {
  await withRuntime(async (rt) => {
    const e1 = await failure(rt, (t) => t.create({ title: "x", feature_id: "feat_NOPE" }));
    assertEquals(e1.code, "NOT_FOUND");
    assertStringIncludes(e1.message, "feature_id");
    assertStringIncludes(e1.message, "feat_NOPE");
    const e2 = await failure(rt, (t) => t.create({ title: "x", parent_task_id: "task_NOPE" }));
    assertEquals(e2.code, "NOT_FOUND");
    assertStringIncludes(e2.message, "parent_task_id");
    assertEquals(await rowsOf(rt), []);
  });
});

Deno.test("Tasks.get() fails with NOT_FOUND naming the id", async () => {
  await withRuntime(async (rt) => {
    const error = await failure(rt, (t) => t.get("task_01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    assertEquals(error.code, "NOT_FOUND");
    assertStringIncludes(error.message, "task_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertStringIncludes(error.hint, "list");
  });
});

Deno.test("Tasks.update() bumps version by one on every change", async () => {
  await withRuntime(async (rt) => {
    const created = await tasks(rt, (t) => t.create({ title: "v1" }));
    const changes = [
      { title: "v2" },
      { description: "now with text" },
      { priority: "critical" as const },
      { assignee: "someone" },
      { assignee: null },
      { labels: ["x"] },
      { due_date: "2031-01-01" },
      { status: "in_progress" as const },
    ];
    let previous = created;
    for (const [i, patch] of changes.entries()) {
      const next = await tasks(rt, (t) => t.update(created.task_id, patch));
      assertEquals(next.version, created.version + i + 1, `after ${JSON.stringify(patch)}`);
      assert(next.updated_at >= previous.updated_at);
      assertEquals(await tasks(rt, (t) => t.get(created.task_id)), next);
      previous = next;
    }
    assertEquals(previous.title, "v2");
    assertEquals(previous.assignee, null);
    assertEquals(previous.status, "in_progress");
  });
});

Deno.test("Tasks.update() changes nothing and keeps the version on a no-op change", async () => {
  await withRuntime(async (rt) => {
    const feature = await rt.runPromise(Features.use((f) => f.propose({ title: "F" })));
    const created = await tasks(rt, (t) =>
      t.create({
        title: "Same",
        description: "d",
        labels: ["a", "b"],
        assignee: "me",
        feature_id: feature.feature_id,
      }));
    const before = await rowsOf(rt);
    for (
      const patch of [
        {},
        { title: "Same" },
        { description: "d", status: "pending" as const },
        { labels: ["b", "a", "a"] },
        { assignee: "me", feature_id: feature.feature_id, priority: "medium" as const },
      ]
    ) {
      const same = await tasks(rt, (t) => t.update(created.task_id, patch));
      assertEquals(same, created, `no-op ${JSON.stringify(patch)} changed the task`);
    }
    assertEquals(await rowsOf(rt), before);
  });
});

Deno.test("Tasks.update() refuses a transition the rules forbid, naming from, to and the allowed targets", async () => {
  await withRuntime(async (rt) => {
    const task = await tasks(rt, (t) => t.create({ title: "Rules" }));
    const before = await rowsOf(rt);
    const error = await failure(rt, (t) => t.update(task.task_id, { status: "completed", title: "ignored" }));
    assertEquals(error.code, "CONFLICT");
    assertStringIncludes(error.message, `"pending"`);
    assertStringIncludes(error.message, `"completed"`);
    assertStringIncludes(error.message, task.task_id);
    for (const target of ["in_progress", "blocked", "cancelled", "archived"]) {
      assertStringIncludes(error.hint, target);
    }
    assert(!error.hint.includes("completed"), error.hint);
    assertEquals(await rowsOf(rt), before);
  });
});

Deno.test("Tasks.update() follows the SPEC transitions and sets completed_at", async () => {
  await withRuntime(async (rt) => {
    const { task_id } = await tasks(rt, (t) => t.create({ title: "Walk" }));
    const step = (status: TaskStatus) => tasks(rt, (t) => t.update(task_id, { status }));
    assertEquals((await step("in_progress")).status, "in_progress");
    assertEquals((await step("blocked")).status, "blocked");
    assertEquals((await step("in_progress")).status, "in_progress");
    const done = await step("completed");
    assert(done.completed_at !== null);
    const refused = await failure(rt, (t) => t.update(task_id, { status: "blocked" }));
    assertEquals(refused.code, "CONFLICT");
    assertStringIncludes(refused.message, `from "completed" to "blocked"`);
    const reopened = await step("pending");
    assertEquals(reopened.completed_at, null);
    assertEquals(reopened.version, 6);
  });
});

Deno.test("Tasks.update() lets the sync apply any remote-driven change", async () => {
  await withRuntime(async (rt) => {
    const { task_id } = await tasks(rt, (t) => t.create({ title: "Remote" }));
    const changed = await tasks(rt, (t) => t.update(task_id, { status: "completed" }, { bySync: true }));
    assertEquals(changed.status, "completed");
    assertEquals(changed.version, 2);
  });
});

Deno.test("Tasks.update() refuses a task as its own parent", async () => {
  await withRuntime(async (rt) => {
    const { task_id } = await tasks(rt, (t) => t.create({ title: "Self" }));
    const error = await failure(rt, (t) => t.update(task_id, { parent_task_id: task_id }));
    assertEquals(error.code, "VALIDATION_ERROR");
    assertStringIncludes(error.message, "parent_task_id");
    assertEquals((await tasks(rt, (t) => t.get(task_id))).parent_task_id, null);
  });
});

Deno.test("Tasks.update() of an unknown task fails with NOT_FOUND", async () => {
  await withRuntime(async (rt) => {
    const error = await failure(rt, (t) => t.update("task_MISSING", { title: "x" }));
    assertEquals(error.code, "NOT_FOUND");
    assertStringIncludes(error.message, "task_MISSING");
  });
});

Deno.test("Tasks.archive() works from every status and hides the task from default listings", async () => {
  await withRuntime(async (rt) => {
    for (const status of TASK_STATUSES) {
      const task = await tasks(rt, (t) => t.create({ title: `from ${status}`, status }));
      const archived = await tasks(rt, (t) => t.archive(task.task_id));
      assertEquals(archived.status, "archived");
      assertEquals(archived.version, status === "archived" ? 1 : 2);
    }
    const visible = await tasks(rt, (t) => t.list({}));
    assertEquals(visible.tasks, []);
    const all = await tasks(rt, (t) => t.list({ include_archived: true }));
    assertEquals(all.tasks.length, TASK_STATUSES.length);
    const byStatus = await tasks(rt, (t) => t.list({ status: ["archived"] }));
    assertEquals(byStatus.tasks.length, TASK_STATUSES.length);
  });
});

Deno.test("Tasks.list() pages through every task with cursors, oldest first", async () => {
  await withRuntime(async (rt) => {
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await tasks(rt, (t) => t.create({ title: `task ${i}` })));
    const seen: string[] = [];
    let cursor: string | undefined = undefined;
    const sizes: number[] = [];
    for (let page = 0; page < 10; page++) {
      const result: { tasks: { task_id: string }[]; next_cursor: string | null } = await tasks(
        rt,
        (t) => t.list({ limit: 3, cursor }),
      );
      sizes.push(result.tasks.length);
      seen.push(...result.tasks.map((t) => t.task_id));
      if (result.next_cursor === null) break;
      cursor = result.next_cursor;
    }
    assertEquals(sizes, [3, 3, 1]);
    assertEquals(seen, created.map((t) => t.task_id));
    // A page that ends exactly at the last row has no next cursor.
    const exact = await tasks(rt, (t) => t.list({ limit: 7 }));
    assertEquals(exact.tasks.length, 7);
    assertEquals(exact.next_cursor, null);
  });
});

Deno.test("Tasks.list() refuses a cursor it did not make", async () => {
  await withRuntime(async (rt) => {
    for (const cursor of ["not-a-cursor", "eyJ4IjoxfQ", "%%%", ""]) {
      const error = await failure(rt, (t) => t.list({ cursor }));
      assertEquals(error.code, "VALIDATION_ERROR", `cursor ${JSON.stringify(cursor)}`);
      assertStringIncludes(error.message, "cursor");
    }
  });
});

Deno.test("Tasks.list() filters by status, feature, parent, assignee, label and text", async () => {
  await withRuntime(async (rt) => {
    const feature = await rt.runPromise(Features.use((f) => f.propose({ title: "F" })));
    const parent = await tasks(rt, (t) => t.create({ title: "Parent task", assignee: "alice" }));
    const a = await tasks(
      rt,
      (t) =>
        t.create({ title: "Alpha FIX", labels: ["bug"], feature_id: feature.feature_id, assignee: "bob" }),
    );
    const b = await tasks(rt, (t) =>
      t.create({
        title: "Beta",
        description: "needs a fix too",
        status: "in_progress",
        parent_task_id: parent.task_id,
        labels: ["bug", "ui"],
      }));
    const c = await tasks(rt, (t) => t.create({ title: "Gamma", status: "blocked", labels: ["ui"] }));
    const ids = async (filter: Parameters<Tasks["Service"]["list"]>[0]) =>
      (await tasks(rt, (t) => t.list(filter))).tasks.map((t) => t.task_id);
    assertEquals(await ids({ status: ["in_progress", "blocked"] }), [b.task_id, c.task_id]);
    assertEquals(await ids({ status: ["pending"] }), [parent.task_id, a.task_id]);
    assertEquals(await ids({ feature_id: feature.feature_id }), [a.task_id]);
    assertEquals(await ids({ parent_task_id: parent.task_id }), [b.task_id]);
    assertEquals(await ids({ assignee: "alice" }), [parent.task_id]);
    assertEquals(await ids({ label: "bug" }), [a.task_id, b.task_id]);
    assertEquals(await ids({ label: "ui", status: ["blocked"] }), [c.task_id]);
    assertEquals(await ids({ query: "fix" }), [a.task_id, b.task_id]);
    assertEquals(await ids({ query: "%" }), []);
    assertEquals(await ids({ label: "nothing" }), []);
  });
});

Deno.test("Tasks.list() stores and finds text with SQL metacharacters verbatim", async () => {
  await withRuntime(async (rt) => {
    const title = `Robert'); DROP TABLE tasks;-- 🚀 "quoted" \\ %_`;
    const task = await tasks(rt, (t) => t.create({ title, labels: ["it's"] }));
    assertEquals((await tasks(rt, (t) => t.get(task.task_id))).title, title);
    const found = await tasks(rt, (t) => t.list({ query: "'); DROP", label: "it's" }));
    assertEquals(found.tasks.map((t) => t.title), [title]);
  });
});

Deno.test("Tasks.update() keeps updated_at and created_at apart", async () => {
  await withRuntime(async (rt) => {
    const task = await tasks(rt, (t) => t.create({ title: "Times" }));
    const changed = await tasks(rt, (t) => t.update(task.task_id, { title: "Times 2" }));
    assertEquals(changed.created_at, task.created_at);
    assertNotEquals(changed.version, task.version);
  });
});
