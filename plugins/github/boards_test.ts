import { Effect, Option, Redacted } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox, type GitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { type BoardClient, hasBoards, type PlatformClient, type RepoRef } from "../../src/platform/mod.ts";
import { columnColor } from "./board_columns.ts";
import { parseProjectUrl } from "./boards.ts";
import { connectTo, envFor, failure, run } from "./test_helpers.ts";
import github from "./mod.ts";

const COLUMNS = ["Backlog", "To Do", "In Progress", "Blocked", "Done"];

function boardsOf(client: PlatformClient): BoardClient {
  assert(hasBoards(client.boards), "the GitHub client has boards");
  return client.boards;
}

async function withGitHub(
  f: (gh: GitHubSandbox, boards: BoardClient, repo: RepoRef, client: PlatformClient) => Promise<void>,
): Promise<void> {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    await f(gh, boardsOf(client), repo, client);
  } finally {
    await gh.close();
  }
}

Deno.test("parseProjectUrl() reads organization and user project addresses, views included", () => {
  assertEquals(parseProjectUrl("https://github.com/orgs/acme/projects/3"), { owner: "acme", number: 3 });
  assertEquals(parseProjectUrl("https://ghe.example.com/users/octo/projects/12/views/2"), {
    owner: "octo",
    number: 12,
  });
  assertEquals(parseProjectUrl("https://github.com/acme/widgets/projects/3"), undefined);
  assertEquals(parseProjectUrl("not a url"), undefined);
});

Deno.test("columnColor() colors columns by their meaning", () => {
  assertEquals(COLUMNS.map(columnColor), ["GRAY", "BLUE", "YELLOW", "RED", "GREEN"]);
});

Deno.test("GitHub boards: createBoard makes a project linked to the repository with exactly the board's columns", async () => {
  await withGitHub(async (gh, boards, repo) => {
    const board = await run(boards.createBoard(repo, { title: "Widgets features", columns: COLUMNS }));
    assertEquals(board.columns.map((c) => c.name), COLUMNS);
    assertEquals([board.number, board.owner, board.title], [1, "sandbox-org", "Widgets features"]);
    assertEquals(board.url, `${gh.url}/orgs/sandbox-org/projects/1`);
    const project = gh.projects.byId.get(board.id)!;
    assertEquals(project.repositories.map((r) => r.name), ["widgets"]);
    const status = project.fields.find((f) => f.name === "Status")!;
    assertEquals(status.id, board.columns_field_id);
    assertEquals(status.options.map((o) => [o.name, o.color]), [
      ["Backlog", "GRAY"],
      ["To Do", "BLUE"],
      ["In Progress", "YELLOW"],
      ["Blocked", "RED"],
      ["Done", "GREEN"],
    ]);
    const again = await run(boards.getBoard(repo, { number: 1 }));
    assertEquals(again, board);
    assertEquals(await run(boards.getBoard(repo, { url: board.url! })), board);
  });
});

Deno.test("GitHub boards: moveCard is idempotent, getCard and listCards read the column back", async () => {
  await withGitHub(async (gh, boards, repo) => {
    const board = await run(boards.createBoard(repo, { title: "B", columns: COLUMNS }));
    const [a, b] = await gh.seedIssues(
      2,
      (i) => ({ title: `Issue ${i}`, milestone: i === 0 ? "v1.0" : null }),
    );
    const first = await run(boards.moveCard(repo, board, { number: a!, id: null }, "To Do"));
    const second = await run(boards.moveCard(repo, board, { number: a!, id: null }, "In Progress"));
    assertEquals(first.item_id, second.item_id);
    assertEquals([second.column, second.title, second.milestone], ["In Progress", "Issue 0", "v1.0"]);
    assertEquals(gh.projects.byId.get(board.id)!.items.length, 1);
    const card = await run(boards.getCard(repo, board, { number: a!, id: null }));
    assertEquals(Option.getOrThrow(card).column, "In Progress");
    assertEquals(Option.isNone(await run(boards.getCard(repo, board, { number: b!, id: null }))), true);
    await run(boards.moveCard(repo, board, { number: b!, id: null }, "Done"));
    const cards = await run(boards.listCards(repo, board));
    assertEquals(cards.map((c) => [c.issue_number, c.column]), [[a, "In Progress"], [b, "Done"]]);
    const unknown = await failure(boards.moveCard(repo, board, { number: a!, id: null }, "Shipped"));
    assertEquals(unknown.reason, "Invalid");
    assertStringIncludes(unknown.message, '"Backlog", "To Do"');
  });
});

