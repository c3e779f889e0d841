/**
 * `forgesync mcp`: the MCP server over stdio. stdout carries JSON-RPC only: console output is
 * routed to stderr before anything else runs, and the logger writes to stderr.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { AppConfig } from "../config.ts";
import { makeRuntime, startBackgroundSync } from "../app.ts";
import { createMcpServer } from "../mcp/server.ts";
import { allTools } from "../mcp/tools/mod.ts";
import { log, routeConsoleToStderr } from "../log.ts";

/** Serves MCP over stdio until the client closes the stream or a signal arrives. */
export async function runStdio(config: AppConfig): Promise<void> {
  routeConsoleToStderr();
  const runtime = await makeRuntime(config);
  const server = createMcpServer({ runtime, tools: allTools, tier: config.tier });
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
  await server.connect(new StdioServerTransport());
  startBackgroundSync(runtime, config);
  log.info("forgesync MCP server ready on stdio", { tier: config.tier, db: config.dbUrl });
}
