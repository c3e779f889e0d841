import { assert, assertEquals } from "../../src/testing/assert.ts";
import { run, withRig } from "./test_support.ts";

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
