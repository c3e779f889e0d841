import { assertEquals } from "../testing/assert.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import type { RemoteCard } from "../platform/boards.ts";
import type { BoardLocal, LoadedItem } from "./items.ts";
import { type BoardType, DEFAULT_STATUS_MAPPING, NO_MILESTONE } from "./mapping.ts";
import type { BoardRecord } from "../store/boards_repo.ts";
import { offlineMoves, planMoves, targetOf } from "./targets.ts";

const board = (type: BoardType, columns: readonly string[]): BoardRecord => ({
  board_id: 1,
  config_id: 1,
  board_type: type,
  remote: {
    id: "B1",
    number: 1,
    title: "Board",
    url: null,
    owner: null,
    columns_field_id: null,
    columns: columns.map((name, i) => ({ name, id: `C${i}` })),
  },
  status_mapping: DEFAULT_STATUS_MAPPING,
  adopted: false,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

const task = (id: string, status: string): BoardLocal => ({
  kind: "task",
  item: { task_id: id, title: `Task ${id}`, status } as unknown as Task,
});

const feature = (id: string, status: string): BoardLocal => ({
  kind: "feature",
  item: { feature_id: id, title: `Feature ${id}`, status } as unknown as Feature,
});

const item = (
  n: number,
  local: BoardLocal | undefined,
  column: string,
  sync_status: "synced" | "pending" = "synced",
): LoadedItem => ({
  record: {
    board_id: 1,
    link_id: n,
    item_id: null,
    column,
    synced_column: column,
    sync_status,
    last_error: null,
    created_at: "",
    updated_at: "",
  },
  link: {
    link_id: n,
    issue_number: 100 + n,
    issue_id: null,
    issue_url: null,
  } as unknown as LoadedItem["link"],
  local,
});

const card = (n: number, column: string | null): RemoteCard => ({
  issue_number: 100 + n,
  title: `#${100 + n}`,
  url: null,
  column,
  item_id: `I${n}`,
  milestone: null,
});

const KANBAN = ["Backlog", "To Do", "In Progress", "Blocked", "Done"];

Deno.test("targetOf() maps a status to the board's column of that name, whatever its case", () => {
  const b = board("feature_development", ["backlog", "to do", "in progress", "done"]);
  assertEquals(targetOf(b, columnsOf(b), task("t1", "in_progress"), null), { column: "in progress" });
  assertEquals(targetOf(b, columnsOf(b), feature("f1", "proposed"), null), { column: "backlog" });
});

Deno.test("targetOf() says why an item whose status maps to no column has none", () => {
  const b = board("feature_development", KANBAN);
  assertEquals(targetOf(b, KANBAN, feature("f1", "rejected"), null), {
    reason: 'feature status "rejected" maps to no column of this board (status_mapping)',
  });
});

Deno.test("targetOf() puts release-planning cards in their milestone's column, else in No milestone", () => {
  const b = board("release_planning", ["v1.0", NO_MILESTONE]);
  assertEquals(targetOf(b, ["v1.0", NO_MILESTONE], feature("f1", "completed"), "v1.0"), { column: "v1.0" });
  assertEquals(targetOf(b, ["v1.0", NO_MILESTONE], feature("f1", "completed"), "v2.0"), {
    column: NO_MILESTONE,
  });
});

Deno.test("planMoves() moves only the cards not in their column and confirms the ones the forge has", () => {
  const b = board("feature_development", KANBAN);
  const items = [
    item(1, task("t1", "pending"), "To Do"), // on the forge in To Do, recorded synced: unchanged
    item(2, task("t2", "in_progress"), "To Do", "pending"), // the forge has it in In Progress: confirm
    item(3, task("t3", "completed"), "In Progress"), // on the forge in In Progress: move to Done
    item(4, task("t4", "blocked"), "To Do"), // not on the forge: move from nowhere
    item(5, undefined, "To Do"), // the task is gone
  ];
  const cards = new Map([card(1, "To Do"), card(2, "In Progress"), card(3, "In Progress")].map((c) => [
    c.issue_number,
    c,
  ]));
  const plan = planMoves(b, items, cards, new Map());
  assertEquals(plan.unchanged, 2);
  assertEquals(plan.confirm, [{ link_id: 2, column: "In Progress", synced: true, item_id: "I2" }]);
  assertEquals(plan.plans.map((p) => [p.item.link.link_id, p.from, p.to, p.item_id]), [
    [3, "In Progress", "Done", "I3"],
    [4, null, "Blocked", null],
  ]);
  assertEquals(plan.skipped, [{ issue_number: 105, item: null, reason: "the linked item no longer exists" }]);
});

Deno.test("offlineMoves() keeps pending the columns that changed or were still pending, never on release boards", () => {
  const items = [
    item(1, task("t1", "pending"), "To Do"), // unchanged and synced: nothing to send
    item(2, task("t2", "completed"), "To Do"), // changed: kept pending
    item(3, task("t3", "pending"), "To Do", "pending"), // still pending: kept pending again
    item(4, undefined, "To Do"),
  ];
  assertEquals(offlineMoves(board("feature_development", KANBAN), items, "503"), [
    { link_id: 2, column: "Done", synced: false, error: "503" },
    { link_id: 3, column: "To Do", synced: false, error: "503" },
  ]);
  assertEquals(offlineMoves(board("release_planning", [NO_MILESTONE]), items, "503"), []);
});

function columnsOf(b: BoardRecord): string[] {
  return b.remote.columns.map((c) => c.name);
}
