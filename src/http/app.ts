/**
 * The HTTP server (Hono on `Deno.serve`): `/mcp` (Streamable HTTP, one MCP server per session),
 * `/webhooks/:platform` (signed deliveries, see `webhooks.ts`), the dashboard (`/` and its pages, see
 * `dashboard/routes.tsx`) and `/healthz`.
 *
 * @module
 */
import { Hono } from "hono";
import { Effect, Redacted } from "effect";
import type { Context } from "hono";
import type { ToolRuntime } from "../mcp/tools/mod.ts";
import { Config } from "../config.ts";
import { VERSION } from "../mcp/server.ts";
import { bodyGuard } from "./body_guard.ts";
import { jsonRpcError, mcpRoute } from "./mcp_route.ts";
import { bearerGuard, hostGuard, originGuard, timingSafeEqual } from "./middleware.ts";
import { health } from "./health.ts";
import { webhookRoutes } from "./webhooks.ts";
import { mountDashboard } from "./dashboard/routes.tsx";
import { log } from "../log.ts";

/** The HTTP application and a way to close its MCP sessions. */
export interface HttpApp {
  readonly app: Hono;
  readonly close: () => Promise<void>;
}

const MCP_BODY_LIMIT = 8 * 1024 * 1024;

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Milliseconds a request body may take to arrive (default 30 s). */
  readonly bodyTimeoutMs?: number;
}

/** Builds the Hono app over a runtime. */
export function createHttpApp(runtime: ToolRuntime, options: HttpAppOptions = {}): HttpApp {
  const config = runtime.runSync(Config.use(Effect.succeed));
  const token = config.httpToken === undefined ? undefined : Redacted.value(config.httpToken);
  const mcp = mcpRoute(runtime, config);
  const app = new Hono();

  // Every route, /healthz and the webhooks included, answers only to loopback Host names while the
  // server listens on loopback (DNS rebinding).
  app.use("*", hostGuard(config.httpHost));

  app.get("/healthz", async (c) => {
    const report = await runtime.runPromise(health(config.tier, VERSION, hasToken(c, token)));
    return c.json(report.body, report.httpStatus);
  });

  // Forges cannot send the bearer token: deliveries are authenticated by their signature.
  app.route("/webhooks", webhookRoutes(runtime, options.bodyTimeoutMs));

  // The dashboard: pages, forms and sign-in (dashboard/routes.tsx), each behind the Origin guard and
  // the token (bearer header, or the session cookie of a browser that signed in with it).
  mountDashboard(app, runtime, config, token);

  app.use(
    "/mcp",
    originGuard(),
    bearerGuard(token),
    bodyGuard({
      maxBytes: MCP_BODY_LIMIT,
      timeoutMs: options.bodyTimeoutMs,
      tooLarge: (c) => c.json(jsonRpcError(-32600, `Request body over ${MCP_BODY_LIMIT} bytes.`), 413),
      tooSlow: (c) =>
        c.json(jsonRpcError(-32600, "The request body arrived too slowly: the connection is closed."), 408),
    }),
  );
  app.all("/mcp", mcp.handle);

  app.notFound((c) =>
    c.json(
      {
        error:
          `No route ${c.req.method} ${c.req.path}. Try /mcp, /webhooks/:platform, / (the dashboard) or /healthz.`,
      },
      404,
    )
  );
  app.onError((error, c) => {
    log.error("HTTP handler failed", { path: c.req.path, error: String(error) });
    return c.json({ error: "Internal error; see the server log." }, 500);
  });

  return { app, close: mcp.close };
}

/** Whether the request carries the bearer token (always true when none is configured). */
function hasToken(c: Context, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "");
  return match !== null && timingSafeEqual(match[1]!.trim(), token);
}
