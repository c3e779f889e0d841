import { Redacted } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox, type GitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { type BoardClient, hasBoards, type RepoRef } from "../../src/platform/mod.ts";
import { projectTokenHint, tokenKind } from "./token_kind.ts";
import { connectTo, failure, run } from "./test_helpers.ts";
import github from "./mod.ts";

Deno.test("tokenKind() tells token kinds by their documented prefixes", () => {
  assertEquals(
    ["ghp_x", "github_pat_11A_x", "gho_x", "ghu_x", "ghs_x", "abc", undefined].map(tokenKind),
    ["classic", "fine_grained", "oauth", "oauth", "app", "unknown", "unknown"],
  );
});

Deno.test("projectTokenHint() names the token kind and what it lacks, by the project owner's kind", () => {
  const user = projectTokenHint("fine_grained", "GITHUB_TOKEN", { login: "octo", type: "User" });
  assertStringIncludes(user, "fine-grained tokens cannot use projects owned by a user account");
  assertStringIncludes(
    user,
    `set GITHUB_TOKEN to a classic personal access token (ghp_…) with the "project" scope`,
  );
  const org = projectTokenHint("fine_grained", "GITHUB_TOKEN", { login: "acme", type: "Organization" });
  assertStringIncludes(org, `organization permission "Projects: Read and write" on "acme"`);
  assertStringIncludes(
    projectTokenHint("classic", "GH", null),
    `The classic token in GH needs the "project" scope`,
  );
});

async function boardsWith(gh: GitHubSandbox, token: string, repository: string) {
  const { client } = await connectTo(gh, { token: Redacted.make(token) });
  const repo = github.parseRepository(repository) as RepoRef;
  assert(hasBoards(client.boards), "boards");
  return { boards: client.boards as BoardClient, repo };
}

const COLUMNS = ["To Do", "Done"];

Deno.test("GitHub sandbox and plugin: a fine-grained token cannot make a board for a personal repository; the hint asks for a classic token with the project scope", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { boards, repo } = await boardsWith(gh, gh.tokens.fineGrained, gh.personalRepository);
    const error = await failure(boards.createBoard(repo, { title: "Mine", columns: COLUMNS }));
    assertEquals(error.reason, "Forbidden");
    assertStringIncludes(error.message, "Resource not accessible by personal access token");
    assertStringIncludes(
      error.hint ?? "",
      `fine-grained tokens cannot use projects owned by a user account (here "sandbox-bot")`,
    );
    assertStringIncludes(error.hint ?? "", `classic personal access token (ghp_…) with the "project" scope`);
    assertEquals(gh.projects.byId.size, 0);
    // The same token makes a board for the organization's repository (Projects: read and write).
    const org = await boardsWith(gh, gh.tokens.fineGrained, gh.repository);
    const board = await run(org.boards.createBoard(org.repo, { title: "Org board", columns: COLUMNS }));
    assertEquals(board.owner, "sandbox-org");
    // A classic token with the project scope makes the personal one.
    const classic = await boardsWith(gh, gh.tokens.write, gh.personalRepository);
    const mine = await run(classic.boards.createBoard(classic.repo, { title: "Mine", columns: COLUMNS }));
    assertEquals([mine.owner, mine.url], ["sandbox-bot", `${gh.url}/users/sandbox-bot/projects/1`]);
    // … which the fine-grained token can neither read nor move cards on.
    const read = await failure(boards.getBoard(repo, { number: 1 }));
    assertEquals(read.reason, "Forbidden");
  } finally {
    await gh.close();
  }
});

Deno.test("GitHub sandbox and plugin: a classic token without the project scope is refused; the hint names the scope", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { boards, repo } = await boardsWith(gh, gh.tokens.classicNoProject, gh.repository);
    const error = await failure(boards.createBoard(repo, { title: "No scope", columns: COLUMNS }));
    assertEquals(error.reason, "Forbidden");
    assertStringIncludes(error.message, "required scopes");
    assertStringIncludes(error.hint ?? "", `The classic token in GITHUB_TOKEN needs the "project" scope`);
    assertEquals(gh.projects.byId.size, 0);
  } finally {
    await gh.close();
  }
});

Deno.test("GitHub sandbox: classic tokens' answers carry x-oauth-scopes, fine-grained tokens' do not", async () => {
  const gh = await createGitHubSandbox();
  try {
    const scopes = async (token: string) => {
      const res = await fetch(`${gh.apiUrl}/repos/${gh.repository}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body?.cancel();
      return res.headers.get("x-oauth-scopes");
    };
    assertEquals(await scopes(gh.tokens.write), "repo, project");
    assertEquals(await scopes(gh.tokens.classicNoProject), "repo");
    assertEquals(await scopes(gh.tokens.fineGrained), null);
  } finally {
    await gh.close();
  }
});
