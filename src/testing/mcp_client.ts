/**
 * Test helpers: the real MCP SDK `Client` connected to {@link createMcpServer} over the SDK's
 * in-memory transport, with a runtime on a fresh libSQL file in a temp folder.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Effect, type Layer } from "effect";
import type { ForgeSettings } from "../forges/forges.ts";
import type { SyncOptions } from "../sync/service.ts";
import { loadConfig } from "../config.ts";
import { type AppRuntime, makeRuntime } from "../app.ts";
import { createMcpServer } from "../mcp/server.ts";
import { allTools } from "../mcp/tools/mod.ts";
import { Db } from "../store/db.ts";

/** A tool result as the tests read it. */
export interface CallResult {
  readonly isError: boolean;
  // deno-lint-ignore no-explicit-any
  readonly structured: any;
  readonly text: string;
}

/** A connected client with its runtime; `close` releases everything. */
export interface TestClient {
  readonly client: Client;
  readonly runtime: AppRuntime;
  readonly dbUrl: string;
  /** Calls a tool and checks that the text content is the JSON of `structuredContent`. */
  call(name: string, args: Record<string, unknown>): Promise<CallResult>;
  /** Every row of the orchestrator's tables, for before/after comparisons. */
  dump(tables?: readonly string[]): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}

/** The tables {@link TestClient} `dump` reads. */
export const DUMPED_TABLES = [
  "tasks",
  "features",
  "feature_issue_links",
  "git_integration_config",
  "release_milestones",
  "schema_migrations",
] as const;

/**
 * Starts a runtime on a temp database, an MCP server for it and a connected SDK client (tools
 * listed once, so the client validates `structuredContent` against each `outputSchema`).
 */
export async function connectTestClient(
  env: Readonly<Record<string, string>> = {},
  options: {
    /** Forge connection settings (e.g. short retry waits). */
    readonly settings?: Layer.Layer<ForgeSettings>;
    /** An existing database URL to reuse (a "restart" on the same file); a temp file otherwise. */
    readonly dbUrl?: string;
    /** Lease settings and probes of the sync service. */
    readonly sync?: SyncOptions;
  } = {},
): Promise<TestClient> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_mcp_" });
  const dbUrl = options.dbUrl ?? `file:${dir}/forgesync.db`;
  const config = loadConfig({ ...env, FORGESYNC_DB_URL: dbUrl });
  const runtime = await makeRuntime(config, options.settings, options.sync);
  const server = createMcpServer({ runtime, tools: allTools, tier: config.tier, readOnly: config.readOnly });
  const client = new Client({ name: "forgesync-test", version: "0.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  await client.listTools();
  const decoder = (result: Record<string, unknown>): CallResult => {
    const content = result.content as Array<{ type: string; text: string }>;
    const text = content[0]?.text ?? "";
    return { isError: result.isError === true, structured: result.structuredContent, text };
  };
  return {
    client,
    runtime,
    dbUrl,
    call: async (name, args) =>
      decoder(await client.callTool({ name, arguments: args }) as Record<string, unknown>),
    dump: (tables = DUMPED_TABLES) =>
      runtime.runPromise(Effect.gen(function* () {
        const db = yield* Db;
        const out: Record<string, unknown[]> = {};
        for (const table of tables) {
          out[table] = yield* db.query(`SELECT * FROM ${table} ORDER BY rowid`);
        }
        return JSON.parse(JSON.stringify(out));
      })),
    close: async () => {
      await client.close();
      await server.close();
      await runtime.dispose();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
