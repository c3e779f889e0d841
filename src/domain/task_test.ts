import { assert, assertEquals, assertFalse } from "../testing/assert.ts";
import { canTransitionTask, completedAtAfter, TASK_STATUSES } from "./task.ts";

Deno.test("canTransitionTask() follows the SPEC transitions", () => {
  assert(canTransitionTask("pending", "in_progress"));
  assert(canTransitionTask("pending", "blocked"));
  assert(canTransitionTask("pending", "cancelled"));
  assertFalse(canTransitionTask("pending", "completed"));
  assert(canTransitionTask("in_progress", "completed"));
  assert(canTransitionTask("in_progress", "failed"));
  assertFalse(canTransitionTask("blocked", "completed"));
  assert(canTransitionTask("completed", "pending"));
  assert(canTransitionTask("cancelled", "in_progress"));
  assertFalse(canTransitionTask("completed", "blocked"));
  assert(canTransitionTask("active", "completed"));
});

Deno.test("canTransitionTask() allows archiving and staying put from every status", () => {
  for (const s of TASK_STATUSES) {
    assert(canTransitionTask(s, "archived"));
    assert(canTransitionTask(s, s));
  }
});

Deno.test("completedAtAfter() sets on completion and clears on reopen", () => {
  assertEquals(completedAtAfter({ status: "in_progress", completed_at: null }, "completed", "T"), "T");
  assertEquals(completedAtAfter({ status: "completed", completed_at: "T0" }, "completed", "T"), "T0");
  assertEquals(completedAtAfter({ status: "completed", completed_at: "T0" }, "pending", "T"), null);
});
