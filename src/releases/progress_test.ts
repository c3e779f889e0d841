import fc from "fast-check";
import { assert, assertEquals } from "../testing/assert.ts";
import { FEATURE_STATUSES } from "../domain/feature.ts";
import { TASK_STATUSES } from "../domain/task.ts";
import { countTasks, featureProgress, releaseProgress } from "./progress.ts";

Deno.test("countTasks() leaves cancelled and archived tasks out and counts active as in progress", () => {
  assertEquals(
    countTasks([
      "completed",
      "pending",
      "active",
      "in_progress",
      "blocked",
      "failed",
      "cancelled",
      "archived",
    ]),
    { total: 6, completed: 1, in_progress: 2, blocked: 1, pending: 1, failed: 1 },
  );
});

Deno.test("featureProgress() is 1 for a completed feature, else the share of completed tasks", () => {
  assertEquals(featureProgress("feat_a", "completed", ["pending"]).progress, 1);
  assertEquals(featureProgress("feat_a", "completed", ["pending"]).done, true);
  assertEquals(featureProgress("feat_a", "in_progress", ["completed", "pending", "failed"]).progress, 0.33);
  assertEquals(featureProgress("feat_a", "in_progress", ["completed", "cancelled"]).progress, 1);
  assertEquals(featureProgress("feat_a", "in_progress", ["completed", "cancelled"]).done, false);
  assertEquals(featureProgress("feat_a", "approved", []).progress, 0);
  assertEquals(featureProgress("feat_a", "approved", ["archived"]).progress, 0);
});

Deno.test("a share short of the whole never shows as done: 199 of 200 tasks is 0.99 and 99 %", () => {
  const tasks = [...Array(199).fill("completed"), "pending"] as const;
  const one = featureProgress("feat_a", "in_progress", [...tasks]);
  assertEquals(one.progress, 0.99);
  assertEquals(releaseProgress([one]).percent, 99);
});

Deno.test("releaseProgress() is the mean of its features, with counts", () => {
  const out = releaseProgress([
    featureProgress("feat_a", "completed", []),
    featureProgress("feat_b", "in_progress", ["completed", "pending"]),
    featureProgress("feat_c", "approved", []),
  ]);
  assertEquals(out, {
    features_total: 3,
    features_completed: 1,
    tasks_total: 2,
    tasks_completed: 1,
    progress: 0.5,
    percent: 50,
  });
  assertEquals(releaseProgress([]).progress, 0);
});

Deno.test("progress stays within 0–1 and is 1 exactly when every feature is completed or fully done", () => {
  fc.assert(fc.property(
    fc.array(
      fc.record({
        status: fc.constantFrom(...FEATURE_STATUSES),
        tasks: fc.array(fc.constantFrom(...TASK_STATUSES), { maxLength: 8 }),
      }),
      { maxLength: 10 },
    ),
    (features) => {
      const each = features.map((f, i) => featureProgress(`feat_${i}`, f.status, f.tasks));
      const all = releaseProgress(each);
      for (const f of each) assert(f.progress >= 0 && f.progress <= 1);
      assert(all.progress >= 0 && all.progress <= 1);
      const full = each.length > 0 &&
        each.every((f) => f.done || (f.tasks.total > 0 && f.tasks.completed === f.tasks.total));
      return (all.percent === 100) === full;
    },
  ));
});
