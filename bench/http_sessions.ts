/**
 * Memory of the HTTP server under initialize-only MCP sessions (issue 9, finding 5): starts the real
 * server (`mod.ts serve` with the flags of deno.json's `start` task), opens N sessions that send an
 * `initialize` and nothing else (no DELETE, like a client that just goes away), and prints the
 * server's resident memory before and after, and how many of the sessions are still open.
 *
 *     deno run -A bench/http_sessions.ts [N=2000]
 *
 * Linux only (reads /proc/PID/status).
 *
 * @module
 */
import { childEnv, LineReader, ROOT, taskArgs } from "../tests/e2e/helpers.ts";

const N = Number(Deno.args[0] ?? 2000);

function rssMb(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

async function initialize(url: string): Promise<string> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "0" },
      },
    }),
  });
  await response.body?.cancel();
  return response.headers.get("mcp-session-id") ?? "";
}

async function open(url: string, id: string): Promise<boolean> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: { ...HEADERS, "mcp-session-id": id, "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
  });
  await response.body?.cancel();
  return response.status === 200;
}

const dir = await Deno.makeTempDir({ prefix: "forgesync_sessions_" });
const child = new Deno.Command(Deno.execPath(), {
  args: taskArgs("start"),
  cwd: ROOT,
  env: childEnv({
    FORGESYNC_DB_URL: `file:${dir}/bench.db`,
    FORGESYNC_HTTP_PORT: "0",
    FORGESYNC_LOG_LEVEL: "info",
  }),
  stdin: "null",
  stdout: "null",
  stderr: "piped",
}).spawn();
const stderr = new LineReader(child.stderr);
try {
  const match = await stderr.until(/listening on (http:\/\/[^\s"]+)/);
  if (match === undefined) throw new Error(`serve did not start:\n${stderr.lines.join("\n")}`);
  const url = match[1]!;
  await initialize(url);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssMb(child.pid);
  const ids: string[] = [];
  const started = performance.now();
  for (let i = 0; i < N; i++) ids.push(await initialize(url));
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = rssMb(child.pid);
  let still = 0;
  for (const id of ids.slice(-200)) if (await open(url, id)) still++;
  const first = await open(url, ids[0]!);
  console.log(
    `${N} initialize-only sessions in ${seconds.toFixed(1)} s: RSS ${before} MB before, ${after} MB after ` +
      `(+${after - before} MB); of the last 200, ${still} still open; the first one ${
        first ? "still open" : "closed"
      }.`,
  );
} finally {
  child.kill("SIGTERM");
  await child.status;
  await stderr.cancel();
  await Deno.remove(dir, { recursive: true });
}
