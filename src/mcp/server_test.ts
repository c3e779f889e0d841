// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { Effect, Layer, ManagedRuntime, Schema } from "effect";
import { assert, assertEquals, assertFalse, assertRejects, assertStringIncludes } from "../testing/assert.ts";
import { AppError } from "../domain/errors.ts";
import { type Tier, TIERS } from "../config.ts";
import { createMcpServer, describeTool, toolsForTier } from "./server.ts";
import { action, decodeCall, inputJsonSchema, type Tool } from "./tool.ts";
import { setLogLevel } from "../log.ts";

const envLogLevel = () =>
  (Deno.env.get("FORGESYNC_LOG_LEVEL") ?? "info") as Parameters<typeof setLogLevel>[0];

const readOnly = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

function fakeTool(name: string, tier: Tool<never>["tier"]): Tool<never> {
  return {
    name,
    description: `The fake ${name} tool.`,
    tier,
    annotations: { title: name, ...readOnly },
    actions: {
      echo: action({
        description: "Echo the text.",
        params: Schema.Struct({ text: Schema.String, times: Schema.optionalKey(Schema.Int) }),
        run: ({ text, times }) => Effect.succeed({ echo: text.repeat(times ?? 1) }),
      }),
      list: action({
        description: "List one or many kinds.",
        params: Schema.Struct({
          kind: Schema.optionalKey(Schema.Union([Schema.String, Schema.Array(Schema.String)])),
        }),
        run: () => Effect.succeed({ echo: "list" }),
      }),
      set: action({
        description: "Set one kind.",
        params: Schema.Struct({ kind: Schema.String }),
        run: ({ kind }) => Effect.succeed({ echo: kind }),
      }),
      refuse: action({
        description: "Always refused.",
        params: Schema.Struct({}),
        run: () => Effect.fail(AppError.conflict("refused on purpose", "do something else")),
      }),
      crash: action({
        description: "Always a defect.",
        params: Schema.Struct({}),
        run: () => Effect.die(new Error("boom ghp_abcdefghijklmnopqrstuvwxyz0123456789")),
      }),
      progress: action({
        description: "Reports progress.",
        params: Schema.Struct({}),
        run: (_, context) =>
          Effect.gen(function* () {
            for (let i = 1; i <= 3; i++) yield* context.progress(i, 3, `step ${i}`);
            return { echo: "done" };
          }),
      }),
    },
    output: Schema.Struct({ echo: Schema.optionalKey(Schema.String) }),
  };
}

const FAKE_TOOLS: readonly Tool<never>[] = [
  fakeTool("fake_core", "core"),
  fakeTool("fake_basic", "basic"),
  fakeTool("fake_project", "project"),
  fakeTool("fake_full", "full"),
];

const EXPECTED: Record<Tier, string[]> = {
  disabled: ["fake_core"],
  basic: ["fake_core", "fake_basic"],
  project: ["fake_core", "fake_basic", "fake_project"],
  full: ["fake_core", "fake_basic", "fake_project", "fake_full"],
};

