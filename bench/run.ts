/**
 * `deno task bench`: the performance targets of SPEC §11, measured against the sandbox GitHub over
 * loopback, and the same workload on a local file, an embedded replica of sqld and remote mode side
 * by side. Prints each figure beside its target with the HTTP requests of each scenario, and
 * writes bench/results.json.
 *
 * `--only=modes` runs the database-mode comparison alone and prints it, `--only=growth` the growth of a
 * pass with the number of links (results.json is left as is).
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createGitHubSandbox, type GitHubSandbox } from "../src/testing/github_sandbox.ts";
import { connectTestClient, type TestClient } from "../src/testing/mcp_client.ts";
import { planCandidate } from "../src/sync/plan.ts";
import { unsavedConfig } from "../src/store/configs.ts";
import github from "../plugins/github/mod.ts";
import type { RemoteIssue } from "../src/platform/types.ts";
import { manyMachinesBenchmark } from "./many_machines.ts";
import { growthBenchmark, naivePollersBenchmark, statusSizeBenchmark } from "./growth.ts";
import { batchWritesBenchmark } from "./batch_writes.ts";
import type { BenchRow } from "./row.ts";

const rows: BenchRow[] = [];
const log = (message: string) => console.error(`… ${message}`);
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const root = new URL("..", import.meta.url).pathname;

async function gitClient(forge: GitHubSandbox): Promise<TestClient> {
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
    FORGESYNC_LOG_LEVEL: "error",
  });
  const r = await client.call("orchestrator_git_integration", {
    action: "configure",
    platform: "github",
    repository: forge.repository,
  });
  if (r.isError) throw new Error(r.text);
  return client;
}

// deno-lint-ignore no-explicit-any
async function pass(client: TestClient): Promise<any> {
  const r = await client.call("orchestrator_git_integration", { action: "sync_status" });
  if (r.isError) throw new Error(r.text);
  return r.structured.run;
}

async function importBenchmark(forge: GitHubSandbox): Promise<void> {
  log("initial import of 10,000 issues (forgesync in its own process)");
  const before = forge.log.entries.length;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}bench/import_worker.ts`],
    env: { BENCH_API_URL: forge.apiUrl, BENCH_TOKEN: forge.token, BENCH_REPO: forge.repository },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error("the import worker failed");
  const result = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
  const requests = forge.log.entries.length - before;
  rows.push({
    scenario: "initial import, 10,000 issues",
    measured: `${(result.wall_ms / 1000).toFixed(2)} s, ${result.peak_rss_mb} MB peak RSS`,
    target: "< 3 s, < 300 MB",
    ok: result.wall_ms < 3000 && result.peak_rss_mb < 300 && result.created === 10_000,
    requests: `${requests}`,
    values: { wall_ms: result.wall_ms, peak_rss_mb: result.peak_rss_mb, created: result.created, requests },
  });
}

async function syncBenchmarks(forge: GitHubSandbox): Promise<void> {
  const client = await gitClient(forge);
  try {
    log("linking 10,000 issues");
    const imported = await client.call("orchestrator_git_integration", { action: "import_issues" });
    if (imported.isError) throw new Error(imported.text);
    await pass(client); // settles the cursor
    await pass(client);

    log("steady state: no-change passes");
    const durations: number[] = [];
    let requests = 0;
    let notModified = 0;
    const budget = forge.budget!().remaining;
    for (let i = 0; i < 20; i++) {
      const start = forge.log.entries.length;
      const t0 = performance.now();
      const run = await pass(client);
      durations.push(performance.now() - t0);
      requests += run.requests;
      notModified += forge.log.entries.slice(start).filter((e) => e.status === 304).length;
    }
    const p50 = percentile(durations, 50);
    rows.push({
      scenario: "no-change pass, 10,000 linked issues",
      measured: `${p50.toFixed(1)} ms per pass (p50 of 20, tool call included)`,
      target: "1 request (304), < 50 ms local work",
      ok: requests === 20 && notModified === 20 && p50 < 50 && forge.budget!().remaining === budget,
      requests: `${requests / 20} per pass, ${notModified}/20 answered 304, ${
        budget - forge.budget!().remaining
      } quota spent`,
      values: { p50_ms: p50, requests_per_pass: requests / 20, not_modified: notModified },
    });
    rows.push(...await naivePollersBenchmark(forge, requests / 20, log));

    for (const k of [30, 250]) {
      log(`incremental: ${k} remote changes`);
      const numbers = forge.issueNumbers().slice(0, 10_000);
      for (let i = 0; i < k; i++) {
        await forge.remoteEdit(numbers[(i * 331) % numbers.length]!, { title: `remote edit ${k}-${i}` });
      }
      const start = forge.log.entries.length;
      const run = await pass(client);
      const entries = forge.log.entries.slice(start);
      const lists = entries.filter((e) => e.method === "GET" && /\/issues$/.test(e.path)).length;
      const reads = entries.filter((e) => e.method === "GET" && /\/issues\/\d+$/.test(e.path)).length;
      const target = Math.ceil(k / 100);
      rows.push({
        scenario: `${k} remote changes`,
        measured: `${lists} list request(s), ${reads} per-issue reads, pulled ${run.pulled}`,
        target: `⌈k/100⌉ = ${target} list request(s), 0 reads`,
        ok: reads === 0 && run.pulled === k && lists <= target,
        requests: `${entries.length}`,
        values: { k, list_requests: lists, issue_reads: reads, pulled: run.pulled },
      });
      await pass(client);
    }

    log("incremental: 30 local changes");
    const tasks = await client.call("orchestrator_task", { action: "list", limit: 30 });
    for (const task of tasks.structured.tasks) {
      await client.call("orchestrator_task", {
        action: "update",
        task_id: task.task_id,
        title: `${task.title} (edited)`,
      });
    }
    const start = forge.log.entries.length;
    const run = await pass(client);
    const writes = forge.log.entries.slice(start).filter((e) => e.method === "PATCH").length;
    rows.push({
      scenario: "30 local changes",
      measured: `${writes} writes, pushed ${run.pushed}`,
      target: "k = 30 writes",
      ok: writes === 30 && run.pushed === 30,
      requests: `${forge.log.entries.length - start}`,
      values: { writes, pushed: run.pushed },
    });
  } finally {
    await client.close();
  }
}

async function stdioBenchmark(): Promise<void> {
  log("1,000 local tool calls over stdio");
  const dir = await Deno.makeTempDir({ prefix: "forgesync_bench_" });
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", `${root}mod.ts`, "mcp"],
    env: { ...Deno.env.toObject(), FORGESYNC_DB_URL: `file:${dir}/bench.db`, FORGESYNC_LOG_LEVEL: "error" },
    stderr: "inherit",
  });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(transport);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await client.callTool({
        name: "orchestrator_task",
        arguments: { action: "create", title: `task ${i}` },
      });
      ids.push((r.structuredContent as { task: { task_id: string } }).task.task_id);
    }
    const latencies: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const args = i % 2 === 0
        ? { action: "get", task_id: ids[i % ids.length] }
        : { action: "list", limit: 20 };
      const t0 = performance.now();
      await client.callTool({ name: "orchestrator_task", arguments: args });
      latencies.push(performance.now() - t0);
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    rows.push({
      scenario: "local tool calls over stdio (get/list)",
      measured: `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
      target: "p50 < 5 ms, p99 < 25 ms",
      ok: p50 < 5 && p99 < 25,
      values: { p50_ms: p50, p99_ms: p99, calls: 1000 },
    });
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function planningBenchmark(): void {
  log("planning a pass over 100,000 links");
  const cfg = unsavedConfig({ platform: "github", repository: "o/r", repository_url: "o/r" });
  const now = new Date().toISOString();
  const candidates = Array.from({ length: 100_000 }, (_, i) => {
    const snapshot = {
      title: `Task ${i}`,
      body: `Body ${i}`,
      status: "pending",
      labels: ["a", "b"],
      assignees: [],
    };
    const remote: RemoteIssue = {
      number: i + 1,
      id: `I_${i}`,
      url: "",
      title: i % 3 === 0 ? `Task ${i} (remote)` : `Task ${i}`,
      body: `Body ${i}`,
      status: i % 5 === 0 ? "completed" : "open",
      labels: ["a", "b"],
      assignees: [],
      milestone: null,
      created_at: now,
      updated_at: now,
    };
    return {
      link: {} as never,
      base: {
        link_id: i,
        local_version: 1,
        local: snapshot,
        remote: { ...snapshot, status: "open" },
        remote_updated_at: now,
      },
      local: {
        kind: "task" as const,
        item: {
          task_id: `task_${i}`,
          title: i % 7 === 0 ? `Task ${i} (local)` : `Task ${i}`,
          description: `Body ${i}`,
          status: "pending" as const,
          priority: "medium" as const,
          assignee: null,
          labels: ["a", "b"],
          feature_id: null,
          parent_task_id: null,
          due_date: null,
          created_at: now,
          updated_at: now,
          completed_at: null,
          version: 2,
        },
      },
      remote,
    };
  });
  const t0 = performance.now();
  let changes = 0;
  for (const c of candidates) {
    const plan = planCandidate(cfg, github, c);
    changes += Object.keys(plan.local).length + Object.keys(plan.remote).length;
  }
  const ms = performance.now() - t0;
  rows.push({
    scenario: "planning 100,000 links",
    measured: `${ms.toFixed(0)} ms (${changes} field changes planned)`,
    target: "< 1 s",
    ok: ms < 1000,
    values: { ms, links: 100_000 },
  });
}

const only = Deno.args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
if (only !== undefined && only !== "modes" && only !== "growth") {
  throw new Error(`--only=${only}: the parts that run alone are "modes" and "growth".`);
}
if (only === undefined) {
  const forge = await createGitHubSandbox({ budget: 1_000_000 });
  try {
    await forge.seedIssues(10_000);
    await importBenchmark(forge);
    await syncBenchmarks(forge);
  } finally {
    await forge.close();
  }
  await stdioBenchmark();
  planningBenchmark();
  rows.push(...await batchWritesBenchmark(log));
}
if (only === undefined || only === "growth") {
  rows.push(...await growthBenchmark(log));
  rows.push(...await statusSizeBenchmark(log));
}
if (only === undefined || only === "modes") rows.push(...await manyMachinesBenchmark(log));

const width = (key: keyof BenchRow) =>
  Math.max(...rows.map((r) => String(r[key] ?? "").length), String(key).length);
const columns: Array<keyof BenchRow> = ["scenario", "measured", "target", "requests"];
const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - [...s].length));
console.log(columns.map((c) => pad(String(c), width(c))).join(" │ ") + " │ ok");
console.log(columns.map((c) => "─".repeat(width(c))).join("─┼─") + "─┼───");
for (const r of rows) {
  console.log(columns.map((c) => pad(String(r[c] ?? ""), width(c))).join(" │ ") + ` │ ${r.ok ? "✓" : "✗"}`);
}
if (only !== undefined) Deno.exit(0);
await Deno.mkdir(`${root}bench`, { recursive: true });
await Deno.writeTextFile(
  `${root}bench/results.json`,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      deno: Deno.version.deno,
      cpus: navigator.hardwareConcurrency,
      results: rows,
    },
    null,
    2,
  ) + "\n",
);
console.log(`\nwrote bench/results.json (${rows.filter((r) => r.ok).length}/${rows.length} within target)`);
