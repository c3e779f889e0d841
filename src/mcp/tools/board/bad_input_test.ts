/**
 * Bad input to orchestrator_project_board_manager: each call gets a clear error naming what is
 * wrong and what to do, and nothing changes — neither the database (dumped before and after) nor the
 * forge (its projects and cards).
 */
import { assertEquals, assertStringIncludes } from "../../../testing/assert.ts";
import { B, withBoards } from "./test_support.ts";

interface Case {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly code: string;
  /** Parts of the message (or, prefixed with "hint:", of the hint). */
  readonly says: readonly string[];
}

Deno.test("bad input to the board tool gets a clear error and changes nothing, locally or on the forge", () =>
  withBoards("github", async ({ sb, ok, fails, task, feature, setTask, dump }) => {
    const features = (await ok(B, { action: "create_board", board_type: "feature_development" })).board;
    const sprint = (await ok(B, { action: "create_board", board_type: "sprint_board" })).board;
    const onBoard = await task("On the board");
    await ok(B, { action: "add_to_board", board_id: features.board_id, task_id: onBoard.id });
    const offBoard = await task("Not on the board");
    const cancelled = await task("Cancelled");
    await setTask(cancelled.id, "cancelled");
    const f = await feature("A feature");
    const { task: noIssue } = await ok("orchestrator_task", { action: "create", title: "No issue yet" });
    const { feature: proposed } = await ok("orchestrator_feature", {
      action: "propose",
      title: "Proposed only",
    });

    const cases: Case[] = [
      {
        name: "unknown action",
        args: { action: "archive_board" },
        code: "VALIDATION_ERROR",
        says: ['"archive_board"'],
      },
      {
        name: "wrong board_type",
        args: { action: "create_board", board_type: "kanban" },
        code: "VALIDATION_ERROR",
        says: ["board_type", "feature_development"],
      },
      {
        name: "extra parameter",
        args: { action: "view", board_id: features.board_id, columns: 3 },
        code: "VALIDATION_ERROR",
        says: ['"columns" is not a parameter of action "view"'],
      },
      {
        name: "unknown board_id",
        args: { action: "view", board_id: 999 },
        code: "NOT_FOUND",
        says: ["No board has board_id 999", "hint:create_board"],
      },
      {
        name: "board_id of the wrong type",
        args: { action: "update_progress", board_id: "one" },
        code: "VALIDATION_ERROR",
        says: ["board_id"],
      },
      {
        name: "unknown column",
        args: { action: "move_card", board_id: features.board_id, task_id: onBoard.id, column: "Shipped" },
        code: "VALIDATION_ERROR",
        says: ['no column "Shipped"', 'hint:"Backlog", "To Do", "In Progress", "Blocked", "Done"'],
      },
      {
        name: "unknown column on add",
        args: { action: "add_to_board", board_id: features.board_id, task_id: offBoard.id, column: "Later" },
        code: "VALIDATION_ERROR",
        says: ['no column "Later"'],
      },
      {
        name: "a column name with a comma",
        args: {
          action: "move_card",
          board_id: features.board_id,
          task_id: onBoard.id,
          column: "To Do, Done",
        },
        code: "VALIDATION_ERROR",
        says: ["column"],
      },
      {
        name: "move without a column",
        args: { action: "move_card", board_id: features.board_id, task_id: onBoard.id },
        code: "VALIDATION_ERROR",
        says: ['"column" is required by action "move_card"'],
      },
      {
        name: "unknown task",
        args: {
          action: "add_to_board",
          board_id: features.board_id,
          task_id: "task_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        },
        code: "NOT_FOUND",
        says: ["task_01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      },
      {
        name: "task without an issue",
        args: { action: "add_to_board", board_id: features.board_id, task_id: noIssue.task_id },
        code: "NOT_FOUND",
        says: ["has no issue", `hint:{action:"create_issue", task_id:"${noIssue.task_id}"}`],
      },
      {
        name: "feature without an issue",
        args: { action: "add_to_board", board_id: features.board_id, feature_id: proposed.feature_id },
        code: "NOT_FOUND",
        says: ["has no issue", "hint:create_issue"],
      },
      {
        name: "no item named",
        args: { action: "add_to_board", board_id: features.board_id },
        code: "VALIDATION_ERROR",
        says: ["exactly one of feature_id or task_id"],
      },
      {
        name: "two items named",
        args: {
          action: "move_card",
          board_id: features.board_id,
          task_id: onBoard.id,
          feature_id: f.id,
          column: "Done",
        },
        code: "VALIDATION_ERROR",
        says: ["exactly one of feature_id, task_id or issue_number", "2 were given"],
      },
      {
        name: "moving an item that is not on the board",
        args: { action: "move_card", board_id: features.board_id, task_id: offBoard.id, column: "Done" },
        code: "NOT_FOUND",
        says: ["is not on board", "hint:add_to_board"],
      },
      {
        name: "an issue nothing links",
        args: { action: "move_card", board_id: features.board_id, issue_number: 9999, column: "Done" },
        code: "NOT_FOUND",
        says: ["Issue #9999", "linked to no feature or task"],
      },
      {
        name: "a feature on a sprint board",
        args: { action: "add_to_board", board_id: sprint.board_id, feature_id: f.id },
        code: "VALIDATION_ERROR",
        says: ["sprint_board", "holds tasks"],
      },
      {
        name: "a status without a column",
        args: { action: "add_to_board", board_id: features.board_id, task_id: cancelled.id },
        code: "VALIDATION_ERROR",
        says: ['task status "cancelled" maps to no column', "hint:Pass column"],
      },
      {
        name: "sync_milestones on a status board",
        args: { action: "sync_milestones", board_id: features.board_id },
        code: "VALIDATION_ERROR",
        says: ["release_planning"],
      },
      {
        name: "several boards and no board_id",
        args: { action: "update_progress" },
        code: "VALIDATION_ERROR",
        says: ["board_id is required", "hint:1 ("],
      },
      {
        name: "board_number and board_url together",
        args: {
          action: "create_board",
          board_number: 1,
          board_url: "https://github.com/orgs/sandbox-org/projects/1",
        },
        code: "VALIDATION_ERROR",
        says: ["Both board_number and board_url"],
      },
      {
        name: "owner without board_number",
        args: { action: "create_board", owner: "sandbox-org" },
        code: "VALIDATION_ERROR",
        says: ["owner goes with board_number"],
      },
      {
        name: "title when adopting",
        args: { action: "create_board", board_number: 1, title: "Renamed" },
        code: "VALIDATION_ERROR",
        says: ["adopted board keeps its own title"],
      },
      {
        name: "a project that does not exist",
        args: { action: "create_board", board_number: 404 },
        code: "NOT_FOUND",
        says: ["404"],
      },
      {
        name: "a board address of another forge",
        args: { action: "create_board", board_url: "https://gitlab.com/acme/widgets/-/boards/3" },
        code: "VALIDATION_ERROR",
        says: ["not the address of a GitHub project", "hint:https://github.com/orgs/acme/projects/3"],
      },
      {
        name: "an unknown status in status_mapping",
        args: { action: "create_board", status_mapping: { tasks: { done: "Done" } } },
        code: "VALIDATION_ERROR",
        says: ["status_mapping.tasks.done"],
      },
      {
        name: "an unconfigured repository",
        args: { action: "view", repository: "someone/else" },
        code: "NOT_CONFIGURED",
        says: ['"someone/else" is not configured'],
      },
    ];

    const forge = () =>
      JSON.stringify([...sb.projects.byId.values()].map((p) => [
        p.title,
        p.fields.map((x) => x.options.map((o) => o.name)),
        p.items.map((i) => [i.issue.number, [...i.values.values()]]),
      ]));
    const before = await dump();
    const remote = forge();
    for (const c of cases) {
      const error = await fails(B, c.args, c.code).catch((e) => {
        throw new Error(`${c.name}: ${e.message}`);
      });
      for (const part of c.says) {
        if (part.startsWith("hint:")) assertStringIncludes(error.hint, part.slice(5), `${c.name}: hint`);
        else assertStringIncludes(error.message, part, `${c.name}: message`);
      }
      assertEquals(await dump(), before, `${c.name} changed the database`);
      assertEquals(forge(), remote, `${c.name} changed the forge`);
    }
  }));
