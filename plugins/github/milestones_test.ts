/**
 * The GitHub plugin's operations with the real Octokit against the GitHub sandbox.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { connectTo, failure, run } from "./test_helpers.ts";

Deno.test("milestones: list, create with a due date, close by number or title", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const before = await run(client.listMilestones!(repo));
    assertEquals(before.map((m) => [m.title, m.state, m.due_on]), [["v1.0", "open", "2027-01-15"], [
      "v2.0",
      "open",
      null,
    ]]);
    const made = await run(
      client.createMilestone!(repo, { title: "v3.0", description: "Third", due_on: "2026-12-01" }),
    );
    assertEquals([made.title, made.due_on, made.description, made.state], [
      "v3.0",
      "2026-12-01",
      "Third",
      "open",
    ]);
    assertMatch(made.url ?? "", /\/milestone\/3$/);
    const dup = await failure(client.createMilestone!(repo, { title: "v3.0" }));
    assertEquals(dup.reason, "Invalid");
    assertStringIncludes(dup.message, "already_exists");
    assertEquals(
      (await failure(client.createMilestone!(repo, { title: "v4", due_on: "soon" }))).reason,
      "Invalid",
    );
    assertEquals((await run(client.closeMilestone!(repo, made.id))).state, "closed");
    assertEquals((await run(client.closeMilestone!(repo, "v1.0"))).state, "closed");
    const unknown = await failure(client.closeMilestone!(repo, "v8"));
    assertEquals(unknown.reason, "Invalid");
    assertStringIncludes(unknown.message, '"v8"');
    const all = await run(client.listMilestones!(repo));
    assertEquals(all.map((m) => `${m.title}:${m.state}`).sort(), ["v1.0:closed", "v2.0:open", "v3.0:closed"]);
    const closedTitle = await run(client.createIssue(repo, { title: "late", body: "", milestone: "v3.0" }));
    assertEquals(closedTitle.milestone, "v3.0", "closed milestones still resolve by title");
  } finally {
    await gh.close();
  }
});

Deno.test("milestones list every page", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    for (let i = 0; i < 105; i++) {
      await run(client.createMilestone!(repo, { title: `m${i}` }));
    }
    assertEquals((await run(client.listMilestones!(repo))).length, 107);
  } finally {
    await gh.close();
  }
});
