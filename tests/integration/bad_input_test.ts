/**
 * Bad input (SPEC §12): every malformed call gets an `isError` result with VALIDATION_ERROR or
 * NOT_FOUND, a message naming the offending parameter or action, and changes nothing in the
 * database. Text with SQL metacharacters and emoji is stored and returned exactly.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { connectTestClient, type TestClient } from "../../src/testing/mcp_client.ts";

const T = "orchestrator_task";
const F = "orchestrator_feature";
const MB = "x".repeat(1024 * 1024);
const UNKNOWN_TASK = "task_01ARZ3NDEKTSV4RRFFQ69G5FAV";
const UNKNOWN_FEATURE = "feat_01ARZ3NDEKTSV4RRFFQ69G5FAV";

interface Case {
  readonly name: string;
  readonly tool: string;
  /** Arguments; `TASK` and `FEATURE` are replaced by the ids of the seeded task and feature. */
  readonly args: Record<string, unknown>;
  readonly code: "VALIDATION_ERROR" | "NOT_FOUND";
  /** What the message must mention: the parameter(s) or action at fault. */
  readonly names: readonly string[];
}

const CASES: readonly Case[] = [
  // Actions
  {
    name: "unknown action",
    tool: T,
    args: { action: "explode" },
    code: "VALIDATION_ERROR",
    names: ["action", "explode"],
  },
  {
    name: "unknown feature action",
    tool: F,
    args: { action: "delete", feature_id: "FEATURE" },
    code: "VALIDATION_ERROR",
    names: ["action", "delete"],
  },
  { name: "missing action", tool: T, args: {}, code: "VALIDATION_ERROR", names: ["action"] },
  {
    name: "missing action with parameters",
    tool: F,
    args: { title: "x" },
    code: "VALIDATION_ERROR",
    names: ["action"],
  },
  {
    name: "action of the wrong type",
    tool: T,
    args: { action: 5 },
    code: "VALIDATION_ERROR",
    names: ["action"],
  },
  { name: "action null", tool: T, args: { action: null }, code: "VALIDATION_ERROR", names: ["action"] },
  // Missing required parameters
  {
    name: "create without title",
    tool: T,
    args: { action: "create" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "get without task_id",
    tool: T,
    args: { action: "get" },
    code: "VALIDATION_ERROR",
    names: ["task_id"],
  },
  {
    name: "update without task_id",
    tool: T,
    args: { action: "update", title: "x" },
    code: "VALIDATION_ERROR",
    names: ["task_id"],
  },
  {
    name: "propose without title",
    tool: F,
    args: { action: "propose" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "set_status without status",
    tool: F,
    args: { action: "set_status", feature_id: "FEATURE" },
    code: "VALIDATION_ERROR",
    names: ["status"],
  },
  {
    name: "approve without feature_id",
    tool: F,
    args: { action: "approve" },
    code: "VALIDATION_ERROR",
    names: ["feature_id"],
  },
  // Extra parameters
  {
    name: "extra field on create",
    tool: T,
    args: { action: "create", title: "ok", colour: "red" },
    code: "VALIDATION_ERROR",
    names: ["colour"],
  },
  {
    name: "parameter of another action",
    tool: F,
    args: { action: "get", feature_id: "FEATURE", title: "x" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "extra field on list",
    tool: T,
    args: { action: "list", page: 2 },
    code: "VALIDATION_ERROR",
    names: ["page"],
  },
  {
    name: "extra field on update of an existing task",
    tool: T,
    args: { action: "update", task_id: "TASK", title: "Changed?", sneaky: 1 },
    code: "VALIDATION_ERROR",
    names: ["sneaky"],
  },
  {
    name: "a 100 kB parameter name",
    tool: T,
    args: { action: "create", title: "ok", ["k".repeat(100_000)]: 1 },
    code: "VALIDATION_ERROR",
    names: ["kkkkkkkkkk"],
  },
  // Wrong types
  {
    name: "number for title",
    tool: T,
    args: { action: "create", title: 42 },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "null for title",
    tool: T,
    args: { action: "create", title: null },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "string for labels",
    tool: T,
    args: { action: "create", title: "ok", labels: "bug" },
    code: "VALIDATION_ERROR",
    names: ["labels"],
  },
  {
    name: "numbers in labels",
    tool: F,
    args: { action: "propose", title: "ok", labels: [1, 2] },
    code: "VALIDATION_ERROR",
    names: ["labels"],
  },
  {
    name: "object for task_id",
    tool: T,
    args: { action: "get", task_id: {} },
    code: "VALIDATION_ERROR",
    names: ["task_id"],
  },
  {
    name: "array for task_id",
    tool: T,
    args: { action: "update", task_id: ["TASK"], title: "x" },
    code: "VALIDATION_ERROR",
    names: ["task_id"],
  },
  {
    name: "unknown priority",
    tool: T,
    args: { action: "create", title: "ok", priority: "urgent" },
    code: "VALIDATION_ERROR",
    names: ["priority"],
  },
  {
    name: "number for status",
    tool: T,
    args: { action: "update", task_id: "TASK", status: 1 },
    code: "VALIDATION_ERROR",
    names: ["status"],
  },
  {
    name: "unknown status",
    tool: F,
    args: { action: "set_status", feature_id: "FEATURE", status: "done" },
    code: "VALIDATION_ERROR",
    names: ["status"],
  },
  {
    name: "boolean for description",
    tool: T,
    args: { action: "create", title: "ok", description: false },
    code: "VALIDATION_ERROR",
    names: ["description"],
  },
  {
    name: "array for specification",
    tool: F,
    args: { action: "propose", title: "ok", specification: ["x"] },
    code: "VALIDATION_ERROR",
    names: ["specification"],
  },
  {
    name: "number for assignee",
    tool: T,
    args: { action: "create", title: "ok", assignee: 7 },
    code: "VALIDATION_ERROR",
    names: ["assignee"],
  },
  {
    name: "number for due_date",
    tool: T,
    args: { action: "create", title: "ok", due_date: 20300101 },
    code: "VALIDATION_ERROR",
    names: ["due_date"],
  },
  {
    name: "a date that does not exist",
    tool: T,
    args: { action: "update", task_id: "TASK", due_date: "2031-02-30" },
    code: "VALIDATION_ERROR",
    names: ["due_date"],
  },
  {
    name: "string for include_archived",
    tool: T,
    args: { action: "list", include_archived: "yes" },
    code: "VALIDATION_ERROR",
    names: ["include_archived"],
  },
  {
    name: "several problems at once",
    tool: T,
    args: { action: "create", title: 1, labels: "x", bogus: true },
    code: "VALIDATION_ERROR",
    names: ["title", "labels", "bogus"],
  },
  // Ids of the wrong kind or unknown
  {
    name: "feature id as task_id",
    tool: T,
    args: { action: "get", task_id: UNKNOWN_FEATURE },
    code: "VALIDATION_ERROR",
    names: ["task_id"],
  },
  {
    name: "task id as feature_id",
    tool: F,
    args: { action: "get", feature_id: UNKNOWN_TASK },
    code: "VALIDATION_ERROR",
    names: ["feature_id"],
  },
  {
    name: "a 1 MB task_id",
    tool: T,
    args: { action: "get", task_id: `task_${MB}` },
    code: "VALIDATION_ERROR",
    names: ["task_id"],
  },
  {
    name: "unknown task get",
    tool: T,
    args: { action: "get", task_id: UNKNOWN_TASK },
    code: "NOT_FOUND",
    names: ["task_id", UNKNOWN_TASK],
  },
  {
    name: "unknown task update",
    tool: T,
    args: { action: "update", task_id: UNKNOWN_TASK, title: "x" },
    code: "NOT_FOUND",
    names: ["task_id", UNKNOWN_TASK],
  },
  {
    name: "unknown task archive",
    tool: T,
    args: { action: "archive", task_id: UNKNOWN_TASK },
    code: "NOT_FOUND",
    names: ["task_id", UNKNOWN_TASK],
  },
  {
    name: "unknown feature get",
    tool: F,
    args: { action: "get", feature_id: UNKNOWN_FEATURE },
    code: "NOT_FOUND",
    names: ["feature_id", UNKNOWN_FEATURE],
  },
  {
    name: "unknown feature approve",
    tool: F,
    args: { action: "approve", feature_id: UNKNOWN_FEATURE },
    code: "NOT_FOUND",
    names: ["feature_id", UNKNOWN_FEATURE],
  },
  {
    name: "unknown feature update",
    tool: F,
    args: { action: "update", feature_id: UNKNOWN_FEATURE, title: "x" },
    code: "NOT_FOUND",
    names: ["feature_id", UNKNOWN_FEATURE],
  },
  {
    name: "unknown feature set_status",
    tool: F,
    args: { action: "set_status", feature_id: UNKNOWN_FEATURE, status: "approved" },
    code: "NOT_FOUND",
    names: ["feature_id", UNKNOWN_FEATURE],
  },
  {
    name: "create with an unknown feature_id",
    tool: T,
    args: { action: "create", title: "orphan", feature_id: UNKNOWN_FEATURE },
    code: "NOT_FOUND",
    names: ["feature_id", UNKNOWN_FEATURE],
  },
  {
    name: "create with an unknown parent_task_id",
    tool: T,
    args: { action: "create", title: "orphan", parent_task_id: UNKNOWN_TASK },
    code: "NOT_FOUND",
    names: ["parent_task_id", UNKNOWN_TASK],
  },
  {
    name: "update to an unknown feature_id",
    tool: T,
    args: { action: "update", task_id: "TASK", title: "changed?", feature_id: UNKNOWN_FEATURE },
    code: "NOT_FOUND",
    names: ["feature_id"],
  },
  // Huge strings
  {
    name: "a 1 MB title",
    tool: T,
    args: { action: "create", title: MB },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "a 1 MB title on update",
    tool: T,
    args: { action: "update", task_id: "TASK", title: MB },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "a 1 MB feature title",
    tool: F,
    args: { action: "propose", title: MB },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "a 256-character title",
    tool: T,
    args: { action: "create", title: "t".repeat(256) },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "a 1 MB description",
    tool: T,
    args: { action: "create", title: "ok", description: MB },
    code: "VALIDATION_ERROR",
    names: ["description"],
  },
  {
    name: "a description one character over 65,536",
    tool: T,
    args: { action: "update", task_id: "TASK", description: "d".repeat(65_537) },
    code: "VALIDATION_ERROR",
    names: ["description"],
  },
  {
    name: "a 1 MB specification",
    tool: F,
    args: { action: "update", feature_id: "FEATURE", specification: MB },
    code: "VALIDATION_ERROR",
    names: ["specification"],
  },
  {
    name: "a 1 MB label",
    tool: T,
    args: { action: "create", title: "ok", labels: [MB] },
    code: "VALIDATION_ERROR",
    names: ["labels"],
  },
  {
    name: "a 1 MB query",
    tool: T,
    args: { action: "list", query: MB },
    code: "VALIDATION_ERROR",
    names: ["query"],
  },
  // Binary and control characters
  {
    name: "NUL in title",
    tool: T,
    args: { action: "create", title: "a\u0000b" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "newline in title",
    tool: F,
    args: { action: "propose", title: "two\nlines" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "ANSI escape in title",
    tool: T,
    args: { action: "update", task_id: "TASK", title: "\u001b[31mred" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "NUL in description",
    tool: T,
    args: { action: "create", title: "ok", description: "binary\u0000data" },
    code: "VALIDATION_ERROR",
    names: ["description"],
  },
  {
    name: "BEL and DEL in specification",
    tool: F,
    args: { action: "propose", title: "ok", specification: "ring\u0007\u007f" },
    code: "VALIDATION_ERROR",
    names: ["specification"],
  },
  {
    name: "NUL in a label",
    tool: T,
    args: { action: "create", title: "ok", labels: ["fine", "bad\u0000"] },
    code: "VALIDATION_ERROR",
    names: ["labels"],
  },
  {
    name: "a comma in a label",
    tool: F,
    args: { action: "update", feature_id: "FEATURE", labels: ["a,b"] },
    code: "VALIDATION_ERROR",
    names: ["labels"],
  },
  {
    name: "a lone surrogate in title",
    tool: T,
    args: { action: "create", title: "broken \ud800 text" },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  {
    name: "a blank title",
    tool: T,
    args: { action: "create", title: "   " },
    code: "VALIDATION_ERROR",
    names: ["title"],
  },
  // Paging
  {
    name: "an invalid task cursor",
    tool: T,
    args: { action: "list", cursor: "not-a-cursor" },
    code: "VALIDATION_ERROR",
    names: ["cursor"],
  },
  {
    name: "an invalid feature cursor",
    tool: F,
    args: { action: "list", cursor: btoa('{"before":1}') },
    code: "VALIDATION_ERROR",
    names: ["cursor"],
  },
  {
    name: "a 1 MB cursor",
    tool: T,
    args: { action: "list", cursor: MB },
    code: "VALIDATION_ERROR",
    names: ["cursor"],
  },
  ...[0, 1000, 1.5, -1, "10"].flatMap((limit): Case[] =>
    [T, F].map((tool) => ({
      name: `limit ${JSON.stringify(limit)} on ${tool}`,
      tool,
      args: { action: "list", limit },
      code: "VALIDATION_ERROR",
      names: ["limit"],
    }))
  ),
];

async function seed(c: TestClient): Promise<{ task: string; feature: string }> {
  const feature = await c.call(F, { action: "propose", title: "Seed feature", labels: ["seed"] });
  const task = await c.call(T, { action: "create", title: "Seed task", description: "seed" });
  assert(!feature.isError && !task.isError);
  return { task: task.structured.task.task_id, feature: feature.structured.feature.feature_id };
}

function substitute(value: unknown, ids: { task: string; feature: string }): unknown {
  if (value === "TASK") return ids.task;
  if (value === "FEATURE") return ids.feature;
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  }
  return value;
}

Deno.test("bad input gets a clear error naming the parameter and changes nothing", async (t) => {
  const c = await connectTestClient();
  try {
    const ids = await seed(c);
    const before = await c.dump();
    for (const testCase of CASES) {
      await t.step(testCase.name, async () => {
        const args = substitute(testCase.args, ids) as Record<string, unknown>;
        const result = await c.call(testCase.tool, args);
        assert(result.isError, `accepted: ${result.text.slice(0, 300)}`);
        assertEquals(JSON.parse(result.text), result.structured);
        const error = result.structured.error as { code: string; message: string; hint: string };
        assertEquals(error.code, testCase.code, error.message);
        for (const name of testCase.names) assertStringIncludes(error.message, name);
        assert(error.hint.length > 0, "the hint is empty");
        assert(error.message.length < 2_000, `the message is ${error.message.length} characters long`);
        assertEquals(await c.dump(), before, "the database changed");
      });
    }
  } finally {
    await c.close();
  }
});

Deno.test("an unknown tool is a protocol error, not a tool result, and changes nothing", async () => {
  const c = await connectTestClient();
  try {
    await seed(c);
    const before = await c.dump();
    let message = "";
    try {
      await c.client.callTool({ name: "orchestrator_nothing", arguments: { action: "create" } });
    } catch (error) {
      message = String((error as Error).message);
    }
    assertStringIncludes(message, "orchestrator_nothing");
    assertStringIncludes(message, "orchestrator_task");
    assertEquals(await c.dump(), before);
  } finally {
    await c.close();
  }
});

Deno.test("text at the limits is accepted: a 255-character title and a 65,536-character description", async () => {
  const c = await connectTestClient();
  try {
    const title = "t".repeat(255);
    const description = "d".repeat(65_536);
    const result = await c.call(T, { action: "create", title, description });
    assert(!result.isError, result.text.slice(0, 300));
    const got = await c.call(T, { action: "get", task_id: result.structured.task.task_id });
    assertEquals(got.structured.task.title, title);
    assertEquals(got.structured.task.description, description);
  } finally {
    await c.close();
  }
});

const METACHARACTERS = `Robert'); DROP TABLE tasks;-- 🚀 "quoted" \\ %_`;
const SPECIFICATION =
  `-- comment\n/* block */ SELECT * FROM features WHERE 1=1; \`tick\` $1 ?1 :name @x\r\n` +
  `\ttab, ünïcödé, e\u0301 (not normalized), 中文, 👩‍👩‍👧 family, \u200b zero width, 'single' "double" \\back\\`;

const bytes = (s: string) => Array.from(new TextEncoder().encode(s));

Deno.test("a title of SQL metacharacters and emoji is stored and returned exactly", async () => {
  const c = await connectTestClient();
  try {
    await c.call(T, { action: "create", title: "plain neighbour" });
    const created = await c.call(T, {
      action: "create",
      title: METACHARACTERS,
      description: SPECIFICATION,
      labels: ["it's", `"q"`, "🚀"],
    });
    assert(!created.isError, created.text);
    const taskId = created.structured.task.task_id;
    const got = await c.call(T, { action: "get", task_id: taskId });
    const listed = await c.call(T, { action: "list" });
    const found = await c.call(T, { action: "list", query: "%_" });
    const byLabel = await c.call(T, { action: "list", label: "it's" });
    for (
      const [what, task] of [
        ["create", created.structured.task],
        ["get", got.structured.task],
        ["get (text)", JSON.parse(got.text).task],
        ["list", listed.structured.tasks.find((t: { task_id: string }) => t.task_id === taskId)],
        ["list by query", found.structured.tasks[0]],
        ["list by label", byLabel.structured.tasks[0]],
      ] as const
    ) {
      assert(task !== undefined, `${what} did not return the task`);
      assertEquals(bytes(task.title), bytes(METACHARACTERS), `${what} title`);
      assertEquals(bytes(task.description), bytes(SPECIFICATION), `${what} description`);
      assertEquals(task.labels, [`"q"`, "it's", "🚀"]);
    }
    assertEquals(found.structured.tasks.length, 1, "the query matched LIKE wildcards");
    assertEquals(listed.structured.tasks.length, 2, "the tasks table lost rows");
    const dump = await c.dump();
    assertEquals(dump.tasks!.length, 2);
    assert(
      dump.tasks!.some((row) => (row as { title: string }).title === METACHARACTERS),
      "the row in the database differs",
    );
  } finally {
    await c.close();
  }
});

Deno.test("a feature with SQL metacharacters and emoji is stored and returned exactly", async () => {
  const c = await connectTestClient();
  try {
    const proposed = await c.call(F, {
      action: "propose",
      title: METACHARACTERS,
      specification: SPECIFICATION,
    });
    assert(!proposed.isError, proposed.text);
    const id = proposed.structured.feature.feature_id;
    const got = await c.call(F, { action: "get", feature_id: id });
    const listed = await c.call(F, { action: "list", query: "DROP TABLE" });
    for (
      const feature of [
        got.structured.feature,
        listed.structured.features[0],
        JSON.parse(listed.text).features[0],
      ]
    ) {
      assertEquals(bytes(feature.title), bytes(METACHARACTERS));
      assertEquals(bytes(feature.specification), bytes(SPECIFICATION));
    }
    const updated = await c.call(F, { action: "update", feature_id: id, title: `${METACHARACTERS}!` });
    assertEquals(updated.structured.feature.title, `${METACHARACTERS}!`);
    assertEquals(updated.structured.feature.version, 2);
  } finally {
    await c.close();
  }
});
