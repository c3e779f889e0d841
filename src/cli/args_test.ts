import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { type CommandSpec, distance, helpText, parseCommand, suggest } from "./args.ts";

const SPEC: CommandSpec = {
  name: "sync",
  summary: "one pass",
  options: [
    {
      name: "repo",
      type: "string",
      aliases: ["repository"],
      value: "owner/repo",
      description: "the repository",
    },
    { name: "watch", type: "boolean", description: "keep passing" },
    { name: "label", type: "string", multiple: true, description: "a label" },
    { name: "yes", short: "y", type: "boolean", description: "no questions" },
  ],
};

const fail = (args: string[]) => {
  const parsed = parseCommand(SPEC, args);
  assert(!parsed.ok, `${args.join(" ")} should be refused`);
  return parsed.message;
};

Deno.test("parseCommand() reads long, inline, aliased, short and repeated options", () => {
  const parsed = parseCommand(SPEC, ["--repository", "a/b", "--watch", "--label=x", "--label", "y", "-y"]);
  assert(parsed.ok);
  assertEquals(parsed.values, { repo: "a/b", watch: true, label: ["x", "y"], yes: true });
  assertEquals(parsed.help, false);
});

Deno.test("parseCommand() accepts --help and -h on every command", () => {
  for (const flag of ["--help", "-h"]) {
    const parsed = parseCommand(SPEC, ["--repo", "a/b", flag]);
    assert(parsed.ok && parsed.help, flag);
  }
});

Deno.test("parseCommand() refuses unknown flags with the closest one and the help command", () => {
  const message = fail(["--wach"]);
  assertStringIncludes(message, 'Unknown option "--wach" for sync');
  assertStringIncludes(message, 'Did you mean "--watch"?');
  assertStringIncludes(message, "deno task sync --help");
  assert(!fail(["--bogus"]).includes("Did you mean"), "no suggestion for a word far from every option");
  assertStringIncludes(fail(["-z"]), '"-z"');
});

Deno.test("parseCommand() refuses a missing value, a value on a switch and stray arguments", () => {
  assertStringIncludes(fail(["--repo"]), "--repo needs a value (owner/repo)");
  assertStringIncludes(fail(["--repo", "--watch"]), "--repo needs a value");
  assertStringIncludes(fail(["--watch=yes"]), "--watch takes no value");
  assertStringIncludes(fail(["acme/widgets"]), "Did you mean --repo acme/widgets?");
  assertStringIncludes(fail(["--repo", "a/b", "--repo", "c/d"]), "--repo is given twice");
});

Deno.test("helpText() lists every option with its value, aliases and -h", () => {
  const text = helpText(SPEC);
  for (
    const part of [
      "Usage: deno task sync [options]",
      "--repo <owner/repo>",
      "(also --repository)",
      "-y, --yes",
      "-h, --help",
      "(repeatable)",
    ]
  ) {
    assertStringIncludes(text, part);
  }
});

Deno.test("suggest() finds typos and prefixes, not unrelated words", () => {
  assertEquals(suggest("stauts", ["status", "sync", "serve"]), "status");
  assertEquals(suggest("imp", ["import", "init"]), "import");
  assertEquals(suggest("xyz", ["status", "sync"]), undefined);
});

Deno.test("distance() counts a swap of neighbours as one edit", () => {
  assertEquals(distance("stauts", "status"), 1);
  assertEquals(distance("status", "status"), 0);
  assertEquals(distance("kitten", "sitting"), 3);
});
