/**
 * orchestrator_project_board_manager on the GitHub sandbox (Projects v2 over GraphQL), through the
 * real MCP client: every action, idempotent add, moves by column name, update_progress after local
 * status changes, adoption, release boards, and the forge going away.
 */
import { assert, assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import type { GitHubSandbox } from "../../../testing/github_sandbox.ts";
import { B, layout, withBoards } from "./test_support.ts";

/** The Status of each item of a sandbox project, by issue number. */
function statuses(gh: GitHubSandbox, projectNumber = 1): Record<number, string | null> {
  const project = [...gh.projects.byId.values()].find((p) => p.number === projectNumber)!;
  return Object.fromEntries(
    project.items.map((i) => [i.issue.number, gh.projects.valueByName(i, "Status")?.option.name ?? null]),
  );
}

function graphqlPosts(gh: GitHubSandbox): number {
  return gh.log.count({ method: "POST", path: "/api/graphql" });
}

Deno.test("GitHub board: create, add (idempotent), move by name, update_progress after status changes, view", () =>
  withBoards("github", async ({ sb, ok, fails, task, feature, setTask, dump }) => {
    const created = await ok(B, { action: "create_board", board_type: "feature_development" });
    assertEquals(created.created, true);
    const board = created.board;
    assertEquals(board.columns, ["Backlog", "To Do", "In Progress", "Blocked", "Done"]);
    assertEquals([board.platform, board.repository, board.number, board.adopted], [
      "github",
      sb.repository,
      1,
      false,
    ]);
    assertEquals(board.title, "widgets — Feature development");
    assertEquals(board.url, `${sb.url}/orgs/sandbox-org/projects/1`);
    const project = [...sb.projects.byId.values()][0]!;
    assertEquals(project.fields.find((f) => f.name === "Status")!.options.map((o) => o.name), board.columns);

    const again = await ok(B, { action: "create_board", board_type: "feature_development" });
    assertEquals([again.created, again.already_exists, again.board.board_id], [false, true, board.board_id]);
    assertEquals(sb.projects.byId.size, 1, "no second project");

    const f = await feature("Dark mode");
    const t = await task("Write the docs");
    const addedFeature = await ok(B, { action: "add_to_board", feature_id: f.id });
    assertEquals(addedFeature.card.column, "To Do", "approved → To Do");
    assertEquals(addedFeature.card.item, {
      kind: "feature",
      id: f.id,
      title: "Dark mode",
      status: "approved",
    });
    assertEquals([addedFeature.already_on_board, addedFeature.sync_status], [false, "synced"]);
    const addedTask = await ok(B, { action: "add_to_board", task_id: t.id });
    assertEquals(addedTask.card.column, "To Do", "pending → To Do");
    assertEquals(statuses(sb), { [f.issue]: "To Do", [t.issue]: "To Do" });

    const twice = await ok(B, { action: "add_to_board", task_id: t.id });
    assertEquals([twice.already_on_board, twice.card.column], [true, "To Do"]);
    assertEquals(project.items.length, 2, "adding twice makes one card");

    const moved = await ok(B, { action: "move_card", task_id: t.id, column: "done" });
    assertEquals([moved.card.column, moved.sync_status], ["Done", "synced"]);
    assertEquals(statuses(sb)[t.issue], "Done");
    const byIssue = await ok(B, { action: "move_card", issue_number: f.issue, column: "In Progress" });
    assertEquals(byIssue.card.item.id, f.id);

    const before = await dump();
    const unknown = await fails(
      B,
      { action: "move_card", task_id: t.id, column: "Shipped" },
      "VALIDATION_ERROR",
    );
    assertStringIncludes(unknown.message, '"Shipped"');
    assertStringIncludes(unknown.hint, '"Backlog", "To Do", "In Progress", "Blocked", "Done"');
    assertEquals(await dump(), before);

    // Local status changes; update_progress pushes every card to its status's column.
    await setTask(t.id, "blocked");
    const plan = await ok(B, { action: "update_progress", dry_run: true });
    assertEquals(plan.dry_run, true);
    assertEquals(plan.moved.map((m: { to: string }) => m.to).sort(), ["Blocked", "To Do"]);
    assertEquals(statuses(sb), { [f.issue]: "In Progress", [t.issue]: "Done" }, "a dry run moves nothing");
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals(
      pushed.moved.map((
        m: { issue_number: number; from: string; to: string },
      ) => [m.issue_number, m.from, m.to]),
      [
        [f.issue, "In Progress", "To Do"],
        [t.issue, "Done", "Blocked"],
      ],
    );
    assertEquals([pushed.unchanged, pushed.pending, pushed.sync_status], [0, 0, "synced"]);
    assertEquals(statuses(sb), { [f.issue]: "To Do", [t.issue]: "Blocked" });

    await ok("orchestrator_feature", { action: "set_status", feature_id: f.id, status: "in_progress" });
    await setTask(t.id, "in_progress");
    await setTask(t.id, "completed");
    const second = await ok(B, { action: "update_progress" });
    assertEquals(second.moved.map((m: { to: string }) => m.to), ["In Progress", "Done"]);
    assertEquals(statuses(sb), { [f.issue]: "In Progress", [t.issue]: "Done" });

    const posts = graphqlPosts(sb);
    const steady = await ok(B, { action: "update_progress" });
    assertEquals([steady.moved, steady.unchanged], [[], 2]);
    assertEquals(
      graphqlPosts(sb) - posts,
      2,
      "a steady update_progress reads the board and its cards, and writes nothing",
    );

    const view = await ok(B, { action: "view" });
    assertEquals(view.source, "forge");
    assertEquals(view.columns.map((c: { name: string }) => c.name), board.columns);
    assertEquals(layout(view), [["In Progress", f.issue, f.id], ["Done", t.issue, t.id]]);
    const card = view.columns[4].cards[0];
    assertEquals([card.title, card.item.status, card.sync_status], ["Write the docs", "completed", "synced"]);
  }));

Deno.test("GitHub board: an unmapped status is skipped; an issue on the board that nothing links shows without an item", () =>
  withBoards("github", async ({ sb, ok, task, setTask }) => {
    const { board } = await ok(B, { action: "create_board", board_type: "sprint_board", title: "Sprint 1" });
    assertEquals(board.columns, ["To Do", "In Progress", "Blocked", "Done"]);
    const t = await task("Cancelled work");
    await ok(B, { action: "add_to_board", task_id: t.id });
    await setTask(t.id, "cancelled");
    const result = await ok(B, { action: "update_progress" });
    assertEquals(result.moved, []);
    assertEquals(result.skipped, [{
      issue_number: t.issue,
      item: { kind: "task", id: t.id, title: "Cancelled work", status: "cancelled" },
      reason: 'task status "cancelled" maps to no column of this board (status_mapping)',
    }]);
    // A person adds another issue to the project on GitHub.
    const [other] = await sb.seedIssues(1, () => ({ title: "Added on GitHub" }));
    const project = [...sb.projects.byId.values()][0]!;
    const issue = sb.repoRec.issues[other! - 1]!;
    sb.projects.addItem(project, sb.repoRec, issue);
    const view = await ok(B, { action: "view" });
    assertEquals(layout(view), [["To Do", t.issue, t.id], [null, other, null]]);
  }));

Deno.test("GitHub board: adopting by number or address adds the missing columns and keeps the cards' columns", () =>
  withBoards("github", async ({ sb, ok, fails, task }) => {
    // A project made by a person: default Status options (Todo, In Progress, Done) and one card in Done.
    const org = sb.state.user("sandbox-org");
    const project = sb.projects.create(org, "Roadmap", sb.repoRec);
    const t = await task("Old work");
    const item = sb.projects.addItem(project, sb.repoRec, sb.repoRec.issues[t.issue - 1]!);
    const status = project.fields.find((f) => f.name === "Status")!;
    sb.projects.setValue(item, status, status.options.find((o) => o.name === "Done")!.id);

    const adopted = await ok(B, { action: "create_board", board_number: project.number });
    assertEquals([adopted.created, adopted.board.adopted, adopted.board.title], [false, true, "Roadmap"]);
    assertEquals(adopted.columns_added, ["Backlog", "To Do", "Blocked"]);
    assertEquals(adopted.board.columns, ["Todo", "In Progress", "Done", "Backlog", "To Do", "Blocked"]);
    assertEquals(
      statuses(sb),
      { [t.issue]: "Done" },
      "the card kept its column though GitHub renewed the options",
    );

    const byUrl = await ok(B, {
      action: "create_board",
      board_url: `${sb.url}/orgs/sandbox-org/projects/1/views/2`,
    });
    assertEquals([byUrl.board.board_id, byUrl.columns_added], [adopted.board.board_id, []]);

    const missing = await fails(B, { action: "create_board", board_number: 77 }, "NOT_FOUND");
    assertStringIncludes(missing.message, "Could not resolve to a ProjectV2 with the number 77.");
  }));

Deno.test("GitHub board: a release_planning board has a column per open milestone and places cards by milestone", () =>
  withBoards("github", async ({ sb, ok, fails, task }) => {
    await ok(B, { action: "create_board", board_type: "feature_development" });
    const release = await ok(B, { action: "create_board", board_type: "release_planning" });
    const id = release.board.board_id;
    assertEquals(release.board.columns, ["No milestone", "v1.0", "v2.0"]);
    const needsId = await fails(B, { action: "add_to_board", task_id: "task_x" }, "VALIDATION_ERROR");
    assertStringIncludes(needsId.message, "board_id is required");
    const listed = await ok(B, { action: "view" });
    assertEquals(listed.boards.map((b: { board_type: string }) => b.board_type), [
      "feature_development",
      "release_planning",
    ]);

    const a = await task("In v1");
    const b = await task("Unplanned");
    await sb.remoteEdit(a.issue, { milestone: "v1.0" });
    assertEquals((await ok(B, { action: "add_to_board", board_id: id, task_id: a.id })).card.column, "v1.0");
    assertEquals(
      (await ok(B, { action: "add_to_board", board_id: id, task_id: b.id })).card.column,
      "No milestone",
    );

    // A new milestone on GitHub, and an issue moved to it.
    const res = await fetch(`${sb.apiUrl}/repos/${sb.repository}/milestones`, {
      method: "POST",
      headers: { authorization: `token ${sb.token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "v3.0" }),
    });
    assertEquals(res.status, 201);
    await res.body?.cancel();
    await sb.remoteEdit(b.issue, { milestone: "v3.0" });
    const synced = await ok(B, { action: "sync_milestones", board_id: id });
    assertEquals(synced.columns_added, ["v3.0"]);
    assertEquals(synced.board.columns, ["No milestone", "v1.0", "v2.0", "v3.0"]);
    assertEquals(synced.moved.map((m: { issue_number: number; to: string }) => [m.issue_number, m.to]), [[
      b.issue,
      "v3.0",
    ]]);
    assertEquals(statuses(sb, 2), { [a.issue]: "v1.0", [b.issue]: "v3.0" });
    const wrong = await fails(B, { action: "sync_milestones", board_id: 1 }, "VALIDATION_ERROR");
    assertStringIncludes(wrong.message, "release_planning");

    // A card taken off the board on GitHub comes back in its milestone's column.
    const releaseProject = [...sb.projects.byId.values()].find((p) => p.number === 2)!;
    const [gone] = releaseProject.items.splice(
      releaseProject.items.findIndex((i) => i.issue.number === a.issue),
      1,
    );
    sb.projects.itemsById.delete(gone!.id);
    const back = await ok(B, { action: "update_progress", board_id: id });
    assertEquals(
      back.moved.map((
        m: { issue_number: number; from: string | null; to: string },
      ) => [m.issue_number, m.from, m.to]),
      [
        [a.issue, null, "v1.0"],
      ],
    );
    assertEquals(statuses(sb, 2), { [b.issue]: "v3.0", [a.issue]: "v1.0" });
  }));

Deno.test("GitHub board: with the forge down moves are kept pending, view answers from the record, update_progress sends them", () =>
  withBoards("github", async ({ sb, ok, task, setTask }) => {
    await ok(B, { action: "create_board" });
    const t = await task("Offline move");
    await ok(B, { action: "add_to_board", task_id: t.id });
    sb.faults.add({ kind: "status", status: 503, path: "/api/graphql", times: Infinity });
    const moved = await ok(B, { action: "move_card", task_id: t.id, column: "Done" });
    assertEquals([moved.sync_status, moved.card.column, moved.card.sync_status], [
      "pending",
      "Done",
      "pending",
    ]);
    assertStringIncludes(moved.reason, "kept locally");
    assertEquals(statuses(sb), { [t.issue]: "To Do" });
    const offline = await ok(B, { action: "view" });
    assertEquals(offline.source, "local");
    assertStringIncludes(offline.reason, "as forgesync last recorded it");
    assertEquals(layout(offline), [["Done", t.issue, t.id]]);
    await setTask(t.id, "blocked");
    const queued = await ok(B, { action: "update_progress" });
    assertEquals([queued.sync_status, queued.pending, queued.moved], ["pending", 1, []]);
    assertEquals(statuses(sb), { [t.issue]: "To Do" });

    sb.faults.clear();
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals(pushed.moved.map((m: { from: string; to: string }) => [m.from, m.to]), [[
      "To Do",
      "Blocked",
    ]]);
    assertEquals([pushed.pending, pushed.sync_status], [0, "synced"]);
    assertEquals(statuses(sb), { [t.issue]: "Blocked" });
    const view = await ok(B, { action: "view" });
    assertEquals([view.source, view.columns[3].name, view.columns[3].cards[0].sync_status], [
      "forge",
      "Blocked",
      "synced",
    ]);
    assert(!("reason" in view));
  }));

Deno.test("GitHub board: update_progress reports MCP progress per card moved when the caller asks", () =>
  withBoards("github", async ({ c, ok, task, setTask }) => {
    await ok(B, { action: "create_board", board_type: "sprint_board" });
    const tasks = [await task("One"), await task("Two")];
    for (const t of tasks) {
      await ok(B, { action: "add_to_board", task_id: t.id });
      await setTask(t.id, "in_progress");
    }
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await c.client.callTool(
      { name: B, arguments: { action: "update_progress" } },
      undefined,
      { onprogress: (p: { progress: number; total?: number; message?: string }) => seen.push(p) },
    );
    assertEquals((result.structuredContent as { moved: unknown[] }).moved.length, 2);
    assertEquals(seen.map((p) => [p.progress, p.total]), [[1, 2], [2, 2]]);
    assertStringIncludes(seen[1]!.message!, "→ In Progress");
  }));
