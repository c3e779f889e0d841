/**
 * Benchmark worker: forgesync alone in a process (the sandbox forge runs in the parent) growing to N
 * links. Imports every issue of the repository, settles the cursor, then measures no-change passes,
 * a pass after one local change, and — when asked — a no-change pass after every link has pushed a
 * write (the outbox's history). Prints one JSON line.
 *
 * Environment: BENCH_API_URL, BENCH_TOKEN, BENCH_REPO; argument: "outbox" to push every link once.
 *
 * @module
 */
import { connectTestClient } from "../src/testing/mcp_client.ts";

const env = {
  MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
  GITHUB_API_URL: Deno.env.get("BENCH_API_URL")!,
  GITHUB_TOKEN: Deno.env.get("BENCH_TOKEN")!,
  FORGESYNC_LOG_LEVEL: "error",
};
const withOutbox = Deno.args.includes("outbox");
let peak = Deno.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().rss)), 10);
const client = await connectTestClient(env);
const G = "orchestrator_git_integration";
// deno-lint-ignore no-explicit-any
const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
  const r = await client.call(tool, args);
  if (r.isError) throw new Error(r.text);
  return r.structured;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Milliseconds of each of `n` passes, and the requests each sent. */
const passes = async (n: number) => {
  const ms: number[] = [];
  let requests = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const { run } = await ok(G, { action: "sync_status" });
    ms.push(performance.now() - t0);
    requests += run.requests;
  }
  return { ms: median(ms), requests: requests / n };
};
try {
  await ok(G, { action: "configure", platform: "github", repository: Deno.env.get("BENCH_REPO")! });
  const t0 = performance.now();
  const { imported } = await ok(G, { action: "import_issues" });
  const importMs = performance.now() - t0;
  const importPeak = Math.max(peak, Deno.memoryUsage().rss);
  await passes(2); // settles the cursor
  const idle = await passes(7);
  const { tasks } = await ok("orchestrator_task", { action: "list", limit: 1 });
  await ok("orchestrator_task", { action: "update", task_id: tasks[0].task_id, title: "One change" });
  const one = await passes(1);
  let afterOutbox: { ms: number; requests: number } | undefined;
  let afterBurst: { ms: number; requests: number } | undefined;
  if (withOutbox) {
    // Every link pushes one write: the outbox's history is as long as the links.
    for (let cursor: string | null = null;;) {
      const page: { tasks: Array<{ task_id: string }>; next_cursor: string | null } = await ok(
        "orchestrator_task",
        { action: "list", limit: 200, ...(cursor === null ? {} : { cursor }) },
      );
      for (const t of page.tasks) {
        await ok("orchestrator_task", { action: "update", task_id: t.task_id, description: "pushed once" });
      }
      if ((cursor = page.next_cursor) === null) break;
    }
    await passes(1);
    await passes(2);
    // Right after such a burst the listing re-reads the burst's last second on every pass (a change
    // within it may sort anywhere among its issues) until a later change moves the cursor on.
    afterBurst = await passes(3);
    await new Promise((r) => setTimeout(r, 1100));
    await ok("orchestrator_task", { action: "update", task_id: tasks[0].task_id, title: "A later change" });
    await passes(2);
    afterOutbox = await passes(7);
  }
  const dbPath = client.dbUrl.slice("file:".length);
  const size = (await Deno.stat(dbPath)).size + await Deno.stat(`${dbPath}-wal`).then((s) => s.size, () => 0);
  console.log(JSON.stringify({
    links: imported.created,
    import_ms: Math.round(importMs),
    import_peak_rss_mb: Math.round(importPeak / 2 ** 20),
    peak_rss_mb: Math.round(Math.max(peak, Deno.memoryUsage().rss) / 2 ** 20),
    db_mb: Math.round(size / 2 ** 20 * 10) / 10,
    idle_ms: Math.round(idle.ms * 10) / 10,
    idle_requests: idle.requests,
    one_change_ms: Math.round(one.ms * 10) / 10,
    one_change_requests: one.requests,
    ...(afterOutbox === undefined || afterBurst === undefined ? {} : {
      idle_after_outbox_ms: Math.round(afterOutbox.ms * 10) / 10,
      idle_after_outbox_requests: afterOutbox.requests,
      idle_after_burst_ms: Math.round(afterBurst.ms * 10) / 10,
      idle_after_burst_requests: afterBurst.requests,
    }),
  }));
} finally {
  clearInterval(sampler);
  await client.close();
}
