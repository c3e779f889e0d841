import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { isRepoParseError } from "../../src/platform/mod.ts";
import gitlab from "./mod.ts";

const ok: Array<[string, string]> = [
  ["acme/widgets", "acme/widgets"],
  ["acme/platform/widgets", "acme/platform/widgets"],
  ["  acme/platform/team/widgets  ", "acme/platform/team/widgets"],
  ["my.group/my_project-2", "my.group/my_project-2"],
  ["42", "42"],
  ["https://gitlab.com/acme/widgets", "acme/widgets"],
  ["https://gitlab.com/acme/platform/widgets.git", "acme/platform/widgets"],
  ["https://gitlab.com/acme/platform/widgets/", "acme/platform/widgets"],
  ["https://gitlab.com/acme/platform/widgets/-/issues", "acme/platform/widgets"],
  ["https://gitlab.com/acme/platform/widgets/-/issues/12#note_3", "acme/platform/widgets"],
  ["https://gitlab.com/acme/widgets/-/issues?state=opened", "acme/widgets"],
  ["https://gitlab.example.com:8443/acme/widgets.git", "acme/widgets"],
  ["http://gitlab.internal/acme/sub/widgets", "acme/sub/widgets"],
  ["git@gitlab.com:acme/platform/widgets.git", "acme/platform/widgets"],
  ["git@gitlab.example.com:acme/widgets", "acme/widgets"],
  ["ssh://git@gitlab.example.com/acme/widgets.git", "acme/widgets"],
  ["ssh://git@gitlab.example.com:2222/acme/platform/widgets.git", "acme/platform/widgets"],
  ["gitlab.com/acme/widgets", "acme/widgets"],
  ["https://gitlab.example.com/api/v4/projects/acme%2Fplatform%2Fwidgets", "acme/platform/widgets"],
  ["https://gitlab.example.com/api/v4/projects/77/issues", "77"],
];

Deno.test("parseRepository() reads paths, ids and every GitLab URL form", () => {
  for (const [input, path] of ok) {
    assertEquals(gitlab.parseRepository(input), { platform: "gitlab", path }, input);
  }
});

const bad = [
  "",
  "   ",
  "widgets",
  "acme/",
  "/widgets",
  "acme//widgets",
  "acme/wid gets",
  "acme/-widgets",
  "acme/widgets.",
  "0",
  "-5",
  "https://github.com/acme/widgets",
  "git@github.com:acme/widgets.git",
  "https://bitbucket.org/acme/widgets",
  "ftp://gitlab.com/acme/widgets",
  "https://gitlab.com/",
  "https://gitlab.com/acme",
  "acme/widgets?x=1",
  "c:/acme/widgets",
  "acme/widg%ets",
];

Deno.test("parseRepository() refuses malformed input, quoting it and showing the right forms", () => {
  for (const input of bad) {
    const parsed = gitlab.parseRepository(input);
    if (!isRepoParseError(parsed)) throw new Error(`${JSON.stringify(input)} was accepted as ${parsed.path}`);
    assertStringIncludes(parsed.message, `"${input}"`);
    assertStringIncludes(parsed.message, '"acme/platform/widgets"');
    assertStringIncludes(parsed.message, "https://gitlab.com/");
  }
  const github = gitlab.parseRepository("https://github.com/acme/widgets");
  assertStringIncludes((github as { message: string }).message, "GitHub address");
});

Deno.test("the plugin lists its repository examples, and each parses", () => {
  for (const example of gitlab.repositoryExamples) {
    assertEquals(isRepoParseError(gitlab.parseRepository(example)), false, example);
  }
});
