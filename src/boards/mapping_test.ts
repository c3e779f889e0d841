import fc from "fast-check";
import { assert, assertEquals } from "../testing/assert.ts";
import {
  columnForMilestone,
  columnForStatus,
  columnsFor,
  DEFAULT_STATUS_MAPPING,
  findColumn,
  kindsOf,
  mergeMapping,
  NO_MILESTONE,
  openMilestoneColumns,
} from "./mapping.ts";
import { FEATURE_STATUSES } from "../domain/feature.ts";
import { TASK_STATUSES } from "../domain/task.ts";

Deno.test("columnsFor() gives the default boards their columns in workflow order", () => {
  assertEquals(columnsFor("feature_development", DEFAULT_STATUS_MAPPING), [
    "Backlog",
    "To Do",
    "In Progress",
    "Blocked",
    "Done",
  ]);
  assertEquals(columnsFor("sprint_board", DEFAULT_STATUS_MAPPING), [
    "To Do",
    "In Progress",
    "Blocked",
    "Done",
  ]);
  assertEquals(columnsFor("release_planning", DEFAULT_STATUS_MAPPING, ["v1.0", "v2.0", "V1.0"]), [
    NO_MILESTONE,
    "v1.0",
    "v2.0",
  ]);
});

Deno.test("mergeMapping() overrides status by status; active follows an overridden in_progress", () => {
  const m = mergeMapping({
    features: { proposed: "Ideas" },
    tasks: { in_progress: "Doing", blocked: "On hold" },
  });
  assertEquals(m.features, {
    proposed: "Ideas",
    approved: "To Do",
    in_progress: "In Progress",
    completed: "Done",
  });
  assertEquals(m.tasks, {
    pending: "To Do",
    active: "Doing",
    in_progress: "Doing",
    blocked: "On hold",
    completed: "Done",
  });
  assertEquals(columnsFor("feature_development", m), [
    "Ideas",
    "To Do",
    "In Progress",
    "Doing",
    "On hold",
    "Done",
  ]);
  assertEquals(mergeMapping({ tasks: { in_progress: "Doing", active: "Active" } }).tasks.active, "Active");
  assertEquals(mergeMapping(undefined), DEFAULT_STATUS_MAPPING);
});

Deno.test("columnForStatus() maps statuses, and leaves unmapped ones without a column", () => {
  assertEquals(columnForStatus(DEFAULT_STATUS_MAPPING, "feature", "approved"), "To Do");
  assertEquals(columnForStatus(DEFAULT_STATUS_MAPPING, "task", "blocked"), "Blocked");
  assertEquals(columnForStatus(DEFAULT_STATUS_MAPPING, "task", "cancelled"), undefined);
  assertEquals(columnForStatus(DEFAULT_STATUS_MAPPING, "feature", "rejected"), undefined);
  assertEquals(kindsOf("sprint_board"), ["task"]);
});

Deno.test("findColumn() matches exactly, else one case-insensitive column; columnForMilestone() falls back to No milestone", () => {
  assertEquals(findColumn(["To Do", "Done"], "To Do"), "To Do");
  assertEquals(findColumn(["To Do", "Done"], " to do "), "To Do");
  assertEquals(findColumn(["Done", "DONE"], "done"), undefined);
  assertEquals(findColumn(["Done", "DONE"], "DONE"), "DONE");
  assertEquals(columnForMilestone([NO_MILESTONE, "v1.0"], "v1.0"), "v1.0");
  assertEquals(columnForMilestone([NO_MILESTONE, "v1.0"], "v9"), NO_MILESTONE);
  assertEquals(columnForMilestone([NO_MILESTONE, "v1.0"], null), NO_MILESTONE);
});

Deno.test("columnsFor() lists every mapped column once, so every mapped status has its column", () => {
  const name = fc.constantFrom("A", "b", "B", "To Do", "Done", "x y");
  const features = fc.record(Object.fromEntries(FEATURE_STATUSES.map((s) => [s, name])), {
    requiredKeys: [],
  });
  const tasks = fc.record(Object.fromEntries(TASK_STATUSES.map((s) => [s, name])), { requiredKeys: [] });
  fc.assert(fc.property(features, tasks, (f, t) => {
    const mapping = mergeMapping({ features: f, tasks: t });
    const columns = columnsFor("feature_development", mapping);
    assertEquals(new Set(columns.map((c) => c.toLowerCase())).size, columns.length);
    for (const status of FEATURE_STATUSES) {
      const column = columnForStatus(mapping, "feature", status);
      if (column !== undefined) assert(findColumn(columns, column) !== undefined, `${column} in ${columns}`);
    }
    for (const status of TASK_STATUSES) {
      const column = columnForStatus(mapping, "task", status);
      if (column !== undefined) assert(findColumn(columns, column) !== undefined, `${column} in ${columns}`);
    }
  }));
});

Deno.test("openMilestoneColumns() orders open milestones by due date, then by title with numbers as numbers", () => {
  assertEquals(
    openMilestoneColumns([
      { title: "v1.10", state: "open", due_on: null },
      { title: "v2.0", state: "open", due_on: "2027-01-01" },
      { title: "v1.9", state: "open", due_on: null },
      { title: "v0.9", state: "closed", due_on: "2020-01-01" },
      { title: "v3.0", state: "open", due_on: "2026-06-01" },
    ]),
    ["v3.0", "v2.0", "v1.9", "v1.10"],
  );
});
