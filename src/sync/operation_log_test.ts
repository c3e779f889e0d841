import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { outcomeOf } from "./operation_log.ts";
import { R, withRelease } from "../mcp/tools/release/test_support.ts";
import { B, withBoards } from "../mcp/tools/board/test_support.ts";
import type { TestClient } from "../testing/mcp_client.ts";

// deno-lint-ignore no-explicit-any
type Row = Record<string, any>;

async function logs(c: TestClient): Promise<Row[]> {
  const { sync_status_logs } = await c.dump(["sync_status_logs"]);
  return (sync_status_logs as Row[]).filter((r) => r.operation_type !== "issue_sync");
}

Deno.test("outcomeOf() reads pending or failed parts of a result as retry, with their reasons", () => {
  assertEquals(outcomeOf({ board: { id: 1 } }), { status: "completed", errors: [] });
  assertEquals(outcomeOf({ release: {}, sync_status: "synced" }), { status: "completed", errors: [] });
  assertEquals(outcomeOf({ sync_status: "pending", reason: "down" }), { status: "retry", errors: ["down"] });
  assertEquals(outcomeOf({ card: { sync_status: "failed", error: "refused" } }), {
    status: "retry",
    errors: ["refused"],
  });
  assertEquals(outcomeOf(null), { status: "completed", errors: [] });
});

Deno.test("release actions that touch the forge write milestone_sync rows: completed, retry when the forge is down, failed when refused", () =>
  withRelease("github", async ({ ok, fails, sb, c, feature }) => {
    await ok(R, { action: "create_milestone", title: "Sprint 9", due_on: "2030-01-31" });
    let rows = await logs(c);
    assertEquals(rows.length, 1);
    assertEquals([rows[0]!.operation_type, rows[0]!.operation_status], ["milestone_sync", "completed"]);
    assert(rows[0]!.requests >= 1, "the requests it sent are counted");
    assert(rows[0]!.finished_at >= rows[0]!.started_at && rows[0]!.duration_ms >= 0, "timed");
    // Local-only actions write no row.
    await ok(R, { action: "status" });
    assertEquals((await logs(c)).length, 1);
    const a = await feature("Dark mode");
    sb.faults.add({ kind: "status", status: 503, times: 1000 });
    const offline = await ok(R, {
      action: "plan_release",
      release_version: "v1.0.0",
      included_features: [a.id],
    });
    assertEquals(offline.sync_status, "pending");
    sb.faults.clear();
    rows = await logs(c);
    assertEquals([rows[1]!.operation_type, rows[1]!.operation_status], ["milestone_sync", "retry"]);
    assertStringIncludes(JSON.parse(rows[1]!.errors)[0], "plan_release again");
    await ok(R, { action: "plan_release", release_version: "v1.0.0" });
    await ok(R, { action: "tag_release", release_version: "v1.0.0" });
    rows = await logs(c);
    assertEquals(rows.slice(2).map((r) => [r.operation_type, r.operation_status]), [
      ["milestone_sync", "completed"],
      ["milestone_sync", "completed"],
    ]);
    // A refusal (a tagged release is final) is logged as failed, with its message.
    await fails(R, { action: "cancel_release", release_version: "v1.0.0" });
    rows = await logs(c);
    assertEquals(rows.at(-1)!.operation_status, "failed");
    assertStringIncludes(JSON.parse(rows.at(-1)!.errors)[0], "already tagged");
  }));

Deno.test("board actions that touch the forge write status_update rows; a dry run writes none", () =>
  withBoards("github", async ({ ok, fails, c, task }) => {
    const t = await task("Card");
    await ok(B, { action: "create_board", title: "Work", board_type: "sprint_board" });
    await ok(B, { action: "add_to_board", task_id: t.id });
    await ok(B, { action: "move_card", task_id: t.id, column: "Done" });
    await ok(B, { action: "update_progress", dry_run: true });
    await ok(B, { action: "update_progress" });
    await ok(B, { action: "view" });
    await fails(B, { action: "move_card", task_id: t.id, column: "Nowhere" }, "VALIDATION_ERROR");
    const rows = await logs(c);
    assertEquals(rows.map((r) => [r.operation_type, r.operation_status]), [
      ["status_update", "completed"],
      ["status_update", "completed"],
      ["status_update", "completed"],
      ["status_update", "completed"],
      ["status_update", "failed"],
    ]);
    assert(rows[0]!.requests >= 3, `create_board sent ${rows[0]!.requests} requests`);
    assertStringIncludes(JSON.parse(rows[4]!.errors)[0], "Nowhere");
  }));
