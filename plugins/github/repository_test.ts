import { isRepoParseError } from "../../src/platform/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import github from "./mod.ts";

const valid: Array<[string, string]> = [
  ["octo-org/widgets", "octo-org/widgets"],
  ["  octo-org/widgets  ", "octo-org/widgets"],
  ["octo-org/widgets.git", "octo-org/widgets"],
  ["octo-org/widgets/", "octo-org/widgets"],
  ["a/b", "a/b"],
  ["Octo-Org/My.Repo_name-2", "Octo-Org/My.Repo_name-2"],
  ["o/.github", "o/.github"],
  ["https://github.com/octo-org/widgets", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets/", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets.git", "octo-org/widgets"],
  ["https://www.github.com/octo-org/widgets", "octo-org/widgets"],
  ["http://github.com/octo-org/widgets", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets/issues", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets/issues/42", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets/issues?q=is%3Aopen", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets/pull/7#discussion", "octo-org/widgets"],
  ["https://github.com/octo-org/widgets/tree/main/src", "octo-org/widgets"],
  ["github.com/octo-org/widgets", "octo-org/widgets"],
  ["git@github.com:octo-org/widgets.git", "octo-org/widgets"],
  ["git@github.com:octo-org/widgets", "octo-org/widgets"],
  ["ssh://git@github.com/octo-org/widgets.git", "octo-org/widgets"],
  ["ssh://git@github.com:22/octo-org/widgets.git", "octo-org/widgets"],
  ["https://api.github.com/repos/octo-org/widgets", "octo-org/widgets"],
  ["https://github.example.com/octo-org/widgets", "octo-org/widgets"],
  ["https://github.example.com/octo-org/widgets/issues/3", "octo-org/widgets"],
  ["https://github.example.com/api/v3/repos/octo-org/widgets", "octo-org/widgets"],
  ["git@github.example.com:octo-org/widgets.git", "octo-org/widgets"],
  ["ssh://git@github.example.com/octo-org/widgets.git", "octo-org/widgets"],
  [`${"a".repeat(39)}/${"r".repeat(100)}`, `${"a".repeat(39)}/${"r".repeat(100)}`],
];

Deno.test("parseRepository accepts every usual form and gives owner/repo", () => {
  for (const [input, path] of valid) {
    const parsed = github.parseRepository(input);
    assert(!isRepoParseError(parsed), `${input}: ${isRepoParseError(parsed) ? parsed.message : ""}`);
    assertEquals(parsed, { platform: "github", path }, input);
  }
});

const invalid: string[] = [
  "",
  "   ",
  "widgets",
  "octo-org/",
  "/widgets",
  "octo-org/widgets/extra",
  "-octo/widgets",
  "octo-/widgets",
  "oc_to/widgets",
  `${"a".repeat(40)}/widgets`,
  `octo/${"r".repeat(101)}`,
  "octo/..",
  "octo/.",
  "octo/wid gets",
  "octo/wid\u0000gets",
  "octo/wïdgets",
  "https://github.com/octo-org",
  "https://github.com/octo-org/widgets/settings/secrets",
  "ftp://github.com/octo-org/widgets",
  "https://",
  "octo-org/widgets; DROP TABLE features",
  "group/sub/project",
  "x".repeat(500),
];

Deno.test("parseRepository refuses anything else, quoting the input and showing the forms", () => {
  for (const input of invalid) {
    const parsed = github.parseRepository(input);
    assert(isRepoParseError(parsed), `${JSON.stringify(input)} should be refused`);
    assertStringIncludes(parsed.message, "octo-org/widgets");
    assertStringIncludes(parsed.message, "git@github.com:");
    if (input.trim() !== "" && input.length < 60 && !input.includes("\u0000")) {
      assertStringIncludes(parsed.message, JSON.stringify(input));
    }
  }
  const long = github.parseRepository("x".repeat(500));
  assert(isRepoParseError(long));
  assert(long.message.length < 400, "a long input is truncated in the message");
  assertStringIncludes(long.message, "…");
});

Deno.test("the plugin names its defaults and examples", () => {
  assertEquals(github.id, "github");
  assertEquals(github.defaultTokenVariable, "GITHUB_TOKEN");
  assertEquals(github.apiUrlVariable, "GITHUB_API_URL");
  assertEquals(github.defaultApiUrl, "https://api.github.com");
  for (const example of github.repositoryExamples) {
    assert(!isRepoParseError(github.parseRepository(example)), example);
  }
  assertEquals(github.capabilities.boards, true, "Projects v2 boards (boards.ts)");
  assertEquals(github.capabilities.close_reason, true);
  assertEquals(github.marker?.("task", "t1"), "<!-- forgesync:task=t1 -->");
});

Deno.test("parseRepository() refuses another forge's URL instead of taking it for GitHub Enterprise", () => {
  for (
    const input of [
      "https://gitlab.com/acme/widgets",
      "git@gitlab.com:acme/widgets.git",
      "bitbucket.org/acme/widgets",
    ]
  ) {
    const result = github.parseRepository(input);
    assert("message" in result, input);
    assertStringIncludes((result as { message: string }).message, "another forge");
  }
  assertEquals(github.parseRepository("https://git.acme.internal/acme/widgets"), {
    platform: "github",
    path: "acme/widgets",
  });
});
