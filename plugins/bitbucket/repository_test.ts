import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { isRepoParseError } from "../../src/platform/mod.ts";
import plugin from "./mod.ts";

Deno.test("parseRepository() accepts every Bitbucket form and answers workspace/repo_slug", () => {
  const forms: Array<[string, string]> = [
    ["acme/widgets", "acme/widgets"],
    ["  acme/widgets  ", "acme/widgets"],
    ["acme/widgets/", "acme/widgets"],
    ["Acme/Widgets", "acme/widgets"],
    ["acme-inc/my_repo.js", "acme-inc/my_repo.js"],
    ["acme/widgets.git", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets/", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets.git", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets/issues", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets/issues/12/crash-on-save", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets/issues?status=new", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets/src/main/README.md", "acme/widgets"],
    ["https://bitbucket.org/acme/widgets/pull-requests/3#comment-1", "acme/widgets"],
    ["http://www.bitbucket.org/acme/widgets", "acme/widgets"],
    ["bitbucket.org/acme/widgets", "acme/widgets"],
    ["https://alice@bitbucket.org/acme/widgets.git", "acme/widgets"],
    ["git@bitbucket.org:acme/widgets.git", "acme/widgets"],
    ["git@bitbucket.org:acme/widgets", "acme/widgets"],
    ["ssh://git@bitbucket.org/acme/widgets.git", "acme/widgets"],
    ["https://api.bitbucket.org/2.0/repositories/acme/widgets", "acme/widgets"],
  ];
  for (const [input, path] of forms) {
    const ref = plugin.parseRepository(input);
    assertEquals(ref, { platform: "bitbucket", path }, `for ${JSON.stringify(input)}`);
  }
});

Deno.test("parseRepository() refuses anything else, quoting the input and showing the forms", () => {
  const bad = [
    "",
    "   ",
    "widgets",
    "acme/",
    "/widgets",
    "acme/widgets/extra",
    "acme widgets/x",
    "acme/wid gets",
    "https://github.com/acme/widgets",
    "https://gitlab.com/acme/widgets",
    "https://bitbucket.org/acme",
    "https://bitbucket.org/",
    "git@github.com:acme/widgets.git",
    "ftp://bitbucket.org/acme/widgets",
    "https://api.bitbucket.org/2.0/users/acme",
    "acme/..",
    "-acme/widgets",
    "acme/widgets?x=1",
    "'; DROP TABLE features; --",
  ];
  for (const input of bad) {
    const result = plugin.parseRepository(input);
    if (!isRepoParseError(result)) throw new Error(`${JSON.stringify(input)} parsed as ${result.path}`);
    assertStringIncludes(result.message, JSON.stringify(input));
    for (const example of plugin.repositoryExamples) assertStringIncludes(result.message, example);
  }
});
