/**
 * The GitHub sandbox's harness methods and its status representation.
 */
import { REMOTE_STATUSES } from "../../platform/types.ts";
import { assert, assertEquals } from "../assert.ts";
import { createGitHubSandbox } from "./sandbox.ts";
import { api, ManualClock } from "./test_helpers.ts";

Deno.test("seeded issues get distinct, increasing timestamps in the past", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 0 });
  try {
    const first = await gh.seedIssues(3);
    const second = await gh.seedIssues(
      2,
      (i) => ({ title: `custom ${i}`, labels: ["x"], assignees: ["bob"] }),
    );
    assertEquals([...first, ...second], [1, 2, 3, 4, 5]);
    const stamps = [...first, ...second].map((n) => Date.parse(gh.readIssue(n)!.updated_at));
    for (let i = 1; i < stamps.length; i++) assert(stamps[i]! > stamps[i - 1]!, "strictly increasing");
    assert(stamps.at(-1)! < clock.now(), "in the past");
    assertEquals(gh.readIssue(5), {
      number: 5,
      title: "custom 1",
      body: "",
      status: "open",
      labels: ["x"],
      assignees: ["bob"],
      milestone: null,
      updated_at: gh.readIssue(5)!.updated_at,
      deleted: false,
    });
  } finally {
    await gh.close();
  }
});

Deno.test("each status is held the GitHub way and reads back", async () => {
  const gh = await createGitHubSandbox();
  try {
    const expected = {
      open: ["open", null, []],
      in_progress: ["open", null, ["status: in progress"]],
      blocked: ["open", null, ["status: blocked"]],
      completed: ["closed", "completed", []],
      cancelled: ["closed", "not_planned", []],
      failed: ["closed", "not_planned", ["status: failed"]],
    } as const;
    for (const status of REMOTE_STATUSES) {
      const n = await gh.remoteCreate({ title: status, status, labels: ["keep"] });
      const raw = (await api(gh, `/repos/${gh.repository}/issues/${n}`)).json;
      const [state, reason, labels] = expected[status];
      assertEquals([raw.state, raw.state_reason], [state, reason], status);
      assertEquals(
        raw.labels.map((l: { name: string }) => l.name).sort(),
        ["keep", ...labels].sort(),
        status,
      );
      assertEquals(gh.readIssue(n)!.status, status);
      assertEquals(gh.readIssue(n)!.labels, ["keep"], "status labels are not plain labels");
    }
  } finally {
    await gh.close();
  }
});

Deno.test("remoteEdit moves between every pair of statuses and advances updated_at", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    const n = await gh.remoteCreate({ title: "walker", labels: ["a"], milestone: "v1.0" });
    for (const from of REMOTE_STATUSES) {
      for (const to of REMOTE_STATUSES) {
        await gh.remoteEdit(n, { status: from });
        clock.advance(1_000);
        await gh.remoteEdit(n, { status: to });
        const held = gh.readIssue(n)!;
        assertEquals(held.status, to, `${from} → ${to}`);
        assertEquals(held.labels, ["a"], `${from} → ${to} keeps plain labels`);
        assertEquals(Date.parse(held.updated_at), Math.floor(clock.now() / 1000) * 1000);
      }
    }
    await gh.remoteEdit(n, { labels: ["b"], milestone: null, assignees: ["carol"], body: "new" });
    const held = gh.readIssue(n)!;
    assertEquals([held.labels, held.milestone, held.assignees, held.body], [["b"], null, ["carol"], "new"]);
    assertEquals(held.status, REMOTE_STATUSES.at(-1), "a labels edit keeps the status");
  } finally {
    await gh.close();
  }
});

Deno.test("harness edits refuse unknown milestones; reads of unknown issues are undefined", async () => {
  const gh = await createGitHubSandbox();
  try {
    let refused = false;
    try {
      await gh.remoteCreate({ title: "x", milestone: "no such" });
    } catch {
      refused = true;
    }
    assert(refused, "an unknown milestone title is a test bug, not a silent create");
    assertEquals(gh.readIssue(12345), undefined);
    assertEquals(gh.readIssue(1), undefined, "pull requests are not issues");
    assertEquals(gh.budget!(), { remaining: 5000, limit: 5000 });
    assertEquals(gh.platform, "github");
    assertEquals(gh.users.includes("alice"), true);
  } finally {
    await gh.close();
  }
});
