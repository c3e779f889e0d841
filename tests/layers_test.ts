/**
 * The layer rule of tests/import_graph.ts, held on the real sources, and the checker itself
 * shown to catch what it forbids.
 */
import { assertEquals } from "../src/testing/assert.ts";
import {
  CORE_UNITS,
  cycles,
  type Edge,
  effectRunsIn,
  importsOf,
  isTestCode,
  layerViolations,
  readGraph,
  sqlStatementsIn,
  unitOf,
} from "./import_graph.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("the sources keep the layer rule: no forbidden import, no import cycle", async () => {
  const cwd = Deno.cwd();
  Deno.chdir(root);
  try {
    const edges = await readGraph(["src", "plugins"]);
    assertEquals(layerViolations(edges), [], "forbidden imports");
    assertEquals(cycles(edges.map((e) => [e.from, e.to] as const)), [], "file import cycles");
    const units = edges.flatMap((e) => {
      const a = unitOf(e.from), b = unitOf(e.to);
      return a !== undefined && b !== undefined && a !== b ? [[a, b] as const] : [];
    });
    assertEquals(cycles(units), [], "cycles between layers or services");
  } finally {
    Deno.chdir(cwd);
  }
});

Deno.test("the checker refuses each kind of forbidden import", () => {
  const edges: Edge[] = [
    { from: "src/domain/merge.ts", to: "src/store/db.ts" },
    { from: "src/store/links.ts", to: "src/platform/types.ts" },
    { from: "src/platform/retry.ts", to: "src/sync/outbox.ts" },
    { from: "src/sync/outbox.ts", to: "src/mcp/tool.ts" },
    { from: "src/mcp/tool.ts", to: "src/http/app.ts" },
    { from: "src/http/app.ts", to: "src/app.ts" },
    { from: "src/boards/push.ts", to: "src/testing/github_sandbox.ts" },
    { from: "src/platform/registry.ts", to: "plugins/github/mod.ts" },
    { from: "plugins/gitlab/client.ts", to: "src/platform/retry.ts" },
    { from: "plugins/gitlab/client.ts", to: "plugins/github/mapping.ts" },
    // Allowed, for contrast:
    { from: "src/sync/outbox.ts", to: "src/store/sql.ts" },
    { from: "src/http/app.ts", to: "src/mcp/server.ts" },
    { from: "plugins/gitlab/client.ts", to: "src/platform/mod.ts" },
    { from: "plugins/gitlab/client_test.ts", to: "src/testing/gitlab_sandbox.ts" },
    { from: "src/cli/main.ts", to: "src/app.ts" },
  ];
  assertEquals(layerViolations(edges).map((v) => v.split(":")[0]), [
    "plugins/gitlab/client.ts -> plugins/github/mapping.ts",
    "plugins/gitlab/client.ts -> src/platform/retry.ts",
    "src/boards/push.ts -> src/testing/github_sandbox.ts",
    "src/domain/merge.ts -> src/store/db.ts",
    "src/http/app.ts -> src/app.ts",
    "src/mcp/tool.ts -> src/http/app.ts",
    "src/platform/registry.ts -> plugins/github/mod.ts",
    "src/platform/retry.ts -> src/sync/outbox.ts",
    "src/store/links.ts -> src/platform/types.ts",
    "src/sync/outbox.ts -> src/mcp/tool.ts",
  ]);
});

Deno.test("the checker finds cycles, and reads static, type-only, re-export and dynamic imports", () => {
  assertEquals(cycles([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]]), [["a", "b", "c"]]);
  assertEquals(cycles([["a", "a"]]), [["a"]]);
  assertEquals(cycles([["a", "b"], ["b", "c"]]), []);
  const text = [
    `import { x } from "./x.ts";`,
    `import type {\n  Y,\n} from "../y/y.ts";`,
    `export { z } from "./z.ts";`,
    `import "./side.ts";`,
    `const m = await import("../../plugins/github/mod.ts");`,
    `const s = "not an import from './q.ts'";`,
  ].join("\n");
  assertEquals(
    importsOf("src/sync/a.ts", text).sort(),
    [
      "plugins/github/mod.ts",
      "src/sync/side.ts",
      "src/sync/x.ts",
      "src/sync/z.ts",
      "src/y/y.ts",
    ].sort(),
  );
  assertEquals(unitOf("src/domain/task.ts"), "foundation");
  assertEquals(unitOf("src/app.ts"), "app");
  assertEquals(unitOf("src/sync/outbox_test.ts"), undefined);
  assertEquals(isTestCode("plugins/github/test_helpers.ts"), true);
});

Deno.test("SQL lives in src/store: no production file elsewhere runs a statement", async () => {
  const cwd = Deno.cwd();
  Deno.chdir(root);
  try {
    const edges = await readGraph(["src", "plugins"]);
    const files = [...new Set(edges.map((e) => e.from))].filter((f) =>
      !isTestCode(f) && !f.startsWith("src/store/")
    );
    const found: string[] = [];
    for (const file of files) {
      if (sqlStatementsIn(await Deno.readTextFile(file)) > 0) found.push(file);
    }
    // A statement belongs in a repository of src/store (migrations/ hold the schema).
    assertEquals(found.sort(), []);
  } finally {
    Deno.chdir(cwd);
  }
});

/**
 * The places in the core that run an Effect as a Promise, each at a real Promise boundary (a caller
 * that is not an Effect hands work to the runtime), with why.
 */
const CORE_RUN_BOUNDARIES: Record<string, string> = {
  "src/forges/answers.ts": "the forge fetch (a fetch wrapper, Promise-based) reads stored answers through it",
};

Deno.test("no Effect is run inside the core except at the listed Promise boundaries", async () => {
  const cwd = Deno.cwd();
  Deno.chdir(root);
  try {
    const edges = await readGraph(["src", "plugins"]);
    const files = [...new Set(edges.map((e) => e.from))].filter((f) =>
      !isTestCode(f) && CORE_UNITS.includes(unitOf(f) ?? "")
    );
    const found: string[] = [];
    for (const file of files) {
      if (effectRunsIn(await Deno.readTextFile(file)) > 0) found.push(file);
    }
    assertEquals(found.sort(), Object.keys(CORE_RUN_BOUNDARIES).sort());
  } finally {
    Deno.chdir(cwd);
  }
});
