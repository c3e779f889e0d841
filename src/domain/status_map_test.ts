import { assertEquals } from "../testing/assert.ts";
import { featureToRemote, remoteToFeature, remoteToTask, taskToRemote } from "./status_map.ts";
import { TASK_STATUSES } from "./task.ts";
import { FEATURE_STATUSES } from "./feature.ts";
import { REMOTE_STATUSES } from "../platform/types.ts";

Deno.test("task statuses map to the SPEC's remote statuses", () => {
  assertEquals(TASK_STATUSES.map(taskToRemote), [
    "open",
    "in_progress",
    "in_progress",
    "blocked",
    "completed",
    "failed",
    "cancelled",
    "cancelled",
  ]);
});

Deno.test("a task status survives a round trip through the forge (active stays active)", () => {
  for (const s of TASK_STATUSES) {
    if (s === "archived") continue;
    assertEquals(remoteToTask(taskToRemote(s), s), s);
  }
  assertEquals(remoteToTask("in_progress", "pending"), "in_progress");
  assertEquals(remoteToTask("open", "completed"), "pending", "a reopened issue reopens the task");
});

Deno.test("feature statuses map both ways, keeping proposed/approved while open", () => {
  assertEquals(FEATURE_STATUSES.map(featureToRemote), [
    "open",
    "open",
    "in_progress",
    "completed",
    "cancelled",
  ]);
  for (const s of FEATURE_STATUSES) assertEquals(remoteToFeature(featureToRemote(s), s), s);
  assertEquals(remoteToFeature("open", "completed"), "approved");
  assertEquals(REMOTE_STATUSES.map((r) => remoteToFeature(r, "approved")), [
    "approved",
    "in_progress",
    "in_progress",
    "completed",
    "rejected",
    "rejected",
  ]);
});
