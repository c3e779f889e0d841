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

const TOOL = "orchestrator_feature";

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
  assertEquals(result.structured.error.code, code, result.text);
  return result.structured.error;
}

Deno.test("orchestrator_feature propose returns a proposed feature", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, {
      action: "propose",
      title: "Offline mode",
      specification: "## Why\n\nBecause.",
      labels: ["enhancement", "ux"],
      priority: "high",
    });
    assertMatch(feature.feature_id, /^feat_[0-9A-Z]{26}$/);
    assertEquals(feature.status, "proposed");
    assertEquals(feature.specification, "## Why\n\nBecause.");
    assertEquals(feature.labels, ["enhancement", "ux"]);
    assertEquals(feature.priority, "high");
    assertEquals(feature.version, 1);
    assertEquals(feature.links, []);
  });
});

Deno.test("orchestrator_feature get reads a feature and fails with NOT_FOUND for an unknown id", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "Readable" });
    assertEquals((await ok(c, { action: "get", feature_id: feature.feature_id })).feature, feature);
    const error = await refused(
      c,
      { action: "get", feature_id: "feat_01ARZ3NDEKTSV4RRFFQ69G5FAV" },
      "NOT_FOUND",
    );
    assertStringIncludes(error.message, "feat_01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertStringIncludes(error.hint, `orchestrator_feature {action:"list"}`);
  });
});

Deno.test("orchestrator_feature approve moves proposed to approved once", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "Approve me" });
    const { feature: approved } = await ok(c, { action: "approve", feature_id: feature.feature_id });
    assertEquals(approved.status, "approved");
    assertEquals(approved.version, 2);
    const { feature: again } = await ok(c, { action: "approve", feature_id: feature.feature_id });
    assertEquals(again, approved);
    await refused(c, { action: "approve", feature_id: "feat_NOPE" }, "NOT_FOUND");
  });
});

Deno.test("orchestrator_feature approve of a rejected feature is refused with CONFLICT", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "Rejected" });
    await ok(c, { action: "set_status", feature_id: feature.feature_id, status: "rejected" });
    const before = await c.dump();
    const error = await refused(c, { action: "approve", feature_id: feature.feature_id }, "CONFLICT");
    assertStringIncludes(error.message, `from "rejected" to "approved"`);
    assertStringIncludes(error.hint, "proposed");
    assertEquals(await c.dump(), before);
  });
});

Deno.test("orchestrator_feature update changes fields, bumps version, and a no-op keeps it", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "Old", specification: "old" });
    const { feature: changed } = await ok(c, {
      action: "update",
      feature_id: feature.feature_id,
      title: "New",
      specification: "new",
      labels: ["z", "a"],
      priority: "low",
    });
    assertEquals(
      [changed.title, changed.specification, changed.labels, changed.priority, changed.version],
      ["New", "new", ["a", "z"], "low", 2],
    );
    assertEquals(changed.status, "proposed");
    const before = await c.dump();
    const { feature: same } = await ok(c, { action: "update", feature_id: feature.feature_id, title: "New" });
    assertEquals(same, changed);
    assertEquals(await c.dump(), before);
    await refused(c, { action: "update", feature_id: "feat_NOPE", title: "x" }, "NOT_FOUND");
  });
});

Deno.test("orchestrator_feature update does not take a status", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "No status here" });
    const error = await refused(
      c,
      { action: "update", feature_id: feature.feature_id, status: "approved" },
      "VALIDATION_ERROR",
    );
    assertStringIncludes(error.message, `"status" is not a parameter of action "update"`);
  });
});

Deno.test("orchestrator_feature set_status follows the transitions and refuses others with the allowed statuses", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "Lifecycle" });
    const id = feature.feature_id;
    const move = async (status: string) =>
      (await ok(c, { action: "set_status", feature_id: id, status })).feature;
    const before = await c.dump();
    const error = await refused(c, { action: "set_status", feature_id: id, status: "completed" }, "CONFLICT");
    assertStringIncludes(error.message, `"proposed"`);
    assertStringIncludes(error.message, `"completed"`);
    assertStringIncludes(error.hint, "approved");
    assertStringIncludes(error.hint, "rejected");
    assertEquals(await c.dump(), before);
    assertEquals((await move("approved")).status, "approved");
    assertEquals((await move("in_progress")).status, "in_progress");
    const done = await move("completed");
    assertEquals(done.status, "completed");
    assertEquals(done.version, 4);
    const back = await refused(c, { action: "set_status", feature_id: id, status: "proposed" }, "CONFLICT");
    assertStringIncludes(back.hint, "in_progress");
    assertEquals((await move("in_progress")).status, "in_progress");
  });
});

Deno.test("orchestrator_feature list pages with next_cursor and filters", async () => {
  await withClient(async (c) => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { feature } = await ok(c, {
        action: "propose",
        title: `Feature ${i}`,
        specification: i === 2 ? "contains the needle" : "",
        labels: i < 2 ? ["early"] : [],
      });
      ids.push(feature.feature_id);
    }
    await ok(c, { action: "approve", feature_id: ids[3] });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await ok(c, { action: "list", limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...result.features.map((f: { feature_id: string }) => f.feature_id));
      if (result.next_cursor === null) break;
      cursor = result.next_cursor;
    }
    assertEquals(seen, ids);
    const list = async (filter: Record<string, unknown>) =>
      (await ok(c, { action: "list", ...filter })).features.map((f: { feature_id: string }) => f.feature_id);
    assertEquals(await list({ status: "approved" }), [ids[3]]);
    assertEquals(await list({ status: ["approved", "rejected"] }), [ids[3]]);
    assertEquals(await list({ label: "early" }), [ids[0], ids[1]]);
    assertEquals(await list({ query: "NEEDLE" }), [ids[2]]);
    const error = await refused(c, { action: "list", cursor: "bogus" }, "VALIDATION_ERROR");
    assertStringIncludes(error.message, "cursor");
  });
});

Deno.test("orchestrator_feature results carry the feature's own links, not its tasks' links", async () => {
  await withClient(async (c) => {
    const { feature } = await ok(c, { action: "propose", title: "Linked" });
    const task = await c.call("orchestrator_task", {
      action: "create",
      title: "Task of the feature",
      feature_id: feature.feature_id,
    });
    await c.runtime.runPromise(
      Db.use((db) =>
        db.batch([
          {
            sql:
              `INSERT INTO feature_issue_links (feature_id, platform, repository, issue_number, issue_url, sync_status)
                VALUES (?, 'gitlab', 'group/project', 12, 'https://gitlab.com/group/project/-/issues/12', 'pending')`,
            args: [feature.feature_id],
          },
          {
            sql:
              `INSERT INTO feature_issue_links (feature_id, task_id, platform, repository, issue_number, issue_url, sync_status)
                VALUES (?, ?, 'gitlab', 'group/project', 13, 'https://gitlab.com/group/project/-/issues/13', 'synced')`,
            args: [feature.feature_id, task.structured.task.task_id],
          },
        ])
      ).pipe(Effect.asVoid),
    );
    const { feature: read } = await ok(c, { action: "get", feature_id: feature.feature_id });
    assertEquals(read.links.map((l: { issue_number: number }) => l.issue_number), [12]);
    const { features } = await ok(c, { action: "list" });
    assertEquals(features[0].links, read.links);
  });
});
