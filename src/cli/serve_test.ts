import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { loadConfig } from "../config.ts";
import { runServe } from "./serve.ts";

async function withServe(f: (port: number) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_serve_" });
  const server = await runServe(
    loadConfig({ FORGESYNC_DB_URL: `file:${dir}/serve.db`, FORGESYNC_HTTP_PORT: "0" }),
    { headMs: 400, bodyMs: 400 },
  );
  try {
    await f(server.port);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Sends a head promising a body, then a byte now and then; returns what came back and when it closed. */
async function slowBody(port: number, path: string): Promise<{ answer: string; closedAfterMs: number }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const started = Date.now();
  await conn.write(new TextEncoder().encode(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
      `accept: application/json, text/event-stream\r\ncontent-length: 100\r\n\r\n{`,
  ));
  const trickle = setInterval(() => conn.write(new TextEncoder().encode(" ")).catch(() => {}), 100);
  const giveUp = setTimeout(() => conn.close(), 5000);
  let answer = "";
  const buffer = new Uint8Array(4096);
  try {
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      answer += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } catch {
    // reset by the server
  }
  clearInterval(trickle);
  clearTimeout(giveUp);
  try {
    conn.close();
  } catch {
    // closed
  }
  return { answer, closedAfterMs: Date.now() - started };
}

Deno.test("serve answers a request body that arrives too slowly with 408 and drops the connection", () =>
  withServe(async (port) => {
    for (const path of ["/mcp", "/webhooks/github"]) {
      const { answer, closedAfterMs } = await slowBody(port, path);
      assertStringIncludes(answer, "HTTP/1.1 408", `${path}: ${answer}`);
      assert(closedAfterMs < 3000, `${path}: kept ${closedAfterMs} ms`);
    }
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assertEquals(health.status, 200);
    await health.body?.cancel();
  }));
