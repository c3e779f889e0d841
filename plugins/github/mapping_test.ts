import { DEFAULT_STATUS_LABELS, PlatformError, REMOTE_STATUSES } from "../../src/platform/mod.ts";
import type { StatusLabels } from "../../src/platform/mod.ts";
import { assert, assertEquals, assertThrows } from "../../src/testing/assert.ts";
import {
  dueOnForWrite,
  fromGitHubStatus,
  labelsForWrite,
  toGitHubStatus,
  toRemoteIssue,
  toRemoteMilestone,
} from "./mapping.ts";

const L = DEFAULT_STATUS_LABELS;

Deno.test("every status survives the trip to GitHub's fields and back", () => {
  const custom: StatusLabels = {
    in_progress: "WIP",
    blocked: "On Hold",
    failed: "Broken",
    cancelled: "nope",
  };
  for (const labels of [L, custom]) {
    for (const status of REMOTE_STATUSES) {
      const gh = toGitHubStatus(status, labels);
      assertEquals(fromGitHubStatus(gh.state, gh.state_reason, ["x", ...gh.labels], labels), status, status);
    }
  }
  assertEquals(toGitHubStatus("failed", L), {
    state: "closed",
    state_reason: "not_planned",
    labels: [L.failed],
  });
  assertEquals(toGitHubStatus("completed", L), { state: "closed", state_reason: "completed", labels: [] });
});

Deno.test("GitHub states people make by hand read as the nearest status", () => {
  assertEquals(fromGitHubStatus("closed", "duplicate", [], L), "cancelled");
  assertEquals(fromGitHubStatus("closed", null, [], L), "completed", "closed before close reasons existed");
  assertEquals(fromGitHubStatus("closed", "reopened", [], L), "completed");
  assertEquals(fromGitHubStatus("open", "reopened", [], L), "open");
  assertEquals(
    fromGitHubStatus("open", null, ["STATUS: IN PROGRESS"], L),
    "in_progress",
    "label case is ignored",
  );
  assertEquals(fromGitHubStatus("open", null, [L.in_progress, L.blocked], L), "blocked");
  assertEquals(fromGitHubStatus("open", null, [L.failed], L), "open", "failed needs a close");
  assertEquals(fromGitHubStatus("closed", "completed", [L.failed], L), "completed");
});

Deno.test("labels to write replace the status labels and de-duplicate", () => {
  assertEquals(labelsForWrite(["bug", "Status: Blocked", "BUG"], "in_progress", L), ["bug", L.in_progress]);
  assertEquals(labelsForWrite(["a"], "open", L), ["a"]);
  assertEquals(labelsForWrite([], "failed", L), [L.failed]);
});

const issue = {
  number: 7,
  node_id: "I_kwDOx",
  id: 77,
  html_url: "https://github.com/o/r/issues/7",
  title: "T",
  body: null,
  state: "closed",
  state_reason: "not_planned",
  labels: [{ name: "zeta" }, { name: L.failed }, "alpha"],
  assignees: [{ login: "zed" }, { login: "amy" }],
  milestone: { title: "v1" },
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-02T00:00:00Z",
};

Deno.test("issue JSON maps to a RemoteIssue", () => {
  assertEquals(toRemoteIssue(issue, L, "reading"), {
    number: 7,
    id: "I_kwDOx",
    url: "https://github.com/o/r/issues/7",
    title: "T",
    body: "",
    status: "failed",
    labels: ["alpha", "zeta"],
    assignees: ["amy", "zed"],
    milestone: "v1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-02T00:00:00Z",
  });
  const single = toRemoteIssue({ ...issue, assignees: undefined, assignee: { login: "solo" } }, L, "reading");
  assertEquals(single.assignees, ["solo"]);
});

Deno.test("anything but issue JSON is a Transient malformed-body failure", () => {
  const bad: unknown[] = [
    "<html>upstream garbage",
    "",
    null,
    [],
    { ...issue, number: "7" },
    { ...issue, title: 5 },
    { ...issue, labels: "bug" },
    { ...issue, labels: [{ nom: "x" }] },
    { ...issue, assignees: [{}] },
    { ...issue, milestone: { name: "v1" } },
    { ...issue, updated_at: undefined },
    { ...issue, body: 12 },
  ];
  for (const data of bad) {
    const e = assertThrows(() => toRemoteIssue(data, L, "reading issue #7"));
    assert(e instanceof PlatformError, String(e));
    assertEquals(e.reason, "Transient", JSON.stringify(data));
    assert(e.message.includes("reading issue #7"), e.message);
  }
});

Deno.test("milestones map, and due dates are sent at noon UTC", () => {
  assertEquals(
    toRemoteMilestone({
      number: 3,
      title: "v3",
      state: "closed",
      description: null,
      due_on: "2026-12-01T08:00:00Z",
      html_url: "https://github.com/o/r/milestone/3",
    }, "x"),
    {
      id: "3",
      title: "v3",
      state: "closed",
      description: "",
      due_on: "2026-12-01",
      url: "https://github.com/o/r/milestone/3",
    },
  );
  assertEquals(dueOnForWrite("2026-12-01"), "2026-12-01T12:00:00Z");
  assertEquals(dueOnForWrite("2026-12-01T00:00:00Z"), "2026-12-01T12:00:00Z");
  assertEquals(dueOnForWrite("next friday"), undefined);
  assertEquals(dueOnForWrite("2026-13-45"), undefined);
});
