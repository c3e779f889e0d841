import { Option } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { type BoardClient, hasBoards, type PlatformClient } from "../../src/platform/mod.ts";
import { labelColor, parseBoardUrl } from "./boards.ts";
import { fail, run, withRig } from "./test_support.ts";

const COLUMNS = ["To Do", "In Progress", "Done"];

function boardsOf(client: PlatformClient): BoardClient {
  assert(hasBoards(client.boards), "the GitLab client has boards");
  return client.boards;
}

Deno.test("parseBoardUrl() reads the project path and board id of a board address", () => {
  assertEquals(parseBoardUrl("https://gitlab.com/acme/platform/widgets/-/boards/7"), {
    project: "acme/platform/widgets",
    id: 7,
  });
  assertEquals(parseBoardUrl("https://gitlab.example.com/a/b/boards/12"), { project: "a/b", id: 12 });
  assertEquals(parseBoardUrl("https://github.com/orgs/acme/projects/3"), undefined);
});

Deno.test("labelColor() colors column labels by their meaning", () => {
  assertEquals(["Backlog", "To Do", "In Progress", "Blocked", "Done", "v1.0"].map(labelColor), [
    "#828282",
    "#428BCA",
    "#F0AD4E",
    "#D9534F",
    "#5CB85C",
    "#6699CC",
  ]);
});

Deno.test("GitLab boards: createBoard makes a board with one label list per column, creating the labels", async () => {
  await withRig(async ({ sandbox, client, repo }) => {
    const boards = boardsOf(client);
    sandbox.state.ensureLabels(sandbox.project, ["Done"]);
    const doneId = sandbox.project.labels.get("Done")!.id;
    const board = await run(boards.createBoard(repo, { title: "Features", columns: COLUMNS }));
    assertEquals(board.columns.map((c) => c.name), COLUMNS);
    assertEquals([board.title, board.owner, board.columns_field_id], ["Features", null, null]);
    assertEquals(board.url, `${sandbox.url}/${sandbox.repository}/-/boards/${board.number}`);
    const stored = sandbox.boards.of(sandbox.project)[0]!;
    assertEquals(stored.lists.length, 3);
    assertEquals(sandbox.project.labels.get("Done")!.id, doneId, "an existing label is reused");
    assertEquals(sandbox.project.labels.get("In Progress")!.color, "#F0AD4E");
    assertEquals(await run(boards.getBoard(repo, { number: board.number })), board);
    assertEquals(await run(boards.getBoard(repo, { url: board.url! })), board);
  });
});

Deno.test("GitLab boards: moveCard swaps column labels only, keeps other labels and the issue's state", async () => {
  await withRig(async ({ sandbox, client, repo }) => {
    const boards = boardsOf(client);
    const board = await run(boards.createBoard(repo, { title: "B", columns: COLUMNS }));
    const [n] = await sandbox.seedIssues(1, () => ({
      title: "Card",
      labels: ["bug"],
      status: "in_progress",
      milestone: "v1.0",
    }));
    assertEquals(Option.isNone(await run(boards.getCard(repo, board, { number: n!, id: null }))), true);
    await run(boards.moveCard(repo, board, { number: n!, id: null }, "To Do"));
    const card = await run(boards.moveCard(repo, board, { number: n!, id: null }, "Done"));
    assertEquals([card.column, card.title, card.milestone, card.item_id], ["Done", "Card", "v1.0", null]);
    const raw = sandbox.rawIssue(n!)!;
    assertEquals([...raw.labels].sort(), ["Done", "bug", "status: in progress"]);
    assertEquals(raw.state, "opened");
    const again = await run(boards.moveCard(repo, board, { number: n!, id: null }, "Done"));
    assertEquals(again.column, "Done");
    assertEquals(
      Option.getOrThrow(await run(boards.getCard(repo, board, { number: n!, id: null }))).column,
      "Done",
    );
    const unknown = await fail(boards.moveCard(repo, board, { number: n!, id: null }, "Shipped"));
    assertEquals(unknown.reason, "Invalid");
    assertStringIncludes(unknown.message, '"To Do", "In Progress", "Done"');
  });
});

Deno.test("GitLab boards: listCards reads every column's issues, closed ones included, once each", async () => {
  await withRig(async ({ sandbox, client, repo }) => {
    const boards = boardsOf(client);
    const board = await run(boards.createBoard(repo, { title: "B", columns: COLUMNS }));
    const [a, b, c] = await sandbox.seedIssues(3);
    await run(boards.moveCard(repo, board, { number: a!, id: null }, "In Progress"));
    await run(boards.moveCard(repo, board, { number: b!, id: null }, "Done"));
    await sandbox.remoteEdit(b!, { status: "completed" });
    const cards = await run(boards.listCards(repo, board));
    assertEquals(cards.map((x) => [x.issue_number, x.column]), [[a, "In Progress"], [b, "Done"]]);
    assert(!cards.some((x) => x.issue_number === c));
  });
});

Deno.test("GitLab boards: addColumns adds the missing lists after the others and leaves cards alone", async () => {
  await withRig(async ({ sandbox, client, repo }) => {
    const boards = boardsOf(client);
    const board = await run(boards.createBoard(repo, { title: "B", columns: ["To Do"] }));
    const [n] = await sandbox.seedIssues(1);
    await run(boards.moveCard(repo, board, { number: n!, id: null }, "To Do"));
    const grown = await run(boards.addColumns(repo, board, ["to do", "v1.0", "v1.1"]));
    assertEquals(grown.columns.map((c) => c.name), ["To Do", "v1.0", "v1.1"]);
    assertEquals((await run(boards.listCards(repo, grown))).map((c) => c.column), ["To Do"]);
  });
});

Deno.test("GitLab boards: unknown boards are NotFound; another project's board address is Invalid; a read-only token is Forbidden", async () => {
  await withRig(async ({ client, repo }) => {
    const boards = boardsOf(client);
    assertEquals((await fail(boards.getBoard(repo, { number: 999 }))).reason, "NotFound");
    const other = await fail(boards.getBoard(repo, { url: "https://gitlab.com/someone/else/-/boards/1" }));
    assertEquals(other.reason, "Invalid");
    assertStringIncludes(other.message, "someone/else");
    const bad = await fail(boards.getBoard(repo, { url: "https://github.com/orgs/a/projects/1" }));
    assertEquals(bad.reason, "Invalid");
  });
  await withRig(async ({ sandbox, client, repo }) => {
    const refused = await fail(boardsOf(client).createBoard(repo, { title: "B", columns: ["A"] }));
    assertEquals(refused.reason, "Forbidden");
    assertEquals(sandbox.boards.of(sandbox.project).length, 0);
  }, { token: "glpat-sandbox-reporter-000000000" });
});
