/**
 * Real forgesync server processes for integration tests: `deno run … mod.ts mcp` (the flags of
 * deno.json's `mcp` task) on a shared database, each driven by the MCP SDK client over stdio — what
 * two assistants, or two machines' clients, do to one database.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { childEnv, ROOT, taskArgs } from "../e2e/helpers.ts";

/** A tool result as the tests read it. */
export interface ToolAnswer {
  readonly isError: boolean;
  // deno-lint-ignore no-explicit-any
  readonly structured: any;
  readonly text: string;
}

/** A running server process and its client. */
export interface ServerProcess {
  readonly client: Client;
  /** Calls a tool. */
  call(name: string, args: Record<string, unknown>): Promise<ToolAnswer>;
  /** Calls a tool; throws on an error result. */
  // deno-lint-ignore no-explicit-any
  ok(name: string, args: Record<string, unknown>): Promise<any>;
  /** The process id of the server. */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

/** Starts `mod.ts mcp` with `env` (FORGESYNC_DB_URL names the shared database) and connects a client. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: taskArgs("mcp"),
    cwd: ROOT,
    env: childEnv({ FORGESYNC_LOG_LEVEL: "error", ...env }),
    stderr: "inherit",
  });
  const client = new Client({ name: "forgesync-it", version: "0.0.0" });
  await client.connect(transport);
  await client.listTools();
  const call = async (name: string, args: Record<string, unknown>): Promise<ToolAnswer> => {
    const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? "";
    return { isError: result.isError === true, structured: result.structuredContent, text };
  };
  return {
    client,
    call,
    ok: async (name, args) => {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} ${String(args.action)}: ${r.text}`);
      return r.structured;
    },
    pid: transport.pid ?? undefined,
    close: () => client.close(),
  };
}
