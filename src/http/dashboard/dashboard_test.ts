/**
 * The dashboard's overview through the real Hono app: with the integration disabled, with a
 * repository (passes, budget, links, conflicts, deliveries), behind the token and the guards; and
 * its formatting helpers. Boards are in `boards_test.ts`, the lists and item pages in `pages_test.ts`,
 * the forms and sign-in in `forms_test.ts`.
 */
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../testing/assert.ts";
import { webhookDelivery } from "../../testing/webhooks.ts";
import { eventually, withApp } from "../test_support.ts";
import { clip, safeUrl, when } from "./format.ts";
import { assertInert } from "./test_inert.ts";
import { ATTR_XSS, page, XSS } from "./test_pages.ts";

Deno.test("dashboard with the integration disabled: tasks and features only, every text escaped", async () => {
  await withApp({}, async (fx) => {
    const { task } = await fx.tool("orchestrator_task", { action: "create", title: XSS, labels: [ATTR_XSS] });
    const { feature } = await fx.tool("orchestrator_feature", { action: "propose", title: ATTR_XSS });
    const { task: archived } = await fx.tool("orchestrator_task", {
      action: "create",
      title: "Archived one",
    });
    await fx.tool("orchestrator_task", { action: "archive", task_id: archived.task_id });

    const html = await page(fx);
    assert(html.startsWith("<!DOCTYPE html>"));
    assertStringIncludes(html, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assertStringIncludes(html, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertInert(html);
    assertStringIncludes(html, task.task_id);
    const features = await page(fx, "/features");
    assertInert(features);
    assertStringIncludes(features, feature.feature_id);
    assertStringIncludes(features, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertEquals((await fx.request("/links")).status, 404, "no links page while the integration is off");
    assertFalse(html.includes('href="/links"'), "no link to the Git pages");
    assertFalse(html.includes("Archived one"), "archived tasks are not listed");
    assertStringIncludes(html, "Git integration is disabled");
    for (const section of ['id="repositories"', 'id="links"', 'id="conflicts"', 'id="webhooks"']) {
      assertFalse(html.includes(section), section);
    }
    assertFalse(/<link|@import|url\(/i.test(html), "the page loads nothing from elsewhere");
  });
});

Deno.test("dashboard with a repository: passes, budget, links with their state and last error, conflicts, deliveries", async () => {
  const secret = `whsec-${crypto.randomUUID()}`;
  await withApp({ platform: "github", env: { DASHBOARD_HOOK_SECRET: secret } }, async (fx) => {
    const { config } = await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: fx.sandbox!.repository,
      conflict_policy: "manual",
      webhook_secret_name: "DASHBOARD_HOOK_SECRET",
    });
    const { task } = await fx.tool("orchestrator_task", { action: "create", title: XSS });
    const { link } = await fx.tool("orchestrator_git_integration", {
      action: "create_issue",
      task_id: task.task_id,
    });
    const { task: gone } = await fx.tool("orchestrator_task", {
      action: "create",
      title: "Its issue is deleted",
    });
    const { link: goneLink } = await fx.tool("orchestrator_git_integration", {
      action: "create_issue",
      task_id: gone.task_id,
    });
    // Both sides change the title: with the manual policy, a conflict is recorded.
    await fx.tool("orchestrator_task", {
      action: "update",
      task_id: task.task_id,
      title: `local ${ATTR_XSS}`,
    });
    await fx.sandbox!.remoteEdit(link.issue_number, { title: `remote ${XSS}` });
    // The other issue is deleted on the forge while edited here: its link fails with an error.
    await fx.sandbox!.deleteIssue(goneLink.issue_number);
    await fx.tool("orchestrator_task", { action: "update", task_id: gone.task_id, title: "Edited here" });
    await fx.client.call("orchestrator_git_integration", { action: "sync_status" });
    const d = await webhookDelivery("github", {
      secret,
      repository: config.repository,
      issue: link.issue_number,
    });
    const hook = await fx.request("/webhooks/github", { method: "POST", headers: d.headers, body: d.body });
    assertEquals(hook.status, 202);
    await eventually("the webhook's pass", async () => {
      const rows = await fx.query("SELECT id FROM sync_status_logs");
      return rows.length >= 2 ? true : undefined;
    });

    const html = await page(fx);
    assertInert(html);
    assertStringIncludes(html, `github:${config.repository}`);
    // The last passes, as logged: one bar per pass in each chart, failed ones in red.
    const logged = await fx.query<{ operation_status: string }>(
      "SELECT operation_status FROM sync_status_logs ORDER BY id",
    );
    assertEquals(logged.length, 2);
    const chart = html.slice(html.indexOf("Requests per pass"), html.indexOf("Changes per pass"));
    assertEquals(
      [...chart.matchAll(/<rect class="(bar(?: failed)?)"/g)].map((m) => m[1]),
      logged.map((r) => (r.operation_status === "completed" ? "bar" : "bar failed")),
    );
    // The budget the sandbox reported.
    const budget = fx.sandbox!.budget!();
    assertMatch(html, new RegExp(`\\d+ of ${budget.limit}`));
    // Links: the issue link, its sync state, and the failed link's last error.
    const linksPage = await page(fx, "/links");
    assertInert(linksPage);
    const [failedLink] = await fx.query<{ sync_status: string; last_error: string | null }>(
      "SELECT sync_status, last_error FROM feature_issue_links WHERE id = ?",
      [goneLink.link_id],
    );
    assert(
      failedLink!.last_error !== null,
      `the deleted issue's link has no error: ${JSON.stringify(failedLink)}`,
    );
    assertStringIncludes(
      linksPage,
      clip(failedLink!.last_error, 300).replaceAll("&", "&amp;").replaceAll('"', "&quot;"),
    );
    assertStringIncludes(
      linksPage,
      `<a href="${link.issue_url}" rel="noreferrer noopener"><span class="repo">${config.repository}</span>#`,
    );
    // The open conflict with both values, escaped.
    const conflicts = await fx.query<{ id: number }>("SELECT id FROM sync_conflicts WHERE status = 'open'");
    assertEquals(conflicts.length, 1);
    const conflictsTable = await page(fx, "/conflicts");
    assertInert(conflictsTable);
    assertStringIncludes(conflictsTable, "local &quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertStringIncludes(conflictsTable, "remote &lt;script&gt;alert(1)&lt;/script&gt;");
    // The delivery.
    const deliveries = html.slice(html.indexOf('id="webhooks"'));
    assertStringIncludes(deliveries, "issues.edited");
    assertStringIncludes(deliveries, `#${link.issue_number}`);
    assertFalse(html.includes(secret), "the webhook secret reached the page");
    assertFalse(html.includes('id="boards"'), "no board was made: no boards section");
    assertFalse(html.includes('href="/boards">see all'));
  });
});

Deno.test("dashboard: behind the bearer token and the Origin and Host guards", async () => {
  await withApp({ env: { FORGESYNC_HTTP_TOKEN: "dash-t0ken" } }, async (fx) => {
    const without = await fx.request("/");
    assertEquals(without.status, 401);
    assertStringIncludes(without.headers.get("www-authenticate") ?? "", "Bearer");
    await without.body?.cancel();
    const wrong = await fx.request("/", { headers: { authorization: "Bearer dash-t0ken2" } });
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
    await page(fx, "/", { authorization: "Bearer dash-t0ken" });
    const foreign = await fx.request("/", {
      headers: { authorization: "Bearer dash-t0ken", origin: "https://evil.example" },
    });
    assertEquals(foreign.status, 403);
    await foreign.body?.cancel();
    const rebound = await fx.request("/", {
      headers: { authorization: "Bearer dash-t0ken", host: "attacker.test" },
    });
    assertEquals(rebound.status, 403);
    await rebound.body?.cancel();
  });
});

Deno.test("dashboard helpers: clip, safeUrl and when", () => {
  assertEquals(clip("ünïcødé ✓", 3), "ünï…");
  assertEquals(clip(null), "");
  assertEquals(clip("failed with ghp_0123456789abcdefghijABCDEFGHIJ"), "failed with [REDACTED]");
  assertEquals(safeUrl("https://github.com/o/r/issues/1"), "https://github.com/o/r/issues/1");
  assertEquals(safeUrl("javascript:alert(1)"), undefined);
  assertEquals(safeUrl(null), undefined);
  assertEquals(when("2026-01-02T03:04:05.678Z"), "2026-01-02 03:04");
  assertEquals(when(null), "—");
});