Deno.test("GitHub boards: addColumns keeps every card in its column although GitHub renews the option ids", async () => {
  await withGitHub(async (gh, boards, repo) => {
    const board = await run(boards.createBoard(repo, { title: "B", columns: ["To Do", "Done"] }));
    const numbers = await gh.seedIssues(3);
    await run(boards.moveCard(repo, board, { number: numbers[0]!, id: null }, "To Do"));
    await run(boards.moveCard(repo, board, { number: numbers[1]!, id: null }, "Done"));
    await run(boards.moveCard(repo, board, { number: numbers[2]!, id: null }, "Done"));
    const grown = await run(boards.addColumns(repo, board, ["Done", "v1.0", "v2.0"]));
    assertEquals(grown.columns.map((c) => c.name), ["To Do", "Done", "v1.0", "v2.0"]);
    assert(grown.columns[0]!.id !== board.columns[0]!.id, "GitHub renewed the option ids");
    const cards = await run(boards.listCards(repo, grown));
    assertEquals(cards.map((c) => c.column), ["To Do", "Done", "Done"]);
    const requests = gh.log.count({ path: "/api/graphql" });
    assertEquals(await run(boards.addColumns(repo, grown, ["v1.0"])), grown);
    assertEquals(gh.log.count({ path: "/api/graphql" }), requests, "nothing missing: no request");
  });
});

Deno.test("GitHub boards: a missing project is NotFound, an address of another kind Invalid, a project without Status Invalid", async () => {
  await withGitHub(async (gh, boards, repo) => {
    const missing = await failure(boards.getBoard(repo, { number: 42 }));
    assertEquals(missing.reason, "NotFound");
    assertStringIncludes(missing.message, "number 42");
    const other = await failure(boards.getBoard(repo, { url: "https://gitlab.com/a/b/-/boards/3" }));
    assertEquals(other.reason, "Invalid");
    assertStringIncludes(other.hint!, "https://github.com/orgs/acme/projects/3");
    const board = await run(boards.createBoard(repo, { title: "B", columns: ["A"] }));
    gh.projects.byId.get(board.id)!.fields.find((f) => f.name === "Status")!.name = "Phase";
    const noStatus = await failure(boards.getBoard(repo, { number: board.number }));
    assertEquals(noStatus.reason, "Invalid");
    assertStringIncludes(noStatus.message, '"Status"');
  });
});

Deno.test("GitHub boards: a read-only token is Forbidden with the scope it needs; a spent GraphQL budget is RateLimited", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh, { token: Redacted.make(gh.tokens.read) });
    const boards = boardsOf(client);
    const refused = await failure(boards.createBoard(repo, { title: "B", columns: ["A"] }));
    assertEquals(refused.reason, "Forbidden");
    assertStringIncludes(refused.hint!, '"project" scope');
    assertEquals(gh.projects.byId.size, 0);
    gh.setGraphqlBudget(0);
    const limited = await failure(boards.getBoard(repo, { number: 1 }));
    assertEquals(limited.reason, "RateLimited");
    assert((limited.retryAfterSeconds ?? 0) > 0);
  } finally {
    await gh.close();
  }
});

Deno.test("GitHub boards: a create whose column step fails names the project to adopt", async () => {
  const gh = await createGitHubSandbox();
  try {
    let graphqlCalls = 0;
    const failing: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/api/graphql") && ++graphqlCalls === 3) {
        return Promise.resolve(new Response('{"message":"Server Error"}', { status: 500 }));
      }
      return fetch(input, init);
    };
    const client = await Effect.runPromise(github.connect(envFor(gh, { fetch: failing })));
    const repo = github.parseRepository(gh.repository) as RepoRef;
    const error = await failure(boardsOf(client).createBoard(repo, { title: "B", columns: ["A"] }));
    assertEquals(error.reason, "Transient");
    assertStringIncludes(error.message, "project #1 was created");
    assertStringIncludes(error.hint!, "board_number 1");
    assertEquals(gh.projects.byId.size, 1);
  } finally {
    await gh.close();
  }
});
