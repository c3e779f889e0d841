import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { fail, run, withRig } from "./test_support.ts";

Deno.test("GitLab milestones are looked up with include_ancestors: a group milestone's title resolves", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const group = sandbox.state.createGroupMilestone("forgesync/platform", { title: "Q3 (group)" });
    const top = sandbox.state.createGroupMilestone("forgesync", { title: "2027 (top group)" });
    sandbox.state.createGroupMilestone("elsewhere", { title: "Not an ancestor" });
    const listed = await run(client.listMilestones!(repo));
    const titles = listed.map((m) => m.title);
    assert(titles.includes("Q3 (group)") && titles.includes("2027 (top group)"), `${titles}`);
    assert(!titles.includes("Not an ancestor"), "only ancestor groups' milestones");
    const issue = await run(
      client.createIssue(repo, { title: "In a group milestone", body: "", milestone: "Q3 (group)" }),
    );
    assertEquals(issue.milestone, "Q3 (group)");
    assertEquals(sandbox.rawIssue(issue.number)!.milestone_id, group.id);
    const moved = await run(client.updateIssue(repo, issue.number, { milestone: "2027 (top group)" }));
    assertEquals([moved.milestone, sandbox.rawIssue(issue.number)!.milestone_id], [
      "2027 (top group)",
      top.id,
    ]);
    assert(
      sandbox.log.entries.filter((e) => e.path.endsWith("/milestones")).every((e) =>
        e.query.includes("include_ancestors=true")
      ),
      "every milestone lookup asks for the ancestors' milestones",
    );
  }));

Deno.test("the GitLab sandbox lists group milestones only with include_ancestors, as GitLab does", () =>
  withRig(async ({ sandbox }) => {
    sandbox.state.createGroupMilestone("forgesync", { title: "Group one" });
    const list = async (query: string) => {
      const res = await fetch(`${sandbox.apiUrl}/projects/${sandbox.project.id}/milestones${query}`, {
        headers: { "private-token": sandbox.token },
      });
      return ((await res.json()) as Array<{ title: string; group_id?: number; project_id?: number }>);
    };
    assertEquals((await list("")).some((m) => m.title === "Group one"), false);
    const withGroups = await list("?include_ancestors=true");
    const found = withGroups.find((m) => m.title === "Group one")!;
    assertEquals([typeof found.group_id, found.project_id], ["number", undefined]);
    assertEquals((await list("?include_parent_milestones=true")).some((m) => m.title === "Group one"), true);
  }));

Deno.test("milestones: list, create, close by global id", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const listed = await run(client.listMilestones!(repo));
    assertEquals(listed.map((m) => m.title).sort(), ["v1.0", "v1.1"]);
    assert(listed.every((m) => m.state === "open" && /^\d+$/.test(m.id)));
    const created = await run(
      client.createMilestone!(repo, { title: "v2.0", description: "Next", due_on: "2026-12-31" }),
    );
    assertEquals([created.title, created.state, created.description, created.due_on], [
      "v2.0",
      "open",
      "Next",
      "2026-12-31",
    ]);
    const stored = sandbox.state.milestoneByTitle(sandbox.project, "v2.0")!;
    assertEquals(created.id, String(stored.id));
    assert(stored.id !== stored.iid);
    const closed = await run(client.closeMilestone!(repo, created.id));
    assertEquals([closed.state, stored.state], ["closed", "closed"]);
    // The new milestone can be used by title at once.
    const issue = await run(client.createIssue(repo, { title: "x", body: "", milestone: "v2.0" }));
    assertEquals(issue.milestone, "v2.0");
    const dup = await fail(client.createMilestone!(repo, { title: "v2.0" }));
    assertEquals(dup.reason, "Invalid");
    assertStringIncludes(dup.message, "has already been taken");
    assertEquals((await fail(client.closeMilestone!(repo, String(stored.iid)))).reason, "NotFound");
    assertEquals((await fail(client.closeMilestone!(repo, "v2.0"))).reason, "Invalid");
  }));
