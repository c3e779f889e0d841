/**
 * `forgesync serve`: the HTTP server on `Deno.serve`. Binding to anything but loopback without
 * `FORGESYNC_HTTP_TOKEN` is refused: the server would otherwise hand the database to the network.
 * The public address is listened on by a {@link ConnectionGuard}, which relays each connection to
 * `Deno.serve` on a loopback port and drops connections too slow to send their request.
 *
 * @module
 */
import type { AppConfig } from "../config.ts";
import { ConfigError } from "../config.ts";
import { type AppRuntime, makeRuntime, startBackgroundSync } from "../app.ts";
import { createHttpApp } from "../http/app.ts";
import { isLoopback } from "../http/middleware.ts";
import { ConnectionGuard, HEAD_TIMEOUT_MS } from "../http/connection_guard.ts";
import { BODY_TIMEOUT_MS, type ConnectionEnv } from "../http/body_guard.ts";
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

/** Deadlines for slow clients (tests shorten them). */
export interface ClientDeadlines {
  /** Milliseconds to deliver a request head (from opening, or after an answer). */
  readonly headMs: number;
  /** Milliseconds to deliver a request body. */
  readonly bodyMs: number;
}

/** Starts the HTTP server and returns once it listens. */
export async function runServe(
  config: AppConfig,
  deadlines: ClientDeadlines = { headMs: HEAD_TIMEOUT_MS, bodyMs: BODY_TIMEOUT_MS },
): Promise<RunningServer> {
  checkBind(config);
  // Listen first: a busy port is one line, before any start-up work.
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: config.httpHost, port: config.httpPort });
  } catch (error) {
    throw listenError(error, config.httpHost, config.httpPort) ?? error;
  }
  let runtime: AppRuntime;
  try {
    runtime = await makeRuntime(config);
  } catch (error) {
    listener.close();
    throw error;
  }
  const http = createHttpApp(runtime, { bodyTimeoutMs: deadlines.bodyMs });
  // Connections are relayed to the HTTP server on a loopback port, dropping those too slow to send
  // a request (Deno.serve has no header timeout).
  const guard = new ConnectionGuard(listener, { headMs: deadlines.headMs });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request, info) => {
    const port = info.remoteAddr.port;
    const done = guard.requestArrived(port);
    info.completed.then(done, done);
    const env: ConnectionEnv = { dropConnection: () => guard.drop(port) };
    return http.app.fetch(request, env);
  });
  guard.start(server.addr.port);
  const addr = guard.addr;
  startBackgroundSync(runtime, config);
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const url = `http://${host}:${addr.port}`;
  log.info(`forgesync HTTP server listening on ${url}`, { tier: config.tier, mcp: `${url}/mcp` });
  let stopped = false;
  const shutdown = async () => {
    if (stopped) return;
    stopped = true;
    await guard.close();
    await http.close();
    await server.shutdown();
    await runtime.dispose();
  };
  return { url, port: addr.port, shutdown };
}
