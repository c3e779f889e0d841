/**
 * plan_release in batches (issue 12, finding 3), through the real MCP client on the sandboxes: the
 * request counts as counts (GitHub: the milestone's list and create, then one GraphQL request per
 * 25 issues; GitLab: one request per issue), and what happens when part of a batch fails — one
 * issue refused, a rate limit after the first batch, a 5xx, a batch whose request got no answer.
 */
import { assert, assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import type { GitHubSandbox } from "../../../testing/github_sandbox.ts";
import { connectTestClient } from "../../../testing/mcp_client.ts";
import { quickSettings, SANDBOX_FACTORIES, sandboxEnv } from "../../../testing/platforms.ts";
import type { SandboxHarness } from "../../../testing/harness.ts";
import { type Ctx, G, type PlatformId, R, withRelease } from "./test_support.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** A feature whose `count` tasks are linked to fresh issues (imported). Returns its id and the issue numbers. */
async function featureWithIssues(
  ok: Ctx<PlatformId>["ok"],
  sb: SandboxHarness,
  count: number,
): Promise<{ id: string; issues: number[] }> {
  const issues = await sb.seedIssues(
    count,
    (i) => ({ title: `Planned ${i}`, status: "open", milestone: null }),
  );
  const { feature } = await ok("orchestrator_feature", { action: "propose", title: "Big release" });
  await ok("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
  const imported = await ok(G, { action: "import_issues", feature_id: feature.feature_id });
  assertEquals(imported.imported.created, count);
  return { id: feature.feature_id, issues };
}

const plan = (feature: string) => ({
  action: "plan_release",
  release_version: "v4.0.0",
  included_features: [feature],
});

/** Issues of the sandbox in the milestone `title`. */
const inMilestone = (sb: SandboxHarness, numbers: readonly number[], title = "v4.0.0") =>
  numbers.filter((n) => sb.readIssue(n)?.milestone === title);

/** How many `updateIssue` mutations the recorded GraphQL requests carried. */
const updateIssueFields = (gh: GitHubSandbox, from = 0) =>
  gh.log.exchanges.slice(from).reduce((n, e) => n + (e.requestBody.match(/updateIssue\(/g)?.length ?? 0), 0);

Deno.test("github: plan_release of 60 linked issues costs 5 requests (milestone list and create, 3 batches of ≤ 25); an immediate second call none", () =>
  withRelease("github", async ({ ok, sb }) => {
    const f = await featureWithIssues(ok, sb, 60);
    const before = sb.log.entries.length;
    const first = await ok(R, plan(f.id));
    assertEquals(first.sync_status, "synced");
    assertEquals(first.release.assigned_issues, f.issues);
    assertEquals(sb.log.entries.length - before, 5);
    assertEquals(sb.log.count({ method: "PATCH" }), 0, "no issue-by-issue REST write");
    assertEquals(inMilestone(sb, f.issues).length, 60);
    const again = sb.log.entries.length;
    const second = await ok(R, plan(f.id));
    assertEquals([second.sync_status, second.already_planned], ["synced", true]);
    assertEquals(sb.log.entries.length - again, 0);
  }));

Deno.test("gitlab: plan_release of 60 linked issues costs 62 requests (one per issue, the milestone looked up once); an immediate second call none", () =>
  withRelease("gitlab", async ({ ok, sb }) => {
    const f = await featureWithIssues(ok, sb, 60);
    const before = sb.log.entries.length;
    const first = await ok(R, plan(f.id));
    assertEquals(first.sync_status, "synced");
    assertEquals(sb.log.entries.length - before, 62);
    assertEquals(inMilestone(sb, f.issues).length, 60);
    const again = sb.log.entries.length;
    await ok(R, plan(f.id));
    assertEquals(sb.log.entries.length - again, 0);
  }));

Deno.test("github: one issue of a batch refused (deleted) is reported alone; the rest of its batch is assigned and recorded", () =>
  withRelease("github", async ({ ok, sb }) => {
    const f = await featureWithIssues(ok, sb, 30);
    const gone = f.issues[7]!;
    sb.state.deleteIssue(sb.repoRec, gone);
    const first = await ok(R, plan(f.id));
    assertEquals(first.sync_status, "failed");
    assertStringIncludes(first.reason, "refused");
    const refused = first.issues.filter((i: Json) => !i.assigned);
    assertEquals(refused.map((i: Json) => i.issue_number), [gone]);
    assertStringIncludes(refused[0].reason, `issue #${gone}`);
    assertEquals(first.release.assigned_issues, f.issues.filter((n) => n !== gone));
    assertEquals(inMilestone(sb, f.issues).length, 29);
  }));

Deno.test("github: a rate limit after the first batch keeps what landed and the rest pending; the next call sends only the rest", () =>
  withRelease("github", async ({ ok, sb }) => {
    const f = await featureWithIssues(ok, sb, 60);
    sb.log.record();
    sb.setGraphqlBudget(1);
    const first = await ok(R, plan(f.id));
    assertEquals(first.sync_status, "pending");
    assertStringIncludes(first.reason, "rate limit");
    assertEquals(first.release.assigned_issues, f.issues.slice(0, 25));
    assertEquals(inMilestone(sb, f.issues), f.issues.slice(0, 25));
    const waiting = first.issues.filter((i: Json) => !i.assigned);
    assertEquals(waiting.length, 35);
    assertStringIncludes(waiting[0].reason, "rate limit");
    assertEquals(waiting.at(-1).reason, "waiting for the forge");

    sb.setGraphqlBudget(5000);
    const mark = sb.log.exchanges.length;
    const second = await ok(R, plan(f.id));
    assertEquals(second.sync_status, "synced");
    assertEquals(second.release.assigned_issues, f.issues);
    // The milestone listed once (REST), then per batch a read and a write: 35 issues written, not 60.
    assertEquals(sb.log.exchanges.length - mark, 5);
    assertEquals(updateIssueFields(sb, mark), 35);
  }));

Deno.test("github: a 5xx on a batch is retried by the core (an answered idempotent write), and nothing is lost or doubled", () =>
  withRelease("github", async ({ ok, sb }) => {
    const f = await featureWithIssues(ok, sb, 30);
    sb.log.record();
    sb.faults.add({ kind: "status", status: 502, method: "POST", path: "/api/graphql", times: 1 });
    const first = await ok(R, plan(f.id));
    assertEquals(first.sync_status, "synced");
    assertEquals(first.release.assigned_issues, f.issues);
    assertEquals(sb.log.count({ path: "/api/graphql" }), 3, "2 batches, the first one twice");
    assertEquals(sb.log.count({ path: "/api/graphql", status: 502 }), 1);
  }));

Deno.test("github: a batch whose request got no answer is not sent again blindly: the next call reads the issues and sends only those not in the milestone", async () => {
  const sb = await SANDBOX_FACTORIES.github();
  const c = await connectTestClient(sandboxEnv(sb), {
    settings: quickSettings({ timeoutMs: 300, maxAttempts: 3, maxDelayMs: 2, maxWaitSeconds: 0 }),
  });
  // deno-lint-ignore no-explicit-any
  const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
    const r = await c.call(tool, args);
    if (r.isError) throw new Error(`${tool} ${String(args.action)}: ${r.text}`);
    return r.structured;
  };
  try {
    await ok(G, { action: "configure", platform: "github", repository: sb.repository });
    const f = await featureWithIssues(ok, sb, 60);
    sb.log.record();
    // The first batch's request: the forge applies it after the client gave up.
    sb.faults.add({ kind: "latency", ms: 600, method: "POST", path: "/api/graphql" });
    const first = await ok(R, plan(f.id));
    assertEquals(first.sync_status, "pending");
    assertEquals(first.release.assigned_issues, [], "nothing is known to have landed");
    assertStringIncludes(first.issues[0].reason, "did not answer");
    await new Promise((r) => setTimeout(r, 700));
    // (The sandbox logs a request once it has answered it.)
    assertEquals(sb.log.count({ path: "/api/graphql" }), 1, "not retried, and the other batches wait");
    assertEquals(inMilestone(sb, f.issues), f.issues.slice(0, 25), "the forge applied it meanwhile");

    const mark = sb.log.exchanges.length;
    const second = await ok(R, plan(f.id));
    assertEquals(second.sync_status, "synced");
    assertEquals(second.release.assigned_issues, f.issues);
    assertEquals(updateIssueFields(sb, mark), 35, "the batch that landed was read, not sent again");
    assertEquals(updateIssueFields(sb), 60, "every issue written exactly once");
    assert(inMilestone(sb, f.issues).length === 60);
  } finally {
    await c.close();
    await sb.close();
  }
});
