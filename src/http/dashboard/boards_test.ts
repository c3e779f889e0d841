/**
 * The boards on the dashboard: each board with its columns and cards as forgesync recorded them,
 * pending moves marked, names escaped; and `BoardBox` on its own for the edge cases.
 */
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../testing/assert.ts";
import { withApp } from "../test_support.ts";
import { BoardBox } from "./boards.tsx";
import { clip } from "./format.ts";
import { assertInert } from "./test_inert.ts";
import { ATTR_XSS, page, XSS } from "./test_pages.ts";

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
