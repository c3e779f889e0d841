import { Redacted, Result } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox, type GitHubSandbox } from "../../src/testing/github_sandbox.ts";
import type { IssueKey, PlatformClient, RemoteMilestone, RepoRef } from "../../src/platform/mod.ts";
import { connectTo, failure, run } from "./test_helpers.ts";
import { BATCH_SIZE } from "./milestone_batch.ts";

async function withGitHub(
  f: (gh: GitHubSandbox, client: PlatformClient, repo: RepoRef) => Promise<void>,
): Promise<void> {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    const { client, repo } = await connectTo(gh);
    await f(gh, client, repo);
  } finally {
    await gh.close();
  }
}

const posts = (gh: GitHubSandbox) => gh.log.count({ method: "POST", path: "/api/graphql" });

/** The sandbox issues `numbers` with their node ids (as links store them). */
function keys(gh: GitHubSandbox, numbers: readonly number[]): IssueKey[] {
  return numbers.map((number) => ({ number, id: gh.repoRec.issues[number - 1]!.node_id }));
}

function milestoneOf(gh: GitHubSandbox, number: number): string | null {
  const m = gh.repoRec.issues[number - 1]!.milestone;
  return m === null ? null : gh.repoRec.milestones[m - 1]!.title;
}

Deno.test(`GitHub setMilestones: ${BATCH_SIZE} issues in one request when ids are known, and readMilestones reads them in one`, () =>
  withGitHub(async (gh, client, repo) => {
    const numbers = await gh.seedIssues(BATCH_SIZE, (i) => ({ title: `Issue ${i}`, milestone: null }));
    const milestone = await run(client.createMilestone!(repo, { title: "v5.0" }));
    assert(milestone.global_id !== undefined, "the REST answer's node_id is kept");
    const before = gh.log.entries.length;
    const updatedAt = gh.repoRec.issues[numbers[0]! - 1]!.updated_at;
    const results = await run(client.setMilestones!(repo, milestone, keys(gh, numbers)));
    assertEquals(gh.log.entries.length - before, 1, "one GraphQL request, no lookup");
    assertEquals(results.map(Result.isSuccess), numbers.map(() => true));
    assertEquals(numbers.map((n) => milestoneOf(gh, n)), numbers.map(() => "v5.0"));
    assert(
      gh.repoRec.issues[numbers[0]! - 1]!.updated_at >= updatedAt,
      "the issue's version moves as on REST",
    );

    const read = await run(client.readMilestones!(repo, keys(gh, numbers)));
    assertEquals(gh.log.entries.length - before, 2);
    assertEquals(read.map((r) => Result.getOrThrow(r)), numbers.map(() => "v5.0"));
  }));

Deno.test("GitHub setMilestones: unknown ids cost one lookup; the milestone is found by number", () =>
  withGitHub(async (gh, client, repo) => {
    const numbers = await gh.seedIssues(3, (i) => ({ title: `Issue ${i}`, milestone: null }));
    const made = await run(client.createMilestone!(repo, { title: "v6.0" }));
    const bare: RemoteMilestone = { ...made, global_id: undefined };
    const before = posts(gh);
    const results = await run(
      client.setMilestones!(repo, bare, numbers.map((number) => ({ number, id: null }))),
    );
    assertEquals(posts(gh) - before, 2, "one lookup (issues and milestone), one mutation");
    assertEquals(results.filter(Result.isSuccess).length, 3);
    assertEquals(numbers.map((n) => milestoneOf(gh, n)), ["v6.0", "v6.0", "v6.0"]);
    const gone = await failure(client.setMilestones!(repo, { ...bare, id: "99" }, keys(gh, numbers)));
    assertEquals(gone.reason, "NotFound");
    assertStringIncludes(gone.message, "milestone numbered 99");
  }));

Deno.test("GitHub setMilestones: a deleted issue is refused alone, the others of the batch are written", () =>
  withGitHub(async (gh, client, repo) => {
    const numbers = await gh.seedIssues(4, (i) => ({ title: `Issue ${i}`, milestone: null }));
    const milestone = await run(client.createMilestone!(repo, { title: "v7.0" }));
    const known = keys(gh, numbers);
    gh.state.deleteIssue(gh.repoRec, numbers[1]!);
    const results = await run(client.setMilestones!(repo, milestone, known));
    assertEquals(results.map(Result.isSuccess), [true, false, true, true]);
    const refused = Result.isFailure(results[1]!) ? results[1].failure : undefined;
    assertEquals(refused?.reason, "NotFound");
    assertStringIncludes(refused!.message, `issue #${numbers[1]}`);
    assertEquals([numbers[0], numbers[2], numbers[3]].map((n) => milestoneOf(gh, n!)), [
      "v7.0",
      "v7.0",
      "v7.0",
    ]);

    // Unknown ids: the lookup refuses the deleted issue, and it is not sent.
    gh.state.deleteIssue(gh.repoRec, numbers[2]!);
    const other = await run(client.createMilestone!(repo, { title: "v8.0" }));
    const before = posts(gh);
    const again = await run(
      client.setMilestones!(repo, other, numbers.map((number) => ({ number, id: null }))),
    );
    assertEquals(posts(gh) - before, 2);
    assertEquals(again.map(Result.isSuccess), [true, false, false, true]);
    assertEquals([milestoneOf(gh, numbers[0]!), milestoneOf(gh, numbers[3]!)], ["v8.0", "v8.0"]);
    const read = await run(client.readMilestones!(repo, known));
    assertEquals(read.map((r) => Result.isSuccess(r) ? r.success : r.failure.reason), [
      "v8.0",
      "NotFound",
      "NotFound",
      "v8.0",
    ]);
  }));

Deno.test("GitHub setMilestones: a spent GraphQL budget fails the whole call RateLimited, a read-only token Forbidden, and nothing is written", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    const { client, repo } = await connectTo(gh);
    const numbers = await gh.seedIssues(2, (i) => ({ title: `Issue ${i}`, milestone: null }));
    const milestone = await run(client.createMilestone!(repo, { title: "v9.0" }));
    const { client: reader } = await connectTo(gh, { token: Redacted.make(gh.tokens.read) });
    const refused = await run(reader.setMilestones!(repo, milestone, keys(gh, numbers)));
    assertEquals(refused.map((r) => Result.isFailure(r) ? r.failure.reason : "written"), [
      "Forbidden",
      "Forbidden",
    ]);
    assertStringIncludes(Result.isFailure(refused[0]!) ? refused[0].failure.hint ?? "" : "", '"repo" scope');
    gh.setGraphqlBudget(0);
    const limited = await failure(client.setMilestones!(repo, milestone, keys(gh, numbers)));
    assertEquals(limited.reason, "RateLimited");
    assert((limited.retryAfterSeconds ?? 0) > 0);
    assertEquals(numbers.map((n) => milestoneOf(gh, n)), [null, null]);
    const tooMany = await failure(
      client.setMilestones!(
        repo,
        milestone,
        Array.from({ length: BATCH_SIZE + 1 }, (_, i) => ({ number: i + 1, id: null })),
      ),
    );
    assertEquals(tooMany.reason, "Invalid");
  } finally {
    await gh.close();
  }
});
