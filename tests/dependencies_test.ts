/**
 * The two configurations stay in step: `deno.json` (what `deno task mcp`, `start` and `init` run with,
 * locked by `deno.lock`) holds only runtime packages, and `deno.test.json` (locked by `deno.test.lock`)
 * holds the same plus the test-only ones. Deno 2.9 with `nodeModulesDir: "auto"` installs every package
 * of the lock file on the first run, reachable or not, so a test-only package in `deno.lock` would be
 * downloaded by every user.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";

const ROOT = new URL("../", import.meta.url);
const read = async (name: string) => JSON.parse(await Deno.readTextFile(new URL(name, ROOT)));

/** Packages only the tests use: none of them may reach deno.lock. */
const TEST_ONLY = [
  "fast-check",
  "@octokit/fixtures",
  "@octokit/graphql-schema",
  "graphql",
  "nock",
  "playwright-core",
  "@coderabbitai/bitbucket",
  "@modelcontextprotocol/conformance",
];

const packageName = (key: string) =>
  key.startsWith("@") ? `@${key.slice(1).split("@")[0]}` : key.split("@")[0]!;

Deno.test("deno.test.json has every runtime import of deno.json, at the same version, and the same compiler options", async () => {
  const runtime = await read("deno.json");
  const test = await read("deno.test.json");
  for (const [name, target] of Object.entries(runtime.imports as Record<string, string>)) {
    assertEquals(test.imports[name], target, `deno.test.json imports ${name} as deno.json does`);
  }
  assertEquals(test.compilerOptions, runtime.compilerOptions);
  assertEquals([test.name, test.version, test.exports], [runtime.name, runtime.version, runtime.exports]);
  assertEquals(test.nodeModulesDir, runtime.nodeModulesDir);
  assertEquals(test.lock, { path: "./deno.test.lock", frozen: true });
});

Deno.test("deno.lock holds no test-only package, and every package it holds is locked alike in deno.test.lock", async () => {
  const runtime = await read("deno.lock");
  const test = await read("deno.test.lock");
  const names = Object.keys(runtime.npm as Record<string, unknown>).map(packageName);
  for (const name of TEST_ONLY) {
    assert(!names.includes(name), `${name} is in deno.lock: the runtime would download it`);
    assert(
      Object.keys(test.npm).map(packageName).includes(name),
      `${name} is not in deno.test.lock (listed as test-only here: remove it from TEST_ONLY if it is gone)`,
    );
  }
  for (const [key, entry] of Object.entries(runtime.npm as Record<string, unknown>)) {
    assertEquals(test.npm[key], entry, `${key} is locked alike in both lock files`);
  }
  const runtimeImports = Object.values((await read("deno.json")).imports as Record<string, string>);
  for (const dependency of runtime.workspace.dependencies as string[]) {
    assert(
      runtimeImports.some((target) => target.replace("npm:/", "npm:").startsWith(dependency)),
      `${dependency} of deno.lock is not imported by deno.json: run deno install --frozen=false`,
    );
  }
});
