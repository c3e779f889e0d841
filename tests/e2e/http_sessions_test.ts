/**
 * MCP-over-HTTP sessions and slow clients against the real server process (issue 9, finding 5;
 * SPEC §8): sessions close after FORGESYNC_HTTP_SESSION_IDLE_SECONDS, over FORGESYNC_HTTP_MAX_SESSIONS
 * the least recently used closes, a closed session answers 404, and a connection that sends its
 * request too slowly is dropped.
 */
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { type HttpServer, startHttpServer, withTempDir } from "./helpers.ts";

async function withServer(
  env: Record<string, string>,
  f: (server: HttpServer) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const server = await startHttpServer({ FORGESYNC_DB_URL: `file:${dir}/sessions.db`, ...env });
    try {
      await f(server);
    } finally {
      const status = await server.stop();
      assertEquals(status.code, 0, `serve did not stop cleanly:\n${server.stderr.lines.join("\n")}`);
    }
  });
}

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

/** Opens a session with a bare initialize (no initialized notification, no DELETE, like a careless client). */
async function initialize(url: string): Promise<string> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
    }),
  });
  await response.body?.cancel();
  assertEquals(response.status, 200);
  return response.headers.get("mcp-session-id")!;
}

/** The status of a tools/list in session `id`. */
async function statusOf(url: string, id: string): Promise<number> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { ...HEADERS, "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
  });
  await response.body?.cancel();
  return response.status;
}

Deno.test("http: over FORGESYNC_HTTP_MAX_SESSIONS the least recently used session closes and answers 404", async () => {
  await withServer({ FORGESYNC_HTTP_MAX_SESSIONS: "3" }, async ({ url }) => {
    const [a, b, c] = [await initialize(url), await initialize(url), await initialize(url)];
    assertEquals(await statusOf(url, a), 200, "a is now the most recently used");
    const d = await initialize(url); // b is the least recently used: closed
    assertEquals(await statusOf(url, b), 404);
    const e = await initialize(url); // then c
    assertEquals(await statusOf(url, c), 404);
    for (const id of [a, d, e]) assertEquals(await statusOf(url, id), 200);
  });
});

Deno.test("http: a session idle longer than FORGESYNC_HTTP_SESSION_IDLE_SECONDS closes and answers 404", async () => {
  await withServer({ FORGESYNC_HTTP_SESSION_IDLE_SECONDS: "1" }, async ({ url }) => {
    const idle = await initialize(url);
    const busy = await initialize(url);
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      assertEquals(await statusOf(url, busy), 200, "a session in use stays open");
    }
    assertEquals(await statusOf(url, idle), 404);
  });
});

Deno.test("http: many initialize-only sessions do not pile up (the default cap holds)", async () => {
  await withServer({}, async ({ url }) => {
    const first = await initialize(url);
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) ids.push(await initialize(url));
    assertEquals(await statusOf(url, first), 404, "the oldest was closed at the cap of 100");
    assertEquals(await statusOf(url, ids.at(-1)!), 200);
  });
});

/** The test gives up on a connection after this long (the server should have dropped it well before). */
const GIVE_UP_MS = 30_000;

/**
 * Opens a raw connection, sends part of a request head and then a header line every second, and
 * returns how long the server kept it open (GIVE_UP_MS when it never closed it).
 */
async function slowConnection(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const started = Date.now();
  let closed = false;
  const giveUp = setTimeout(() => {
    closed = true;
    conn.close();
  }, GIVE_UP_MS);
  await conn.write(new TextEncoder().encode(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
  const trickle = setInterval(() => {
    conn.write(new TextEncoder().encode("X-Slow: 1\r\n")).catch(() => undefined);
  }, 1000);
  const buffer = new Uint8Array(1024);
  try {
    while ((await conn.read(buffer)) !== null) { /* read until the server closes */ }
  } catch {
    // reset by the server, or given up
  }
  const keptMs = closed ? GIVE_UP_MS : Date.now() - started;
  clearInterval(trickle);
  clearTimeout(giveUp);
  if (!closed) conn.close();
  return keptMs;
}

Deno.test("http: connections sending their request too slowly are dropped by the server", async () => {
  await withServer({}, async ({ url }) => {
    const port = Number(new URL(url).port);
    const kept = await Promise.all(Array.from({ length: 20 }, () => slowConnection(port)));
    for (const ms of kept) assert(ms < 20_000, `a slow connection was kept ${ms} ms`);
    // The server still answers.
    const health = await fetch(`${url}/healthz`);
    assertEquals(health.status, 200);
    await health.body?.cancel();
  });
});