async function withClient(tier: Tier, f: (client: Client) => Promise<void>): Promise<void> {
  const runtime = ManagedRuntime.make(Layer.empty);
  const server = createMcpServer({ runtime, tools: FAKE_TOOLS, tier });
  const client = new Client({ name: "server-test", version: "0.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  try {
    await server.connect(serverSide);
    await client.connect(clientSide);
    await f(client);
  } finally {
    await client.close();
    await server.close();
    await runtime.dispose();
  }
}

Deno.test("toolsForTier() lists core tools always and tiered tools from their tier up", () => {
  for (const tier of TIERS) {
    assertEquals(toolsForTier(FAKE_TOOLS, tier).map((t) => t.name), EXPECTED[tier], `tier ${tier}`);
  }
});

for (const tier of TIERS) {
  Deno.test(`createMcpServer() lists exactly the tools of tier "${tier}"`, async () => {
    await withClient(tier, async (client) => {
      const { tools } = await client.listTools();
      assertEquals(tools.map((t: { name: string }) => t.name), EXPECTED[tier]);
      for (const hidden of FAKE_TOOLS.filter((t) => !EXPECTED[tier].includes(t.name))) {
        const error = await assertRejects(() => client.callTool({ name: hidden.name, arguments: {} }));
        assert(error instanceof McpError, `calling hidden ${hidden.name} gave ${error}`);
        assertStringIncludes(error.message, hidden.name);
      }
    });
  });
}

Deno.test("createMcpServer() answers a call with structuredContent and the same JSON as text", async () => {
  await withClient("disabled", async (client) => {
    await client.listTools();
    const result = await client.callTool({
      name: "fake_core",
      arguments: { action: "echo", text: "ab", times: 2 },
    });
    assertFalse(result.isError);
    assertEquals(result.structuredContent, { echo: "abab" });
    const content = result.content as Array<{ type: string; text: string }>;
    assertEquals(content.length, 1);
    assertEquals(content[0]!.type, "text");
    assertEquals(JSON.parse(content[0]!.text), result.structuredContent);
  });
});

Deno.test("createMcpServer() turns an AppError into an isError result with code, message and hint", async () => {
  await withClient("disabled", async (client) => {
    await client.listTools();
    const result = await client.callTool({ name: "fake_core", arguments: { action: "refuse" } });
    assertEquals(result.isError, true);
    assertEquals(result.structuredContent, {
      error: { code: "CONFLICT", message: "refused on purpose", hint: "do something else" },
    });
  });
});

Deno.test("createMcpServer() turns a defect into INTERNAL without leaking a token", async () => {
  setLogLevel("silent");
  await withClient("disabled", async (client) => {
    await client.listTools();
    const result = await client.callTool({ name: "fake_core", arguments: { action: "crash" } });
    assertEquals(result.isError, true);
    const error = (result.structuredContent as { error: { code: string; message: string } }).error;
    assertEquals(error.code, "INTERNAL");
    assertStringIncludes(error.message, "fake_core");
    assertFalse(JSON.stringify(result).includes("ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
  }).finally(() => setLogLevel(envLogLevel()));
});

Deno.test("createMcpServer() reports progress when the caller sends a progress token", async () => {
  await withClient("disabled", async (client) => {
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool(
      { name: "fake_core", arguments: { action: "progress" } },
      undefined,
      { onprogress: (p: { progress: number; total?: number; message?: string }) => seen.push(p) },
    );
    assertEquals(result.structuredContent, { echo: "done" });
    assertEquals(seen.map((p) => p.progress), [1, 2, 3]);
    assertEquals(seen[2], { progress: 3, total: 3, message: "step 3" });
  });
});

Deno.test("createMcpServer() refuses bad arguments as a VALIDATION_ERROR result listing every problem", async () => {
  await withClient("full", async (client) => {
    const result = await client.callTool({
      name: "fake_full",
      arguments: { action: "echo", text: 5, times: "x", extra: true },
    });
    assertEquals(result.isError, true);
    const error =
      (result.structuredContent as { error: { code: string; message: string; hint: string } }).error;
    assertEquals(error.code, "VALIDATION_ERROR");
    for (const part of ["text", "times", `"extra" is not a parameter of action "echo"`]) {
      assertStringIncludes(error.message, part);
    }
    assertStringIncludes(error.hint, "text, times");
  });
});

Deno.test("describeTool() publishes one flat object schema for input and for output", () => {
  const described = describeTool(FAKE_TOOLS[0] as Tool<unknown>);
  assertEquals(Object.keys(described), [
    "name",
    "title",
    "description",
    "inputSchema",
    "outputSchema",
    "annotations",
  ]);
  const input = described.inputSchema as Record<string, unknown>;
  assertEquals(input.type, "object");
  assertEquals(input.required, ["action"]);
  assertEquals(input.additionalProperties, false);
  for (const key of ["anyOf", "oneOf", "allOf"]) assertFalse(key in input, `top-level ${key}`);
  const output = described.outputSchema as { type: string; properties: Record<string, unknown> };
  assertEquals(output.type, "object");
  assertEquals(Object.keys(output.properties), ["echo", "error"]);
  assertFalse("required" in output);
});

Deno.test("inputJsonSchema() admits every action's form of a shared parameter", () => {
  const input = inputJsonSchema(FAKE_TOOLS[0] as Tool<unknown>) as {
    properties: Record<string, { anyOf?: unknown[]; type?: string; description?: string }>;
  };
  const kind = input.properties.kind!;
  assertEquals(kind.anyOf, [{ type: "string" }, { type: "array", items: { type: "string" } }]);
  assertEquals(kind.description, "Used by: list, set; required by: set.");
  assertEquals(
    (input.properties.action as { enum?: string[] }).enum,
    ["echo", "list", "set", "refuse", "crash", "progress"],
  );
});

Deno.test("decodeCall() names a missing or unknown action", () => {
  const tool = FAKE_TOOLS[0] as Tool<unknown>;
  const missing = decodeCall(tool, {});
  assert(!missing.ok);
  assertStringIncludes(missing.message, "action is required by fake_core");
  const unknown = decodeCall(tool, { action: "explode" });
  assert(!unknown.ok);
  assertStringIncludes(unknown.message, `action "explode" is not an action of fake_core`);
  assertStringIncludes(unknown.hint, `"echo"`);
  const notObject = decodeCall(tool, ["echo"]);
  assert(!notObject.ok);
  const ok = decodeCall(tool, { action: "echo", text: "x" });
  assert(ok.ok);
  assertEquals(ok.input, { text: "x" });
});
