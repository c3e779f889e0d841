/**
 * `forgesync mcp`: the MCP server over stdio. stdout carries JSON-RPC only: console output is
 * routed to stderr before anything else runs, and the logger writes to stderr.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import process from "node:process";
import type { AppConfig } from "../config.ts";
import { makeRuntime, startBackgroundSync } from "../app.ts";
import { createMcpServer } from "../mcp/server.ts";
import { allTools } from "../mcp/tools/mod.ts";
import { log, routeConsoleToStderr } from "../log.ts";

/** Serves MCP over stdio until the client closes the stream or a signal arrives. */
export async function runStdio(config: AppConfig): Promise<void> {
  routeConsoleToStderr();
  const runtime = await makeRuntime(config);
  const server = createMcpServer({ runtime, tools: allTools, tier: config.tier, readOnly: config.readOnly });
  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    log.debug(`stdio server closing (${why})`);
    await server.close().catch(() => undefined);
    await runtime.dispose();
    Deno.exit(0);
  };
  server.onclose = () => void shutdown("client closed the connection");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void shutdown(signal));
  }
  const transport = new StdioServerTransport();
  await server.connect(transport);
  closeAtEndOfInput(transport, () => void shutdown("stdin closed"));
  startBackgroundSync(runtime, config);
  log.info("forgesync MCP server ready on stdio", { tier: config.tier, db: config.dbUrl });
}

/**
 * Calls `close` once stdin has ended and every request read before the end has been answered.
 * The SDK transport does not watch for the end of its input, so without this a client closing
 * the pipe would leave the server (and its background sync) running until it is killed.
 */
function closeAtEndOfInput(transport: StdioServerTransport, close: () => void): void {
  let pending = 0;
  let ended = false;
  const received = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if ("id" in message && "method" in message) pending++;
    received?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    await send(message);
    if ("id" in message && !("method" in message)) {
      pending = Math.max(0, pending - 1);
      if (ended && pending === 0) close();
    }
  };
  const end = () => {
    ended = true;
    if (pending === 0) close();
  };
  process.stdin.once("end", end);
  process.stdin.once("close", end);
}
