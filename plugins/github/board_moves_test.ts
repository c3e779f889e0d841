import { Result } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox, type GitHubSandbox } from "../../src/testing/github_sandbox.ts";
import {
  type BoardClient,
  type CardMove,
  hasBoards,
  type PlatformClient,
  type RemoteBoard,
  type RepoRef,
} from "../../src/platform/mod.ts";
import { connectTo, failure, run } from "./test_helpers.ts";

const COLUMNS = ["To Do", "In Progress", "Done"];

async function withBoard(
  f: (gh: GitHubSandbox, boards: BoardClient, repo: RepoRef, board: RemoteBoard) => Promise<void>,
): Promise<void> {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    const { client, repo } = await connectTo(gh);
    const boards = (client as PlatformClient).boards;
    assert(hasBoards(boards));
    const board = await run(boards.createBoard(repo, { title: "B", columns: COLUMNS }));
    await f(gh, boards, repo, board);
  } finally {
    await gh.close();
  }
}

const posts = (gh: GitHubSandbox) => gh.log.count({ method: "POST", path: "/api/graphql" });

/** The Status of each item of the sandbox project, by issue number. */
function statuses(gh: GitHubSandbox, board: RemoteBoard): Record<number, string | null> {
  const project = gh.projects.byId.get(board.id)!;
  return Object.fromEntries(
    project.items.map((i) => [i.issue.number, gh.projects.valueByName(i, "Status")?.option.name ?? null]),
  );
}

const nodeId = (gh: GitHubSandbox, n: number) => gh.repoRec.issues[n - 1]!.node_id;

Deno.test("GitHub moveCards: 25 cards not on the board cost one add request and one Status request; cards on it, one request", () =>
  withBoard(async (gh, boards, repo, board) => {
    assertEquals(boards.batchSize, 25);
    const numbers = await gh.seedIssues(25);
    const before = posts(gh);
    const added = await run(boards.moveCards!(
      repo,
      board,
      numbers.map((n): CardMove => ({
        issue: { number: n, id: nodeId(gh, n) },
        column: "To Do",
        item_id: null,
      })),
    ));
    assertEquals(posts(gh) - before, 2);
    assertEquals(
      added.map((r) => Result.isSuccess(r) ? r.success.column : r.failure.message),
      numbers.map(() => "To Do"),
    );
    assertEquals(Object.values(statuses(gh, board)), numbers.map(() => "To Do"));

    const cards = await run(boards.listCards(repo, board));
    const itemOf = new Map(cards.map((c) => [c.issue_number, c.item_id]));
    const mark = posts(gh);
    const moved = await run(boards.moveCards!(
      repo,
      board,
      numbers.map((n): CardMove => ({
        issue: { number: n, id: null },
        column: "done",
        item_id: itemOf.get(n)!,
      })),
    ));
    assertEquals(
      posts(gh) - mark,
      1,
      "the items are known: no lookup, no add, one request of Status changes",
    );
    assertEquals(
      moved.map((r) => Result.isSuccess(r) && r.success.item_id === itemOf.get(r.success.issue_number)),
      numbers.map(() => true),
    );
    assertEquals(Object.values(statuses(gh, board)), numbers.map(() => "Done"));
  }));

Deno.test("GitHub moveCards: unknown node ids cost one lookup; a card already in its column is not set again", () =>
  withBoard(async (gh, boards, repo, board) => {
    const [a, b] = await gh.seedIssues(2);
    await run(boards.moveCard(repo, board, { number: a!, id: null }, "Done"));
    const before = posts(gh);
    const results = await run(boards.moveCards!(repo, board, [
      { issue: { number: a!, id: null }, column: "Done", item_id: null },
      { issue: { number: b!, id: null }, column: "In Progress", item_id: null },
    ]));
    assertEquals(posts(gh) - before, 3, "lookup, adds, one Status change (for b only)");
    assertEquals(results.map((r) => Result.isSuccess(r) && r.success.column), ["Done", "In Progress"]);
    assertEquals(statuses(gh, board), { [a!]: "Done", [b!]: "In Progress" });
    // moveCard on a card already in its column: the add answers its Status, nothing is set.
    const single = posts(gh);
    await run(boards.moveCard(repo, board, { number: a!, id: nodeId(gh, a!) }, "Done"));
    assertEquals(posts(gh) - single, 1);
  }));

Deno.test("GitHub moveCards: a deleted issue and an unknown column are refused alone, the other moves are made", () =>
  withBoard(async (gh, boards, repo, board) => {
    const [a, b, c, d] = await gh.seedIssues(4);
    const cards = await Promise.all(
      [a!, d!].map((n) => run(boards.moveCard(repo, board, { number: n, id: null }, "To Do"))),
    );
    gh.state.deleteIssue(gh.repoRec, b!);
    const results = await run(boards.moveCards!(repo, board, [
      { issue: { number: a!, id: null }, column: "Done", item_id: cards[0]!.item_id },
      { issue: { number: b!, id: null }, column: "Done", item_id: null },
      { issue: { number: c!, id: nodeId(gh, c!) }, column: "Shipped", item_id: null },
      { issue: { number: d!, id: null }, column: "In Progress", item_id: cards[1]!.item_id },
    ]));
    const reasons = results.map((r) => Result.isSuccess(r) ? "moved" : r.failure.reason);
    assertEquals(reasons, ["moved", "NotFound", "Invalid", "moved"]);
    assertStringIncludes(Result.isFailure(results[2]!) ? results[2].failure.message : "", '"Shipped"');
    assertEquals(statuses(gh, board), { [a!]: "Done", [d!]: "In Progress" });
  }));

Deno.test("GitHub moveCards: a spent GraphQL budget fails the whole call RateLimited; more than 25 moves are refused", () =>
  withBoard(async (gh, boards, repo, board) => {
    const [a] = await gh.seedIssues(1);
    gh.setGraphqlBudget(0);
    const limited = await failure(
      boards.moveCards!(repo, board, [{
        issue: { number: a!, id: nodeId(gh, a!) },
        column: "Done",
        item_id: null,
      }]),
    );
    assertEquals(limited.reason, "RateLimited");
    assertEquals(statuses(gh, board), {});
    const tooMany = await failure(boards.moveCards!(
      repo,
      board,
      Array.from(
        { length: 26 },
        (_, i): CardMove => ({ issue: { number: i + 1, id: null }, column: "Done", item_id: null }),
      ),
    ));
    assertEquals(tooMany.reason, "Invalid");
  }));
