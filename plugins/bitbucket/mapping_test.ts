import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { REMOTE_STATUSES } from "../../src/platform/mod.ts";
import {
  type BitbucketIssue,
  issueBody,
  STATE_FOR_STATUS,
  STATUS_FOR_STATE,
  toRemoteIssue,
} from "./mapping.ts";
import plugin from "./mod.ts";

const issue = (over: Partial<BitbucketIssue> = {}): BitbucketIssue => ({
  id: 4,
  title: "T",
  content: { raw: "B" },
  state: "new",
  assignee: { account_id: "557058:abc", nickname: "bob" },
  milestone: { name: "v1" },
  created_on: "2026-01-01T00:00:00.000001+00:00",
  updated_on: "2026-01-02T00:00:00.000002+00:00",
  links: { html: { href: "https://bitbucket.org/a/b/issues/4" } },
  ...over,
});

Deno.test("status mapping writes Bitbucket states and reads them back, failed as cancelled", () => {
  assertEquals(STATE_FOR_STATUS, {
    open: "new",
    in_progress: "open",
    blocked: "on hold",
    completed: "resolved",
    cancelled: "wontfix",
    failed: "wontfix",
  });
  for (const status of REMOTE_STATUSES) {
    const back = STATUS_FOR_STATE[STATE_FOR_STATUS[status]];
    assertEquals(back, plugin.statusAliases?.[status] ?? status, status);
  }
  assertEquals(plugin.statusAliases, { failed: "cancelled" });
  const reads: Record<string, string> = {
    new: "open",
    submitted: "open",
    open: "in_progress",
    "on hold": "blocked",
    resolved: "completed",
    closed: "completed",
    invalid: "cancelled",
    duplicate: "cancelled",
    wontfix: "cancelled",
  };
  for (const [state, status] of Object.entries(reads)) {
    const mapped = toRemoteIssue(issue({ state }), "https://bitbucket.org/a/b");
    assert("issue" in mapped);
    assertEquals(mapped.issue.status, status, state);
  }
});

Deno.test("toRemoteIssue() keeps Bitbucket's fields and microsecond timestamps", () => {
  const mapped = toRemoteIssue(issue(), "https://bitbucket.org/a/b");
  assert("issue" in mapped);
  assertEquals(mapped.issue, {
    number: 4,
    id: "4",
    url: "https://bitbucket.org/a/b/issues/4",
    title: "T",
    body: "B",
    status: "open",
    labels: [],
    assignees: ["557058:abc"],
    milestone: "v1",
    created_at: "2026-01-01T00:00:00.000001+00:00",
    updated_at: "2026-01-02T00:00:00.000002+00:00",
  });
  const bare = toRemoteIssue(
    issue({ content: null, assignee: null, milestone: null, links: undefined }),
    "https://x/a/b",
  );
  assert("issue" in bare);
  assertEquals([bare.issue.body, bare.issue.assignees, bare.issue.milestone], ["", [], null]);
  assertEquals(bare.issue.url, "https://x/a/b/issues/4");
  const broken = toRemoteIssue(issue({ updated_on: "yesterday" }), "https://x/a/b");
  assert("error" in broken);
  assertEquals(broken.error.reason, "Transient");
});

Deno.test("issueBody() sends only the fields present; null milestone and [] assignees clear", () => {
  assertEquals(issueBody({}, "a/b"), { body: {} });
  assertEquals(issueBody({ title: "x", labels: [] }, "a/b"), { body: { title: "x" } });
  assertEquals(
    issueBody({ body: "b", status: "failed", assignees: ["557058:1"], milestone: "v1" }, "a/b"),
    {
      body: {
        content: { raw: "b" },
        state: "wontfix",
        assignee: { account_id: "557058:1" },
        milestone: { name: "v1" },
      },
    },
  );
  assertEquals(issueBody({ assignees: [], milestone: null }, "a/b"), {
    body: { assignee: null, milestone: null },
  });
});

Deno.test("issueBody() refuses labels and several assignees with Unsupported and a hint", () => {
  const labels = issueBody({ title: "x", labels: ["bug"] }, "acme/widgets");
  assert("error" in labels);
  assertEquals(labels.error.reason, "Unsupported");
  assertStringIncludes(labels.error.message, "no labels");
  assertStringIncludes(labels.error.message, "acme/widgets");
  assertStringIncludes(labels.error.hint ?? "", "no labels");
  const two = issueBody({ assignees: ["a", "b"] }, "acme/widgets");
  assert("error" in two);
  assertEquals(two.error.reason, "Unsupported");
  assertStringIncludes(two.error.message, "single assignee");
  assertStringIncludes(two.error.hint ?? "", "one person");
});

Deno.test("the plugin declares Bitbucket's capabilities", () => {
  assertEquals(plugin.id, "bitbucket");
  assertEquals(plugin.capabilities, {
    boards: false,
    releases: false,
    milestones: true,
    milestones_write: false,
    webhooks: true,
    conditional_requests: false,
    labels: false,
    multiple_assignees: false,
    close_reason: false,
  });
  assertEquals(plugin.defaultTokenVariable, "BITBUCKET_TOKEN");
  assertEquals(plugin.apiUrlVariable, "BITBUCKET_API_URL");
  assertEquals(plugin.defaultApiUrl, "https://api.bitbucket.org/2.0");
});
