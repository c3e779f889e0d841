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

/**
 * The {@link ConfigError} for an address that cannot be listened on (a busy port, a host that is not
 * this machine's, a port that needs privileges), or undefined for anything else.
 */
export function listenError(error: unknown, host: string, port: number): ConfigError | undefined {
  const where = `${host}:${port}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return new ConfigError(
      `Port ${port} on ${host} is already in use (another forgesync, or another program): set ` +
        `FORGESYNC_HTTP_PORT to a free port, or stop what listens on ${where}.`,
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new ConfigError(
      `Cannot listen on ${where}: ${host} is not an address of this machine. Set FORGESYNC_HTTP_HOST to one ` +
        "that is (127.0.0.1 by default).",
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new ConfigError(
      `Cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set FORGESYNC_HTTP_PORT ` +
        "to a port above 1024.",
    );
  }
  return undefined;
}

/** Starts the HTTP server and returns once it listens. */
export async function runServe(config: AppConfig): Promise<RunningServer> {
  checkBind(config);
  const runtime = await makeRuntime(config);
  const http = createHttpApp(runtime);
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: config.httpHost,
      port: config.httpPort,
      onListen: (addr) => resolve(addr as Deno.NetAddr),
    }, http.app.fetch);
  } catch (error) {
    await http.close();
    await runtime.dispose();
    throw listenError(error, config.httpHost, config.httpPort) ?? error;
  }
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
