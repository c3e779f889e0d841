/**
 * `forgesync serve`: the HTTP server on `Deno.serve`. Binding to anything but loopback without
 * `FORGESYNC_HTTP_TOKEN` is refused: the server would otherwise hand the database to the network.
 *
 * @module
 */
import type { AppConfig } from "../config.ts";
import { ConfigError } from "../config.ts";
import { makeRuntime, startBackgroundSync } from "../app.ts";
import { createHttpApp } from "../http/app.ts";
import { isLoopback } from "../http/middleware.ts";
import { log } from "../log.ts";

/** A running HTTP server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly shutdown: () => Promise<void>;
}

/** Refuses a non-loopback bind without a token. */
export function checkBind(config: AppConfig): void {
  if (!isLoopback(config.httpHost) && config.httpToken === undefined) {
    throw new ConfigError(
      `FORGESYNC_HTTP_HOST is "${config.httpHost}", which is reachable from other machines, and ` +
        "FORGESYNC_HTTP_TOKEN is not set. Set FORGESYNC_HTTP_TOKEN to a long random secret, or bind to 127.0.0.1.",
    );
  }
}

/** Starts the HTTP server and returns once it listens. */
export async function runServe(config: AppConfig): Promise<RunningServer> {
  checkBind(config);
  const runtime = await makeRuntime(config);
  const http = createHttpApp(runtime);
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: config.httpHost,
    port: config.httpPort,
    onListen: (addr) => resolve(addr as Deno.NetAddr),
  }, http.app.fetch);
  const addr = await listening;
  startBackgroundSync(runtime, config);
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const url = `http://${host}:${addr.port}`;
  log.info(`forgesync HTTP server listening on ${url}`, { tier: config.tier, mcp: `${url}/mcp` });
  let stopped = false;
  const shutdown = async () => {
    if (stopped) return;
    stopped = true;
    await http.close();
    await server.shutdown();
    await runtime.dispose();
  };
  return { url, port: addr.port, shutdown };
}
