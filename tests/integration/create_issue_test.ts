/**
 * create_issue under refusal and under concurrency (SPEC §12): a create the forge refuses keeps
 * nothing — not the link, not the task made for `issue_config` — and many calls for one item, from
 * two server processes at once, make one issue and all answer with its link.
 */
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { sandboxEnv } from "../../src/testing/platforms.ts";
import { dumpSync, issuesWithMarker, openSession, PLATFORMS, query, taskMarker } from "./sync_support.ts";
import { startServer } from "./server_processes.ts";

const G = "orchestrator_git_integration";
const ISSUES = /\/issues\/?$/;

for (const pc of PLATFORMS) {
  Deno.test(`${pc.platform}: a create_issue the forge refuses keeps nothing, not even the task made for issue_config`, async (t) => {
    const s = await openSession(pc);
    try {
      await s.configure();
      const refusals = [
        { status: 422, code: "VALIDATION_ERROR" },
        { status: 403, code: "FORBIDDEN" },
        { status: 401, code: "UNAUTHORIZED" },
      ];
      for (const { status, code } of refusals) {
        await t.step(`${status}`, async () => {
          const before = await dumpSync(s.c);
          s.h.faults.add({ kind: "status", status, method: "POST", path: ISSUES });
          const r = await s.call(G, { action: "create_issue", issue_config: { title: `Refused ${status}` } });
          assert(r.isError, r.text);
          assertEquals(r.structured.error.code, code, r.text);
          assertEquals(await dumpSync(s.c), before);
        });
      }
      if (!pc.labels) {
        await t.step("labels on a forge without labels", async () => {
          const before = await dumpSync(s.c);
          const r = await s.call(G, {
            action: "create_issue",
            issue_config: { title: "With labels", labels: ["bug"] },
          });
          assertEquals(r.structured.error.code, "UNSUPPORTED", r.text);
          assertEquals(await dumpSync(s.c), before);
        });
      }
      assertEquals(s.h.issueNumbers().length, 0);
    } finally {
      await s.close();
    }
  });
}

Deno.test("github: 30 create_issue calls for one task from two server processes make one issue, all answer its link", async () => {
  const pc = PLATFORMS[0]!;
  const h = await pc.factory();
  const dir = await Deno.makeTempDir({ prefix: "forgesync_parallel_" });
  const env = { ...sandboxEnv(h), FORGESYNC_DB_URL: `file:${dir}/forgesync.db` };
  const [a, b] = [await startServer(env), await startServer(env)];
  try {
    await a.ok(G, { action: "configure", platform: "github", repository: h.repository });
    const { task } = await a.ok("orchestrator_task", { action: "create", title: "Once only" });
    const answers = await Promise.all(
      Array.from(
        { length: 30 },
        (_, i) => (i % 2 === 0 ? a : b).call(G, { action: "create_issue", task_id: task.task_id }),
      ),
    );
    const errors = answers.filter((r) => r.isError).map((r) => r.text);
    assertEquals(errors, [], "no call failed");
    const numbers = issuesWithMarker(h, taskMarker(task.task_id));
    assertEquals(numbers.length, 1, `one issue: ${numbers}`);
    for (const r of answers) {
      assertEquals([r.structured.link.task_id, r.structured.link.issue_number], [task.task_id, numbers[0]]);
      assertEquals(r.structured.sync_status, "synced");
    }
    assertEquals(answers.filter((r) => r.structured.already_linked !== true).length, 1, "one call made it");
    const links = await a.ok(G, { action: "status" });
    assertEquals(links.repositories[0].links.synced, 1);
  } finally {
    await a.close();
    await b.close();
    await h.close();
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
});

Deno.test("gitlab Free: an issue created with two assignees keeps one, and the link's last error says so", async () => {
  const s = await openSession(PLATFORMS.find((p) => p.platform === "gitlab")!);
  try {
    await s.configure();
    const [first, second] = s.h.users;
    const created = await s.git({
      action: "create_issue",
      issue_config: { title: "Two assignees", assignees: [first, second] },
    });
    assertEquals(created.sync_status, "synced");
    const [link] = await query<{ last_error: string | null }>(
      s.c,
      "SELECT last_error FROM feature_issue_links WHERE id = ?",
      [created.link.link_id],
    );
    assertStringIncludes(link!.last_error ?? "", "Premium");
    assertEquals(s.h.readIssue(created.link.issue_number)!.assignees.length, 1);
  } finally {
    await s.close();
  }
});
