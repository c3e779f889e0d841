/**
 * `/mcp`: Streamable HTTP, one MCP server per session, the sessions kept in a {@link SessionPool}
 * (idle ones closed, least recently used closed over the cap; a closed session answers 404).
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "hono";
import type { ToolRuntime } from "../mcp/tools/mod.ts";
import type { AppConfig } from "../config.ts";
import { createMcpServer } from "../mcp/server.ts";
import { allTools } from "../mcp/tools/mod.ts";
import { SessionPool } from "./sessions.ts";

/** A JSON-RPC error body (answers outside any session), echoing the request's id when it had one. */
export function jsonRpcError(
  code: number,
  message: string,
  id: string | number | null = null,
): Record<string, unknown> {
  return { jsonrpc: "2.0", error: { code, message }, id };
}

/**
 * The id of a JSON-RPC request body, or null (a notification, a batch, or no JSON at all): an
 * error answered before any session exists still names the request it answers.
 */
export function requestId(body: unknown): string | number | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? id : null;
}

/** One session: its transport and the MCP server on it. */
interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  close(): Promise<void>;
}

/** `response` with `done` called once its body has been sent or abandoned (or at once without one). */
function whenSent(response: Response, done: () => void): Response {
  if (response.body === null) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          controller.close();
          done();
        } else controller.enqueue(value);
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** The `/mcp` handler and a way to close every session. */
export function mcpRoute(runtime: ToolRuntime, config: AppConfig): {
  readonly handle: (c: Context) => Promise<Response>;
  readonly close: () => Promise<void>;
} {
  const idleMs = config.httpSessionIdleSeconds * 1000;
  const pool = new SessionPool<Session>({ idleMs, maxSessions: config.httpMaxSessions });
  const sweeper = setInterval(() => pool.sweep(), Math.max(250, Math.min(idleMs / 2, 60_000)));
  sweeper.unref();

  const handle = async (c: Context): Promise<Response> => {
    const sessionId = c.req.header("mcp-session-id");
    if (sessionId !== undefined) {
      const used = pool.use(sessionId);
      if (used === undefined) {
        const body = c.req.method === "POST"
          ? await c.req.raw.clone().json().catch(() => undefined)
          : undefined;
        return c.json(
          jsonRpcError(
            -32001,
            `Session "${sessionId.slice(0, 80)}" is unknown or closed: initialize a new one.`,
            requestId(body),
          ),
          404,
        );
      }
      try {
        return whenSent(await used.session.transport.handleRequest(c.req.raw), used.done);
      } catch (error) {
        used.done();
        throw error;
      }
    }
    if (c.req.method !== "POST") {
      return c.json(
        jsonRpcError(-32000, "Send an initialize request (POST) first: no session id was given."),
        400,
      );
    }
    const body = await c.req.json().catch(() => undefined);
    if (body === undefined) {
      return c.json(jsonRpcError(-32700, "Parse error: the request body is not JSON."), 400);
    }
    if (!isInitializeRequest(body)) {
      return c.json(
        jsonRpcError(
          -32000,
          "No session: the first request must be initialize (send the mcp-session-id header it answers with).",
          requestId(body),
        ),
        400,
      );
    }
    const server = createMcpServer({
      runtime,
      tools: allTools,
      tier: config.tier,
      readOnly: config.readOnly,
    });
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (id) => pool.add(id, { transport, close: () => server.close() }),
      onsessionclosed: (id) => pool.forget(id),
    });
    await server.connect(transport);
    return await transport.handleRequest(c.req.raw, { parsedBody: body });
  };

  return {
    handle,
    close: async () => {
      clearInterval(sweeper);
      await pool.closeAll();
    },
  };
}
