import { assertEquals } from "../../src/testing/assert.ts";
import { DEFAULT_STATUS_LABELS, REMOTE_STATUSES } from "../../src/platform/mod.ts";
import { labelsWithStatus, statusOf, toRemoteIssue, toRemoteMilestone } from "./mapping.ts";
import { hostFromApiUrl, usesBearer } from "./mod.ts";

const L = DEFAULT_STATUS_LABELS;

Deno.test("status mapping: every status written as state + labels reads back as itself", () => {
  for (const status of REMOTE_STATUSES) {
    const labels = labelsWithStatus(["bug", "ui"], status, L);
    const closed = status === "completed" || status === "cancelled" || status === "failed";
    assertEquals(statusOf(closed ? "closed" : "opened", labels, L), status, status);
  }
  assertEquals(labelsWithStatus(["bug"], "open", L), ["bug"]);
  assertEquals(labelsWithStatus(["bug"], "in_progress", L), ["bug", "status: in progress"]);
  assertEquals(labelsWithStatus(["status: blocked", "bug"], "failed", L), ["bug", "status: failed"]);
  assertEquals(labelsWithStatus([], "completed", L), []);
});

Deno.test("status mapping: precedence when several status labels are present", () => {
  const all = [L.in_progress, L.blocked, L.cancelled, L.failed];
  assertEquals(statusOf("opened", all, L), "blocked");
  assertEquals(statusOf("opened", [L.in_progress, L.failed], L), "in_progress");
  assertEquals(statusOf("closed", all, L), "failed");
  assertEquals(statusOf("closed", [L.cancelled, L.in_progress], L), "cancelled");
  assertEquals(statusOf("closed", [L.in_progress], L), "completed");
  assertEquals(statusOf("opened", [L.cancelled], L), "open");
  const custom = { ...L, in_progress: "doing" };
  assertEquals(statusOf("opened", ["doing"], custom), "in_progress");
});

Deno.test("toRemoteIssue() normalizes a GitLab issue", () => {
  const issue = toRemoteIssue({
    id: 700001,
    iid: 3,
    title: "T",
    description: null,
    state: "closed",
    labels: ["zeta", "status: cancelled", "alpha"],
    assignees: [{ username: "carol" }, { username: "alice" }],
    assignee: { username: "carol" },
    milestone: { id: 30001, title: "v1.0" },
    web_url: "https://gitlab.example.com/a/b/-/issues/3",
    created_at: "2026-11-25T20:24:07.123+01:00",
    updated_at: "2026-11-25T19:24:08.000Z",
  }, L);
  assertEquals(issue, {
    number: 3,
    id: "700001",
    url: "https://gitlab.example.com/a/b/-/issues/3",
    title: "T",
    body: "",
    status: "cancelled",
    labels: ["alpha", "zeta"],
    assignees: ["alice", "carol"],
    milestone: "v1.0",
    created_at: "2026-11-25T19:24:07.123Z",
    updated_at: "2026-11-25T19:24:08.000Z",
  });
  const single = toRemoteIssue({
    id: 1,
    iid: 1,
    title: "x",
    description: "d",
    state: "opened",
    labels: [],
    assignee: { username: "bob" },
    milestone: null,
    web_url: "u",
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
  }, L);
  assertEquals([single.assignees, single.milestone, single.body], [["bob"], null, "d"]);
});

Deno.test("toRemoteMilestone() maps active/closed and keeps the global id", () => {
  assertEquals(
    toRemoteMilestone({
      id: 30001,
      title: "v1",
      description: null,
      state: "active",
      due_date: "2026-12-31",
      web_url: "w",
    }),
    { id: "30001", title: "v1", state: "open", description: "", due_on: "2026-12-31", url: "w" },
  );
  assertEquals(
    toRemoteMilestone({ id: 2, title: "v2", description: "d", state: "closed", due_date: null }).state,
    "closed",
  );
});

Deno.test("usesBearer(): GITLAB_AUTH decides, else 64-hex tokens are OAuth", () => {
  assertEquals(usesBearer("glpat-abc", undefined), false);
  assertEquals(usesBearer("a".repeat(64), undefined), true);
  assertEquals(usesBearer("A1".repeat(32), undefined), true);
  assertEquals(usesBearer("a".repeat(63), undefined), false);
  assertEquals(usesBearer("glpat-abc", "bearer"), true);
  assertEquals(usesBearer("glpat-abc", " OAuth "), true);
  assertEquals(usesBearer("a".repeat(64), "private-token"), false);
});

Deno.test("hostFromApiUrl() accepts the API base or the instance URL", () => {
  assertEquals(hostFromApiUrl("https://gitlab.com/api/v4"), "https://gitlab.com");
  assertEquals(hostFromApiUrl("https://gitlab.example.com/api/v4/"), "https://gitlab.example.com");
  assertEquals(hostFromApiUrl("https://example.com/gitlab/api/v4"), "https://example.com/gitlab");
  assertEquals(hostFromApiUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  assertEquals(hostFromApiUrl("gitlab.com"), undefined);
  assertEquals(hostFromApiUrl("ftp://gitlab.com/api/v4"), undefined);
});
