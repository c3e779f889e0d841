import { assertEquals } from "../testing/assert.ts";
import type { IssueDraft } from "../platform/types.ts";
import { draftSnapshot } from "./snapshots.ts";

const draft: IssueDraft = {
  title: "Dark mode",
  body: "Text\n\n<!-- forgesync:task=task_1 -->",
  status: "in_progress",
  labels: ["ui", "docs", "ui"],
  assignees: ["bob"],
};

Deno.test("draftSnapshot() is the draft in remote terms, sets sorted and unique", () => {
  assertEquals(draftSnapshot(draft), {
    title: "Dark mode",
    body: draft.body,
    status: "in_progress",
    labels: ["docs", "ui"],
    assignees: ["bob"],
  });
  assertEquals(draftSnapshot({ title: "x", body: "" }).status, "open");
});
