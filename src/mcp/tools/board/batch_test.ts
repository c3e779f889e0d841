/**
 * Board moves in batches on GitHub (issue 12, finding 4), through the real MCP client: the request
 * counts as counts — add_to_board without re-reading the board and without setting a column the
 * card is in, update_progress in batches of 25 Status changes — and what happens when part of a
 * batch fails: one issue refused, a rate limit after the first batch, a 5xx, a batch whose request
 * got no answer, a column renewed on GitHub since the board was stored.
 */
import { assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import type { GitHubSandbox } from "../../../testing/github_sandbox.ts";
import { quickSettings } from "../../../testing/platforms.ts";
import { B, type Ctx, G, withBoards } from "./test_support.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** GraphQL requests of the sandbox so far. */
const posts = (gh: GitHubSandbox) => gh.log.count({ method: "POST", path: "/api/graphql" });

/** The Status of each item of the sandbox's first project, by issue number. */
function statuses(gh: GitHubSandbox): Record<number, string | null> {
  const project = [...gh.projects.byId.values()][0]!;
  return Object.fromEntries(
    project.items.map((i) => [i.issue.number, gh.projects.valueByName(i, "Status")?.option.name ?? null]),
  );
}

/** How many Status changes the recorded GraphQL requests carried. */
const statusChanges = (gh: GitHubSandbox, from = 0) =>
  gh.log.exchanges.slice(from).reduce(
    (n, e) => n + (e.requestBody.match(/updateProjectV2ItemFieldValue\(/g)?.length ?? 0),
    0,
  );

/**
 * A sprint board with `count` cards in To Do (tasks imported from fresh issues, added one by one).
 * Returns the task id of each issue, in issue order.
 */
async function sprintBoard(
  ctx: Ctx<"github">,
  count: number,
): Promise<Array<{ task: string; issue: number }>> {
  const numbers = await ctx.sb.seedIssues(
    count,
    (i) => ({ title: `Card ${i}`, status: "open", milestone: null }),
  );
  await ctx.ok(G, { action: "import_issues" });
  const listed = await ctx.ok("orchestrator_task", { action: "list", limit: 200 });
  const byIssue = new Map<number, string>(
    listed.tasks.map((t: Json) => [t.links[0].issue_number as number, t.task_id as string]),
  );
  await ctx.ok(B, { action: "create_board", board_type: "sprint_board" });
  const cards = numbers.map((issue) => ({ task: byIssue.get(issue)!, issue }));
  for (const { task } of cards) await ctx.ok(B, { action: "add_to_board", task_id: task });
  return cards;
}

/** Moves the first `count` cards' tasks to in_progress locally. */
async function start(
  ctx: Ctx<"github">,
  cards: ReadonlyArray<{ task: string }>,
  count: number,
): Promise<void> {
  for (const { task } of cards.slice(0, count)) {
    await ctx.ok("orchestrator_task", { action: "update", task_id: task, status: "in_progress" });
  }
}

Deno.test("GitHub board: add_to_board costs 2 requests for a new card and 1 for a card already in its column; move_card 2", () =>
  withBoards("github", async (ctx) => {
    const { sb, ok } = ctx;
    const [first] = await sprintBoard(ctx, 1);
    const [other] = await sb.seedIssues(1, () => ({ title: "One more", status: "open", milestone: null }));
    await ok(G, { action: "import_issues" });
    const listed = await ok("orchestrator_task", { action: "list", limit: 200 });
    const task = listed.tasks.find((t: Json) => t.links[0].issue_number === other).task_id;
    let mark = posts(sb);
    const added = await ok(B, { action: "add_to_board", task_id: task });
    assertEquals([added.card.column, added.already_on_board], ["To Do", false]);
    assertEquals(posts(sb) - mark, 2, "add the item, set its column: no board read");
    mark = posts(sb);
    const again = await ok(B, { action: "add_to_board", task_id: first!.task });
    assertEquals([again.card.column, again.already_on_board, again.sync_status], ["To Do", true, "synced"]);
    assertEquals(posts(sb) - mark, 1, "the add answers the card's column: nothing to set");
    mark = posts(sb);
    const moved = await ok(B, { action: "move_card", task_id: first!.task, column: "Done" });
    assertEquals(moved.card.column, "Done");
    assertEquals(posts(sb) - mark, 2, "move_card: no board read either");
    assertEquals(statuses(sb), { [first!.issue]: "Done", [other!]: "To Do" });
  }));

Deno.test("GitHub board: update_progress after 30 changes on a 60-card board costs 4 requests", () =>
  withBoards("github", async (ctx) => {
    const { sb, ok } = ctx;
    const cards = await sprintBoard(ctx, 60);
    await start(ctx, cards, 30);
    const before = sb.log.entries.length;
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals([pushed.moved.length, pushed.unchanged, pushed.sync_status], [30, 30, "synced"]);
    assertEquals(sb.log.entries.length - before, 4, "board, one page of cards, 2 batches of Status changes");
    assertEquals(Object.values(statuses(sb)).filter((s) => s === "In Progress").length, 30);
  }));

Deno.test("GitHub board: update_progress skips a deleted issue alone; the rest of its batch moves", () =>
  withBoards("github", async (ctx) => {
    const { sb, ok } = ctx;
    const cards = await sprintBoard(ctx, 10);
    await start(ctx, cards, 10);
    const gone = cards[3]!.issue;
    sb.state.deleteIssue(sb.repoRec, gone);
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals(pushed.moved.length, 9);
    assertEquals(pushed.skipped.map((s: Json) => s.issue_number), [gone]);
    assertStringIncludes(pushed.skipped[0].reason, `issue #${gone}`);
    assertEquals([pushed.pending, pushed.sync_status], [0, "synced"]);
    assertEquals(
      Object.entries(statuses(sb)).filter(([, s]) => s === "In Progress").length,
      9,
    );
  }));

Deno.test("GitHub board: a rate limit after the first batch keeps the moves made and the rest pending; the next update_progress sends only the rest", () =>
  withBoards("github", async (ctx) => {
    const { sb, ok } = ctx;
    const cards = await sprintBoard(ctx, 30);
    await start(ctx, cards, 30);
    sb.log.record();
    sb.setGraphqlBudget(3); // the board, its cards, the first batch
    const first = await ok(B, { action: "update_progress" });
    assertEquals([first.moved.length, first.pending, first.sync_status], [25, 5, "pending"]);
    assertStringIncludes(first.reason, "rate limit");
    const view = await ok(B, { action: "view" });
    assertEquals(view.source, "local");
    sb.setGraphqlBudget(5000);
    const mark = sb.log.exchanges.length;
    const second = await ok(B, { action: "update_progress" });
    assertEquals([second.moved.length, second.unchanged, second.sync_status], [5, 25, "synced"]);
    assertEquals(sb.log.exchanges.length - mark, 3);
    assertEquals(statusChanges(sb, mark), 5);
    assertEquals(Object.values(statuses(sb)).every((s) => s === "In Progress"), true);
  }));

Deno.test("GitHub board: a 5xx on a batch is retried by the core; every card moves once", () =>
  withBoards("github", async (ctx) => {
    const { sb, ok } = ctx;
    const cards = await sprintBoard(ctx, 30);
    await start(ctx, cards, 30);
    sb.log.record();
    sb.faults.add({ kind: "status", status: 502, method: "POST", path: "/api/graphql", after: 2 });
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals([pushed.moved.length, pushed.sync_status], [30, "synced"]);
    assertEquals(sb.log.count({ path: "/api/graphql", status: 502 }), 1);
    assertEquals(statusChanges(sb), 55, "the first batch twice (25 + 25), the second once (5)");
  }));

Deno.test("GitHub board: a batch whose request got no answer stays pending; the next update_progress reads the board and sends only what did not land", () =>
  withBoards(
    "github",
    async (ctx) => {
      const { sb, ok } = ctx;
      const cards = await sprintBoard(ctx, 30);
      await start(ctx, cards, 30);
      sb.log.record();
      // The first batch: the forge applies it after the client gave up.
      sb.faults.add({ kind: "latency", ms: 600, method: "POST", path: "/api/graphql", after: 2 });
      const first = await ok(B, { action: "update_progress" });
      assertEquals([first.moved.length, first.pending, first.sync_status], [0, 30, "pending"]);
      assertStringIncludes(first.reason, "did not answer");
      await new Promise((r) => setTimeout(r, 700));
      assertEquals(statusChanges(sb), 25, "not retried, and the second batch waited");
      const mark = sb.log.exchanges.length;
      const second = await ok(B, { action: "update_progress" });
      assertEquals([second.moved.length, second.unchanged, second.sync_status], [5, 25, "synced"]);
      assertEquals(statusChanges(sb, mark), 5, "what landed was read, not sent again");
      assertEquals(Object.values(statuses(sb)).every((s) => s === "In Progress"), true);
    },
    quickSettings({ timeoutMs: 300, maxAttempts: 3, maxDelayMs: 2, maxWaitSeconds: 0 }),
  ));

Deno.test("GitHub board: add_to_board on a board whose columns were renewed on GitHub reads it once and places the card", () =>
  withBoards("github", async (ctx) => {
    const { sb, ok } = ctx;
    const [card] = await sprintBoard(ctx, 1);
    // Someone rewrote the Status options on GitHub: every option gets a new id (cards lose their column).
    const project = [...sb.projects.byId.values()][0]!;
    const status = project.fields.find((f) => f.name === "Status")!;
    sb.projects.replaceOptions(
      status,
      status.options.map((o) => ({ name: o.name, color: o.color, description: "" })),
    );
    const mark = posts(sb);
    const added = await ok(B, { action: "add_to_board", task_id: card!.task });
    assertEquals([added.card.column, added.sync_status], ["To Do", "synced"]);
    assertEquals(statuses(sb), { [card!.issue]: "To Do" });
    // On the stored board: the add, the Status change refused (a stale option id); then the board
    // read once, and the add and Status change again on it.
    assertEquals(posts(sb) - mark, 5);
    const view = await ok(B, { action: "view" });
    assertEquals(view.columns.map((c: Json) => c.name), ["To Do", "In Progress", "Blocked", "Done"]);
  }));
