import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../testing/assert.ts";
import { BUILTIN_PLUGINS, loadPlugin, PluginRegistry, pluginSpecifier, validatePlugin } from "./registry.ts";

Deno.test("the registry loads each built-in plugin by name, lazily", async () => {
  const registry = new PluginRegistry();
  assertEquals((await registry.ids()).sort(), ["bitbucket", "github", "gitlab"]);
  for (const id of Object.keys(BUILTIN_PLUGINS)) {
    const plugin = await registry.get(id);
    assertEquals(plugin.id, id);
    assert(typeof plugin.connect === "function");
  }
});

Deno.test("an unknown platform is refused with the known ids", async () => {
  const error = await assertRejects(() => new PluginRegistry().get("gitea"), "gitea");
  assertStringIncludes(error.message, "github, gitlab, bitbucket");
  assertStringIncludes(error.message, "FORGESYNC_PLUGINS");
});

Deno.test("extra plugins load from a path given in configuration", async () => {
  const registry = new PluginRegistry(["examples/custom_plugin/mod.ts"]);
  assertEquals((await registry.ids()).sort(), ["bitbucket", "ghes", "github", "gitlab"]);
  const ghes = await registry.get("ghes");
  assertEquals(ghes.defaultTokenVariable, "GHES_TOKEN");
  assertEquals(ghes.parseRepository("https://git.acme.internal/team/app.git"), {
    platform: "ghes",
    path: "team/app",
  });
});

Deno.test("validatePlugin() names every missing or mistyped member", () => {
  const error = assertThrows(() => validatePlugin({ id: "Bad Id", capabilities: { labels: "yes" } }, "x.ts"));
  for (
    const part of ["name (string)", "connect (function)", "parseRepository (function)", "capabilities.labels"]
  ) {
    assertStringIncludes(error.message, part);
  }
  assertStringIncludes(error.message, 'id "Bad Id"');
  assertThrows(() => validatePlugin(undefined, "y.ts"), "no default export");
});

Deno.test("a module that does not import is reported with its path", async () => {
  await assertRejects(() => loadPlugin(pluginSpecifier("does/not/exist.ts")), "does/not/exist.ts");
});

Deno.test("validatePlugin() checks the webhooks member against the webhooks capability", async () => {
  const github = await new PluginRegistry().get("github");
  const { webhooks: _, ...withoutHooks } = github;
  assertThrows(() => validatePlugin(withoutHooks, "no_hooks.ts"), "capabilities.webhooks is true");
  const error = assertThrows(() => validatePlugin({ ...github, webhooks: { verify: 1 } }, "bad_hooks.ts"));
  assertStringIncludes(error.message, "webhooks.verify (function)");
  assertStringIncludes(error.message, "webhooks.parse (function)");
  const off = { ...withoutHooks, capabilities: { ...github.capabilities, webhooks: false } };
  assertEquals(validatePlugin(off, "off.ts").webhooks, undefined);
  assertEquals(typeof validatePlugin(github, "github.ts").webhooks?.parse, "function");
});
