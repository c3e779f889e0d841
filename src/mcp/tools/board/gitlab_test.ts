/**
 * orchestrator_project_board_manager on the GitLab sandbox (issue boards with label lists) and on
 * the Bitbucket sandbox (no boards: every action is UNSUPPORTED and nothing changes), through the
 * real MCP client.
 */
import { assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import type { GitLabSandbox } from "../../../testing/gitlab_sandbox.ts";
import { B, layout, withBoards } from "./test_support.ts";

/** The column labels each issue carries, by iid. */
function columnLabels(gl: GitLabSandbox, columns: readonly string[], numbers: readonly number[]) {
  return Object.fromEntries(
    numbers.map((n) => [n, gl.rawIssue(n)!.labels.filter((l) => columns.includes(l))]),
  );
}

Deno.test("GitLab board: create with label lists, add (idempotent), move by name, update_progress, view", () =>
  withBoards("gitlab", async ({ sb, ok, fails, task, feature, setTask }) => {
    const { board, created } = await ok(B, {
      action: "create_board",
      title: "Widgets",
      status_mapping: { tasks: { blocked: "On hold" } },
    });
    assertEquals(created, true);
    const columns = ["Backlog", "To Do", "In Progress", "On hold", "Done"];
    assertEquals(board.columns, columns);
    assertEquals(board.status_mapping.tasks.blocked, "On hold");
    assertEquals(board.url, `${sb.url}/${sb.repository}/-/boards/${board.number}`);
    const stored = sb.boards.of(sb.project)[0]!;
    assertEquals(stored.lists.length, 5);
    for (const c of columns) assertEquals(sb.project.labels.has(c), true, `label ${c}`);

    const f = await feature("Search");
    const t = await task("Index pages");
    assertEquals((await ok(B, { action: "add_to_board", feature_id: f.id })).card.column, "To Do");
    assertEquals((await ok(B, { action: "add_to_board", task_id: t.id })).card.column, "To Do");
    const twice = await ok(B, { action: "add_to_board", task_id: t.id });
    assertEquals([twice.already_on_board, twice.card.column], [true, "To Do"]);
    assertEquals(columnLabels(sb, columns, [f.issue, t.issue]), {
      [f.issue]: ["To Do"],
      [t.issue]: ["To Do"],
    });

    const moved = await ok(B, { action: "move_card", task_id: t.id, column: "IN PROGRESS" });
    assertEquals(moved.card.column, "In Progress");
    assertEquals(columnLabels(sb, columns, [t.issue]), { [t.issue]: ["In Progress"] });
    const unknown = await fails(
      B,
      { action: "move_card", task_id: t.id, column: "Blocked" },
      "VALIDATION_ERROR",
    );
    assertStringIncludes(unknown.hint, '"On hold"');

    await setTask(t.id, "blocked");
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals(
      pushed.moved.map((
        m: { issue_number: number; from: string; to: string },
      ) => [m.issue_number, m.from, m.to]),
      [
        [t.issue, "In Progress", "On hold"],
      ],
    );
    assertEquals(pushed.unchanged, 1);
    assertEquals(columnLabels(sb, columns, [f.issue, t.issue]), {
      [f.issue]: ["To Do"],
      [t.issue]: ["On hold"],
    });
    assertEquals(sb.rawIssue(t.issue)!.state, "opened", "a card move never closes an issue");

    const view = await ok(B, { action: "view" });
    assertEquals(layout(view), [["To Do", f.issue, f.id], ["On hold", t.issue, t.id]]);
  }));

Deno.test("GitLab board: sync_milestones gives a release board a label list per open milestone", () =>
  withBoards("gitlab", async ({ sb, ok, task }) => {
    const { board } = await ok(B, { action: "create_board", board_type: "release_planning" });
    assertEquals(board.columns, ["No milestone", "v1.0", "v1.1"]);
    const a = await task("For 1.0");
    await sb.remoteEdit(a.issue, { milestone: "v1.0" });
    assertEquals((await ok(B, { action: "add_to_board", task_id: a.id })).card.column, "v1.0");
    sb.state.createMilestone(sb.project, { title: "v2.0" });
    await sb.remoteEdit(a.issue, { milestone: "v2.0" });
    const synced = await ok(B, { action: "sync_milestones" });
    assertEquals(synced.columns_added, ["v2.0"]);
    assertEquals(synced.moved.map((m: { from: string; to: string }) => [m.from, m.to]), [["v1.0", "v2.0"]]);
    const labels = sb.rawIssue(a.issue)!.labels;
    assertEquals(labels.includes("v2.0") && !labels.includes("v1.0"), true, labels.join(","));
  }));

Deno.test("Bitbucket: every board action is UNSUPPORTED, says boards live in Jira, and changes nothing", () =>
  withBoards("bitbucket", async ({ ok, fails, dump }) => {
    const { task } = await ok("orchestrator_task", { action: "create", title: "Some work" });
    const before = await dump();
    const calls: Array<Record<string, unknown>> = [
      { action: "create_board" },
      { action: "create_board", board_number: 1 },
      { action: "add_to_board", task_id: task.task_id },
      { action: "move_card", task_id: task.task_id, column: "Done" },
      { action: "update_progress" },
      { action: "sync_milestones" },
      { action: "view" },
    ];
    for (const args of calls) {
      const error = await fails(B, args, "UNSUPPORTED");
      assertStringIncludes(error.message, "Jira");
      assertStringIncludes(error.hint, "GitHub or GitLab");
    }
    assertEquals(await dump(), before);
  }));

Deno.test("GitLab board: the status sync and the board share the issue's labels without undoing each other", () =>
  withBoards("gitlab", async ({ sb, ok, task, setTask }) => {
    await ok(B, { action: "create_board", board_type: "sprint_board" });
    const t = await task("Shared labels");
    await ok(B, { action: "add_to_board", task_id: t.id });
    await ok("orchestrator_git_integration", { action: "sync_status" });
    const pulled = (await ok("orchestrator_task", { action: "get", task_id: t.id })).task;
    assertEquals(pulled.labels, ["To Do"], "a column label reads back as a label of the task");
    await setTask(t.id, "in_progress");
    await ok("orchestrator_git_integration", { action: "sync_status" });
    assertEquals([...sb.rawIssue(t.issue)!.labels].sort(), ["To Do", "status: in progress"]);
    const pushed = await ok(B, { action: "update_progress" });
    assertEquals(pushed.moved.map((m: { from: string; to: string }) => [m.from, m.to]), [[
      "To Do",
      "In Progress",
    ]]);
    await ok("orchestrator_git_integration", { action: "sync_status" });
    assertEquals([...sb.rawIssue(t.issue)!.labels].sort(), ["In Progress", "status: in progress"]);
    assertEquals((await ok("orchestrator_task", { action: "get", task_id: t.id })).task.labels, [
      "In Progress",
    ]);
    const view = await ok(B, { action: "view" });
    assertEquals(layout(view), [["In Progress", t.issue, t.id]]);
  }));
