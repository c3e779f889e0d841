/**
 * Tool snapshots: every tool's published contract (name, title, description, inputSchema,
 * outputSchema, annotations) is kept in `tests/toolsnaps/<tool_name>.snap.json`, so that a change
 * to what clients and models see is a visible diff in review.
 *
 * Update them after a deliberate change with:
 *   UPDATE_TOOLSNAPS=1 deno task test tests/toolsnaps_test.ts
 */
import { assert } from "../src/testing/assert.ts";
import { describeTool } from "../src/mcp/server.ts";
import { allTools } from "../src/mcp/tools/mod.ts";
import type { Tool } from "../src/mcp/tool.ts";

const DIR = new URL("./toolsnaps/", import.meta.url);
const UPDATE_COMMAND = "UPDATE_TOOLSNAPS=1 deno task test tests/toolsnaps_test.ts";
const updating = Deno.env.get("UPDATE_TOOLSNAPS") === "1" || Deno.env.get("UPDATE_TOOLSNAPS") === "true";

/** The snapshot text of a tool: the `tools/list` entry, pretty-printed. */
function snapshot(tool: Tool<unknown>): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = describeTool(tool);
  return JSON.stringify({ name, title, description, inputSchema, outputSchema, annotations }, null, 2) + "\n";
}

function firstDifference(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}:\n  snapshot: ${a[i] ?? "(end of file)"}\n  now:      ${b[i] ?? "(end of file)"}`;
    }
  }
  return "no difference";
}

async function readText(url: URL): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(url);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

for (const tool of allTools) {
  Deno.test(`toolsnap of ${tool.name} matches tests/toolsnaps/${tool.name}.snap.json`, async () => {
    const file = new URL(`${tool.name}.snap.json`, DIR);
    const actual = snapshot(tool as Tool<unknown>);
    if (updating) {
      await Deno.mkdir(DIR, { recursive: true });
      if ((await readText(file)) !== actual) await Deno.writeTextFile(file, actual);
      return;
    }
    const expected = await readText(file);
    if (expected === undefined) {
      throw new Error(
        `No snapshot of tool ${tool.name} (tests/toolsnaps/${tool.name}.snap.json). ` +
          `Create it with: ${UPDATE_COMMAND}`,
      );
    }
    if (expected !== actual) {
      throw new Error(
        `The published contract of tool ${tool.name} differs from tests/toolsnaps/${tool.name}.snap.json; ` +
          `first difference at ${firstDifference(expected, actual)}\n` +
          `If the change is deliberate, run: ${UPDATE_COMMAND} and commit the snapshot.`,
      );
    }
  });
}

Deno.test("every toolsnap belongs to a tool", async () => {
  const names = new Set(allTools.map((t) => t.name));
  const stale: string[] = [];
  for await (const entry of Deno.readDir(DIR)) {
    const match = /^(.+)\.snap\.json$/.exec(entry.name);
    if (match === null || names.has(match[1]!)) continue;
    if (updating) await Deno.remove(new URL(entry.name, DIR));
    else stale.push(entry.name);
  }
  assert(
    stale.length === 0,
    `Snapshots without a tool: ${stale.join(", ")}. Remove them with: ${UPDATE_COMMAND}`,
  );
});

Deno.test("every tool's published schemas are flat objects with truthful names", () => {
  const seen = new Set<string>();
  for (const tool of allTools) {
    assert(!seen.has(tool.name), `two tools are named ${tool.name}`);
    seen.add(tool.name);
    assert(/^[a-z][a-z0-9_]{0,63}$/.test(tool.name), `tool name ${tool.name}`);
    const described = describeTool(tool as Tool<unknown>) as {
      inputSchema: Record<string, unknown>;
      outputSchema: Record<string, unknown>;
    };
    for (
      const [which, schema] of Object.entries({
        input: described.inputSchema,
        output: described.outputSchema,
      })
    ) {
      assert(schema.type === "object", `${tool.name} ${which}Schema is not an object`);
      for (const key of ["anyOf", "oneOf", "allOf"]) {
        assert(!(key in schema), `${tool.name} ${which}Schema has a top-level ${key}`);
      }
    }
    assert(
      (described.outputSchema.properties as Record<string, unknown>).error !== undefined,
      `${tool.name} outputSchema does not admit the error shape`,
    );
  }
});
