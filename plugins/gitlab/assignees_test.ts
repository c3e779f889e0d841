import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { droppedAssignees, keepsOneAssignee } from "./assignees.ts";
import { run, withRig } from "./test_support.ts";

Deno.test("droppedAssignees() names the dropped and kept assignees and the fix, or is null", () => {
  assertEquals(droppedAssignees([], []), null);
  assertEquals(droppedAssignees(["Alice", "bob"], ["alice", "bob"]), null);
  const text = droppedAssignees(["alice", "bob"], ["alice"])!;
  assertStringIncludes(text, 'GitLab kept 1 of the 2 assignees asked for (dropped "bob"; kept "alice")');
  assertStringIncludes(text, "GitLab Premium or Ultimate");
  assertStringIncludes(droppedAssignees(["zed"], [])!, 'dropped "zed")');
});

Deno.test("keepsOneAssignee() tells GitLab Free's first-only rule from a dropped non-member", () => {
  assertEquals(keepsOneAssignee(["alice", "bob"], ["alice"]), true);
  assertEquals(keepsOneAssignee(["alice"], []), false);
  assertEquals(keepsOneAssignee(["alice", "bob"], ["bob"]), false);
});

Deno.test("GitLab Free: an issue keeps the first of several assignees; the plugin says so, then sends one", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const created = await run(
      client.createIssue(repo, { title: "Two people", body: "", assignees: ["bob", "alice"] }),
    );
    assertEquals(created.assignees, ["bob"]);
    assertEquals(sandbox.readIssue(created.number)!.assignees, ["bob"]);
    assertEquals(created.warnings?.length, 1);
    assertStringIncludes(created.warnings![0]!, 'dropped "alice"; kept "bob"');
    // The instance keeps one: the next write sends only the first, and still says what was dropped.
    sandbox.log.record();
    const updated = await run(client.updateIssue(repo, created.number, { assignees: ["carol", "alice"] }));
    const put = sandbox.log.exchanges.find((e) => e.method === "PUT")!;
    assertEquals(JSON.parse(put.requestBody).assignee_ids.length, 1);
    assertEquals(updated.assignees, ["carol"]);
    assertStringIncludes(updated.warnings![0]!, 'dropped "alice"; kept "carol"');
    // A write that asks for one assignee warns of nothing.
    const one = await run(client.updateIssue(repo, created.number, { assignees: ["bob"] }));
    assertEquals([one.assignees, one.warnings], [["bob"], undefined]);
  }));

Deno.test("GitLab Premium: an issue keeps every assignee and no warning is given", () =>
  withRig(async ({ client, repo }) => {
    const created = await run(
      client.createIssue(repo, { title: "Two people", body: "", assignees: ["bob", "alice"] }),
    );
    assertEquals([created.assignees, created.warnings], [["alice", "bob"], undefined]);
  }, { edition: "premium" }));
