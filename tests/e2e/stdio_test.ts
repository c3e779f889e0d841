/**
 * End to end over stdio: the real server (`deno run … mod.ts mcp`, the flags of deno.json's `mcp`
 * task) driven by the MCP SDK client, and by hand with raw JSON-RPC lines to check that stdout
 * carries nothing but JSON-RPC while logs go to stderr.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { VERSION } from "../../src/mcp/server.ts";
import { Effect } from "effect";
import { Db, makeDb } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { childEnv, expectedTools, LineReader, ROOT, taskArgs, TIER_ENVS, withTempDir } from "./helpers.ts";

async function withStdioClient<A>(
  env: Record<string, string>,
  f: (client: Client) => Promise<A>,
): Promise<A> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: taskArgs("mcp"),
    cwd: ROOT,
    env: childEnv({ FORGESYNC_LOG_LEVEL: "error", ...env }),
    stderr: "inherit",
  });
  const client = new Client({ name: "forgesync-e2e", version: "0.0.0" });
  try {
    await client.connect(transport);
    return await f(client);
  } finally {
    await client.close();
  }
}

// deno-lint-ignore no-explicit-any
type Structured = any;

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as Array<{ type: string; text: string }>)[0]!.text;
  assertEquals(JSON.parse(text), result.structuredContent, "the text is not the JSON of structuredContent");
  return { isError: result.isError === true, structured: result.structuredContent as Structured };
}

Deno.test("stdio: tools/list lists exactly the tools of each tier", async (t) => {
  await withTempDir(async (dir) => {
    for (const { label, env, tier } of TIER_ENVS) {
      await t.step(`${label} → ${tier}`, async () => {
        await withStdioClient({ ...env, FORGESYNC_DB_URL: `file:${dir}/tiers.db` }, async (client) => {
          assertEquals(client.getServerVersion()?.name, "forgesync");
          const { tools } = await client.listTools();
          assertEquals(tools.map((tool: { name: string }) => tool.name).sort(), expectedTools(tier).sort());
          if (tier === "disabled") {
            assertEquals(
              tools.map((tool: { name: string }) => tool.name).sort(),
              ["orchestrator_feature", "orchestrator_task"],
            );
          }
        });
      });
    }
  });
});

Deno.test("stdio: task and feature actions, error results and state kept across restarts", async () => {
  await withTempDir(async (dir) => {
    const env = { FORGESYNC_DB_URL: `file:${dir}/state.db` };
    const ids = await withStdioClient(env, async (client) => {
      assertEquals(client.getServerVersion(), { name: "forgesync", version: VERSION });
      assert(client.getServerCapabilities()?.tools !== undefined);
      await client.listTools();

      const proposed = await call(client, "orchestrator_feature", {
        action: "propose",
        title: "Sync over stdio",
        specification: "End to end.",
      });
      assertFalse(proposed.isError);
      const featureId = proposed.structured.feature.feature_id;
      const approved = await call(client, "orchestrator_feature", {
        action: "approve",
        feature_id: featureId,
      });
      assertEquals(approved.structured.feature.status, "approved");

      const created = await call(client, "orchestrator_task", {
        action: "create",
        title: "Write the e2e test",
        feature_id: featureId,
        labels: ["test"],
      });
      assertFalse(created.isError);
      const taskId = created.structured.task.task_id;
      const started = await call(client, "orchestrator_task", {
        action: "update",
        task_id: taskId,
        status: "in_progress",
      });
      assertEquals([started.structured.task.status, started.structured.task.version], ["in_progress", 2]);

      const listed = await call(client, "orchestrator_task", { action: "list", feature_id: featureId });
      assertEquals(listed.structured.tasks.map((task: { task_id: string }) => task.task_id), [taskId]);
      assertEquals(listed.structured.next_cursor, null);

      const refused = await call(client, "orchestrator_task", {
        action: "update",
        task_id: taskId,
        status: "pending",
      });
      assert(refused.isError);
      assertEquals(refused.structured.error.code, "CONFLICT");
      assertStringIncludes(refused.structured.error.hint, "completed");

      const invalid = await call(client, "orchestrator_feature", { action: "launch", feature_id: featureId });
      assert(invalid.isError);
      assertEquals(invalid.structured.error.code, "VALIDATION_ERROR");
      assertStringIncludes(invalid.structured.error.message, "launch");

      const missing = await call(client, "orchestrator_task", { action: "get", task_id: "task_NOPE" });
      assertEquals(missing.structured.error.code, "NOT_FOUND");

      let protocolError = "";
      await client.callTool({ name: "no_such_tool", arguments: {} }).catch((e: Error) => {
        protocolError = e.message;
      });
      assertStringIncludes(protocolError, "no_such_tool");
      return { featureId, taskId };
    });

    await withStdioClient(env, async (client) => {
      await client.listTools();
      const task = await call(client, "orchestrator_task", { action: "get", task_id: ids.taskId });
      assertEquals(task.structured.task.status, "in_progress");
      assertEquals(task.structured.task.feature_id, ids.featureId);
      const feature = await call(client, "orchestrator_feature", {
        action: "get",
        feature_id: ids.featureId,
      });
      assertEquals(feature.structured.feature.status, "approved");
    });
  });
});

Deno.test("stdio: every stdout line is a JSON-RPC 2.0 message and logs go to stderr", async () => {
  await withTempDir(async (dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: taskArgs("mcp"),
      cwd: ROOT,
      // With the integration on, the background sync runs too: closing stdin must still end the process.
      env: childEnv({
        FORGESYNC_DB_URL: `file:${dir}/raw.db`,
        FORGESYNC_LOG_LEVEL: "debug",
        MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      }),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new LineReader(child.stdout);
    const stderr = new LineReader(child.stderr);
    const stderrDone = stderr.rest();
    const writer = child.stdin.getWriter();
    const encoder = new TextEncoder();
    const send = (message: unknown) =>
      writer.write(encoder.encode((typeof message === "string" ? message : JSON.stringify(message)) + "\n"));
    const responses = new Map<number | string, Record<string, unknown>>();
    const waitFor = async (id: number) => {
      while (!responses.has(id)) {
        const line = await stdout.next();
        if (line === undefined) throw new Error(`stdout ended before response ${id}`);
        const message = JSON.parse(line) as Record<string, unknown>;
        if ("id" in message && message.id !== null) responses.set(message.id as number, message);
      }
      return responses.get(id)!;
    };
    let failed = true;
    const tool = (id: number, name: string, args: unknown) =>
      send({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
    try {
      await send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "0" },
        },
      });
      const init = await waitFor(1);
      assertEquals((init.result as { serverInfo: { name: string } }).serverInfo.name, "forgesync");
      await send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
      await tool(3, "orchestrator_task", { action: "create", title: "Raw 🚀 'quoted'" });
      await tool(4, "orchestrator_task", { action: "explode" });
      await tool(5, "orchestrator_task", { action: "create", title: 42, extra: true });
      await tool(6, "no_such_tool", {});
      await send("{this is not json");
      await send({ jsonrpc: "2.0", id: 7, method: "no/such/method" });
      await tool(8, "orchestrator_feature", { action: "list", limit: 0 });
      await send({ jsonrpc: "2.0", id: 10, method: "ping" });

      const list = await waitFor(2);
      const names = (list.result as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
      assertEquals(names.sort(), expectedTools("full").sort());
      const created = (await waitFor(3)).result as { structuredContent: { task: { title: string } } };
      assertEquals(created.structuredContent.task.title, "Raw 🚀 'quoted'");
      // Calls run concurrently: list only once the create has been answered.
      await tool(9, "orchestrator_task", { action: "list" });
      for (const id of [4, 5, 8]) {
        const result = (await waitFor(id)).result as {
          isError: boolean;
          structuredContent: { error: { code: string } };
        };
        assertEquals(result.isError, true, `response ${id}`);
        assertEquals(result.structuredContent.error.code, "VALIDATION_ERROR");
      }
      const unknownTool = await waitFor(6);
      assertEquals((unknownTool.error as { code: number }).code, -32602);
      const unknownMethod = await waitFor(7);
      assertEquals((unknownMethod.error as { code: number }).code, -32601);
      const listed = (await waitFor(9)).result as { structuredContent: { tasks: unknown[] } };
      assertEquals(listed.structuredContent.tasks.length, 1);
      assertEquals((await waitFor(10)).result, {});
      failed = false;
    } finally {
      await writer.close().catch(() => undefined);
      if (failed) {
        // Leave nothing running behind a failed assertion.
        try {
          child.kill("SIGKILL");
        } catch {
          // already exited
        }
        await stdout.cancel();
        await stderrDone;
        await child.status;
      }
    }
    // Closing stdin ends the session: the server exits cleanly on its own.
    const rest = await stdout.rest();
    const status = await child.status;
    const logs = (await stderrDone).join("\n");
    assertEquals(status.code, 0, `exit code ${status.code}; stderr:\n${logs}`);
    for (const line of rest) {
      const message = JSON.parse(line) as Record<string, unknown>;
      assertEquals(message.jsonrpc, "2.0", line);
      assert("id" in message || "method" in message, `not a JSON-RPC message: ${line}`);
    }
    assert(rest.length >= 10, `expected at least 10 stdout lines, got ${rest.length}`);
    assertStringIncludes(logs, "forgesync MCP server ready on stdio");
    assert(!rest.some((line) => line.includes("ready on stdio")), "a log line reached stdout");
  });
});

Deno.test("stdio: requests piped before the end of input are all answered, then the server exits", async () => {
  await withTempDir(async (dir) => {
    const lines = [
      {
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "pipe", version: "0" },
        },
      },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      ...Array.from({ length: 20 }, (_, i) => ({
        jsonrpc: "2.0",
        id: i + 1,
        method: "tools/call",
        params: { name: "orchestrator_task", arguments: { action: "create", title: `piped ${i + 1}` } },
      })),
    ];
    const child = new Deno.Command(Deno.execPath(), {
      args: taskArgs("mcp"),
      cwd: ROOT,
      env: childEnv({
        FORGESYNC_DB_URL: `file:${dir}/pipe.db`,
        FORGESYNC_LOG_LEVEL: "error",
        MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      }),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join("\n") + "\n"));
    } finally {
      await writer.close().catch(() => undefined);
    }
    const output = await child.output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, stderr);
    const messages = new TextDecoder().decode(output.stdout).trim().split("\n").map((l) => JSON.parse(l));
    const ids = messages.map((m: { id: number }) => m.id).sort((a: number, b: number) => a - b);
    assertEquals(ids, Array.from({ length: 21 }, (_, i) => i));
    for (const m of messages.filter((m: { id: number }) => m.id > 0)) {
      assertEquals(m.result.isError, undefined, JSON.stringify(m));
    }
  });
});

Deno.test("stdio: a database from a newer forgesync is refused at start-up with a clear message", async () => {
  await withTempDir(async (dir) => {
    const url = `file:${dir}/future.db`;
    const db = await Effect.runPromise(makeDb({ url }));
    try {
      await Effect.runPromise(migrate().pipe(Effect.provideService(Db, db)));
      await Effect.runPromise(db.batch([{
        sql:
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2099-01-01')",
      }]));
    } finally {
      await Effect.runPromise(db.close);
    }
    const output = await new Deno.Command(Deno.execPath(), {
      args: taskArgs("mcp"),
      cwd: ROOT,
      env: childEnv({ FORGESYNC_DB_URL: url }),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertFalse(output.success, "the server started on a database from the future");
    assertEquals(new TextDecoder().decode(output.stdout), "");
    assertStringIncludes(stderr, "schema version 9999");
    assertStringIncludes(stderr, "Upgrade forgesync");
    assertFalse(stderr.includes("Uncaught"), stderr);
  });
});
