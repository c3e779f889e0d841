import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../testing/assert.ts";
import { webhookDelivery } from "../../testing/webhooks.ts";
import { type AppFixture, eventually, withApp } from "../test_support.ts";
import { BoardBox } from "./boards.tsx";
import { clip, safeUrl, when } from "./format.ts";
import { DASHBOARD_CSP } from "./routes.tsx";
import { assertInert } from "./test_inert.ts";

const XSS = "<script>alert(1)</script>";
const ATTR_XSS = `"><img src=x onerror=alert(1)>`;

async function page(fx: AppFixture, path = "/", headers: Record<string, string> = {}): Promise<string> {
  const response = await fx.request(path, { headers });
  assertEquals(response.status, 200);
  assertMatch(response.headers.get("content-type") ?? "", /^text\/html/);
  assertEquals(response.headers.get("content-security-policy"), DASHBOARD_CSP);
  return await response.text();
}

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

/** Text as Hono JSX escapes it. */
function escaped(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  )
    .replaceAll("'", "&#39;");
}

/** The columns of a rendered board, in order: name and the HTML of its cards. */
function renderedColumns(board: string): Array<{ name: string; count: number; html: string }> {
  return board.split('<div class="column">').slice(1).map((chunk) => {
    const m = chunk.match(/^<h4>(.*?)<span class="count">(\d+)<\/span><\/h4>/);
    assert(m !== null, `a column without its heading: ${chunk.slice(0, 200)}`);
    return { name: m[1]!, count: Number(m[2]), html: chunk };
  });
}

Deno.test("dashboard boards: each board with its columns and cards, pending moves marked, names escaped", async () => {
  await withApp({ platform: "github" }, async (fx) => {
    const sb = fx.sandbox!;
    await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: sb.repository,
    });
    let html = await page(fx);
    assertFalse(html.includes('id="boards"'), "no board yet: no boards section");

    const { task } = await fx.tool("orchestrator_task", { action: "create", title: `card ${ATTR_XSS}` });
    const { link: taskLink } = await fx.tool("orchestrator_git_integration", {
      action: "create_issue",
      task_id: task.task_id,
    });
    const { feature } = await fx.tool("orchestrator_feature", { action: "propose", title: "Dark mode" });
    await fx.tool("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
    const { link: featureLink } = await fx.tool("orchestrator_git_integration", {
      action: "create_issue",
      feature_id: feature.feature_id,
    });
    const B = "orchestrator_project_board_manager";
    const { board } = await fx.tool(B, {
      action: "create_board",
      board_type: "feature_development",
      title: `Board ${XSS}`,
    });
    await fx.tool(B, { action: "add_to_board", task_id: task.task_id });
    await fx.tool(B, { action: "add_to_board", feature_id: feature.feature_id });
    // The forge is down: the task's move to Done is kept locally, pending.
    sb.faults.add({ kind: "status", status: 503, path: "/api/graphql", times: Infinity });
    const moved = await fx.tool(B, { action: "move_card", task_id: task.task_id, column: "Done" });
    assertEquals(moved.sync_status, "pending");
    sb.faults.clear();
    const [item] = await fx.query<{ last_error: string | null; synced_column: string | null }>(
      "SELECT last_error, synced_column FROM board_items WHERE link_id = ?",
      [taskLink.link_id],
    );
    assert(item!.last_error !== null, "the pending move has no reason recorded");
    assertEquals(item!.synced_column, "To Do");

    html = await page(fx);
    assertInert(html);
    assertStringIncludes(html, '<a class="more" href="/boards">see all</a>');
    const section = await page(fx, "/boards");
    assertInert(section);
    // The board: its name escaped and linked to the project, its type, platform and repository.
    assertFalse(section.includes(XSS));
    assertStringIncludes(
      section,
      `<a href="${board.url}" rel="noreferrer noopener">Board ${escaped(XSS)}</a>`,
    );
    assertStringIncludes(section, "feature development");
    assertStringIncludes(section, `github:${sb.repository} · board ${board.number} · 2 cards`);
    assertStringIncludes(section, '<span class="badge warn">1 pending</span>');
    // Its columns in board order, each with the cards forgesync put there.
    const columns = renderedColumns(section);
    assertEquals(columns.map((c) => c.name), board.columns);
    assertEquals(columns.map((c) => [c.name, c.count]), [
      ["Backlog", 0],
      ["To Do", 1],
      ["In Progress", 0],
      ["Blocked", 0],
      ["Done", 1],
    ]);
    const todo = columns.find((c) => c.name === "To Do")!.html;
    assertStringIncludes(
      todo,
      `<a href="${featureLink.issue_url}" rel="noreferrer noopener">#${featureLink.issue_number}</a> Dark mode`,
    );
    assertStringIncludes(todo, `>${feature.feature_id}</a>`);
    assertFalse(todo.includes("move pending"));
    const done = columns.find((c) => c.name === "Done")!.html;
    assertStringIncludes(done, '<div class="bcard pending">');
    assertStringIncludes(
      done,
      `<a href="${taskLink.issue_url}" rel="noreferrer noopener">#${taskLink.issue_number}</a> card ${
        escaped(ATTR_XSS)
      }`,
    );
    assertFalse(done.includes(ATTR_XSS), "the card's title reached the page unescaped");
    assertStringIncludes(done, `>${task.task_id}</a>`);
    assertStringIncludes(done, "move pending");
    assertStringIncludes(done, "forge has it in To Do");
    assertStringIncludes(done, escaped(clip(item!.last_error, 200)));
  });
});

Deno.test("BoardBox(): no link for a non-http address, cards of a removed column, a card never placed, a clipped list", async () => {
  const card = {
    link_id: 1,
    kind: "task" as const,
    item_id: "task_1",
    item_title: "Local title",
    issue_number: 12,
    issue_url: "javascript:alert(1)",
    issue_title: `Issue <b>title</b>`,
    synced_column: null,
    pending: true,
    last_error: null,
  };
  const html = await BoardBox({
    board: {
      board_id: 1,
      platform: "gitlab",
      repository: "group/sub/project",
      board_type: "sprint_board",
      title: "Sprint",
      number: 3,
      url: "javascript:alert(1)",
      adopted: true,
      columns: [{ name: "To Do", cards: [] }, { name: null, cards: [card] }],
      card_count: 3,
      pending_count: 1,
    },
  }).toString();
  assertInert(html);
  assertFalse(html.includes("javascript:"), "a non-http address became a link");
  assertStringIncludes(html, "<h3>Sprint<span");
  assertStringIncludes(
    html,
    '<span class="badge info">sprint board</span><span class="badge info">adopted</span>',
  );
  assertStringIncludes(html, "gitlab:group/sub/project · board 3 · 1 of 3 cards");
  assertEquals(renderedColumns(html).map((c) => [c.name, c.count]), [["To Do", 0], ["Not in a column", 1]]);
  assertStringIncludes(html, "<b>#12</b> Issue &lt;b&gt;title&lt;/b&gt;");
  assertStringIncludes(html, '<a href="/tasks/task_1">task_1</a> · Local title');
  assertStringIncludes(html, "forge has it in no column yet");
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
