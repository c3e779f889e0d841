/**
 * The HTTP server (Hono on `Deno.serve`): `/mcp` (Streamable HTTP, one MCP server per session),
 * `/webhooks/:platform` (signed deliveries, see `webhooks.ts`), `/` (the dashboard) and `/healthz`.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { Effect, Redacted } from "effect";
import type { Context } from "hono";
import type { AppRuntime } from "../app.ts";
import { Config } from "../config.ts";
import { createMcpServer, VERSION } from "../mcp/server.ts";
import { allTools } from "../mcp/tools/mod.ts";
import { bearerGuard, hostGuard, originGuard, timingSafeEqual } from "./middleware.ts";
import { health } from "./health.ts";
import { webhookRoutes } from "./webhooks.ts";
import { dashboardHandler } from "./dashboard.tsx";
import { log } from "../log.ts";

/** The HTTP application and a way to close its MCP sessions. */
export interface HttpApp {
  readonly app: Hono;
  readonly close: () => Promise<void>;
}

const MCP_BODY_LIMIT = 8 * 1024 * 1024;

/** Builds the Hono app over a runtime. */
export function createHttpApp(runtime: AppRuntime): HttpApp {
  const config = runtime.runSync(Config.use(Effect.succeed));
  const token = config.httpToken === undefined ? undefined : Redacted.value(config.httpToken);
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
  const app = new Hono();

  // Every route, /healthz and the webhooks included, answers only to loopback Host names while the
  // server listens on loopback (DNS rebinding).
  app.use("*", hostGuard(config.httpHost));

  app.get("/healthz", async (c) => {
    const report = await runtime.runPromise(health(config.tier, VERSION, hasToken(c, token)));
    return c.json(report.body, report.httpStatus);
  });

  // Forges cannot send the bearer token: deliveries are authenticated by their signature.
  app.route("/webhooks", webhookRoutes(runtime));

  app.get("/", originGuard(), bearerGuard(token), dashboardHandler(runtime));

  app.use(
    "/mcp",
    originGuard(),
    bearerGuard(token),
    bodyLimit({
      maxSize: MCP_BODY_LIMIT,
      onError: (c) => c.json(jsonRpcError(-32600, `Request body over ${MCP_BODY_LIMIT} bytes.`), 413),
    }),
  );

  app.all("/mcp", async (c) => {
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId !== undefined) {
      const transport = sessions.get(sessionId);
      if (transport === undefined) {
        return c.json(
          jsonRpcError(
            -32001,
            `Session "${sessionId.slice(0, 80)}" is unknown or closed: initialize a new one.`,
          ),
          404,
        );
      }
      return transport.handleRequest(c.req.raw);
    }
    if (c.req.method !== "POST") {
      return c.json(
        jsonRpcError(-32000, "Send an initialize request (POST) first: no session id was given."),
        400,
      );
    }
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined || !isInitializeRequest(body)) {
      return c.json(jsonRpcError(-32000, "No session: the first request must be initialize."), 400);
    }
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const server = createMcpServer({
      runtime,
      tools: allTools,
      tier: config.tier,
      readOnly: config.readOnly,
    });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  });

  app.notFound((c) =>
    c.json(
      { error: `No route ${c.req.method} ${c.req.path}. Try /mcp, /webhooks/:platform, / or /healthz.` },
      404,
    )
  );
  app.onError((error, c) => {
    log.error("HTTP handler failed", { path: c.req.path, error: String(error) });
    return c.json({ error: "Internal error; see the server log." }, 500);
  });

  return {
    app,
    close: async () => {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      sessions.clear();
    },
  };
}

/** Whether the request carries the bearer token (always true when none is configured). */
function hasToken(c: Context, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "");
  return match !== null && timingSafeEqual(match[1]!.trim(), token);
}

function jsonRpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
