/**
 * The lease under real conditions, with real processes on one database (SPEC §12):
 *
 * - a pass longer than the lease's lifetime — a slow forge, a 429 whose retry-after is longer than
 *   the lifetime — keeps its lease (a heartbeat) and is fenced before every send: two processes
 *   asking for the repository at once never overlap (their sync_status_logs intervals) and create
 *   nothing twice;
 * - a process killed with SIGKILL in the middle of a pass, again and again: the next process on
 *   the same host takes its lease over at once (not `busy` until it expires), nothing is created
 *   twice, no local edit is lost, and it all converges.
 */
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { connectTestClient } from "../../src/testing/mcp_client.ts";
import type { SandboxHarness } from "../../src/testing/harness.ts";
import { taskToRemote } from "../../src/domain/status_map.ts";
import type { TaskStatus } from "../../src/domain/task.ts";
import { childEnv, LineReader } from "../e2e/helpers.ts";
import { issuesWithMarker, PLATFORMS, query, shortSettings, taskBody, taskMarker } from "./sync_support.ts";

const WORKER = new URL("./pass_worker.ts", import.meta.url).pathname;
const G = "orchestrator_git_integration";
const pc = PLATFORMS[0]!;

/** A spawned pass worker. */
interface Worker {
  readonly child: Deno.ChildProcess;
  readonly out: LineReader;
  /** Every JSON line printed so far (after `done`). */
  done(): Promise<{ status: Deno.CommandStatus; lines: Array<Record<string, unknown>> }>;
}

function spawnWorker(name: string, env: Record<string, string>, options: Record<string, unknown>): Worker {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, name, JSON.stringify(options)],
    env: childEnv({ ...env, FORGESYNC_LOG_LEVEL: "error" }),
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = new LineReader(child.stdout);
  return {
    child,
    out,
    done: async () => {
      const lines = (await out.rest()).filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
      return { status: await child.status, lines };
    },
  };
}

/** A database with `queued` creates waiting (the forge was down) and `linked` linked tasks. */
async function prepare(
  h: SandboxHarness,
  env: Record<string, string>,
  dbUrl: string,
  counts: { queued: number; linked: number },
): Promise<string[]> {
  const c = await connectTestClient(env, { dbUrl, settings: shortSettings() });
  const ids: string[] = [];
  // deno-lint-ignore no-explicit-any
  const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
    const r = await c.call(tool, args);
    if (r.isError) throw new Error(r.text);
    return r.structured;
  };
  try {
    await ok(G, { action: "configure", platform: pc.platform, repository: h.repository });
    for (let i = 0; i < counts.linked; i++) {
      const { task } = await ok("orchestrator_task", { action: "create", title: `Linked ${i}` });
      ids.push(task.task_id);
      await ok(G, { action: "create_issue", task_id: task.task_id });
    }
    h.faults.add({ kind: "status", status: 503, times: Infinity });
    for (let i = 0; i < counts.queued; i++) {
      const { task } = await ok("orchestrator_task", {
        action: "create",
        title: `Queued ${i}`,
        description: "x",
      });
      ids.push(task.task_id);
      assertEquals((await ok(G, { action: "create_issue", task_id: task.task_id })).sync_status, "pending");
    }
    h.faults.clear();
  } finally {
    await c.close();
  }
  return ids;
}

/** Edits every task's description locally. */
async function editAll(env: Record<string, string>, dbUrl: string, ids: readonly string[], text: string) {
  const c = await connectTestClient(env, { dbUrl, settings: shortSettings() });
  try {
    for (const id of ids) {
      const r = await c.call("orchestrator_task", {
        action: "update",
        task_id: id,
        description: `${text} ${id}`,
      });
      if (r.isError) throw new Error(r.text);
    }
  } finally {
    await c.close();
  }
}

/** Asserts that passes of different holders never overlap in time. */
async function assertNoOverlap(env: Record<string, string>, dbUrl: string): Promise<number> {
  const c = await connectTestClient(env, { dbUrl, settings: shortSettings() });
  try {
    const runs = await query<{ holder: string; started_at: string; finished_at: string }>(
      c,
      "SELECT holder, started_at, finished_at FROM sync_status_logs WHERE holder IS NOT NULL ORDER BY started_at",
    );
    for (const a of runs) {
      for (const b of runs) {
        if (a.holder === b.holder) continue;
        const overlap = a.started_at < b.finished_at && b.started_at < a.finished_at;
        assert(!overlap, `passes of two holders overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      }
    }
    return new Set(runs.map((r) => r.holder)).size;
  } finally {
    await c.close();
  }
}

/** Every task has exactly one issue, its link names it, and both sides hold the same values. */
async function assertConverged(
  h: SandboxHarness,
  env: Record<string, string>,
  dbUrl: string,
  ids: readonly string[],
): Promise<void> {
  const c = await connectTestClient(env, { dbUrl, settings: shortSettings() });
  try {
    const links = await query<{ task_id: string; issue_number: number | null; sync_status: string }>(
      c,
      "SELECT task_id, issue_number, sync_status FROM feature_issue_links",
    );
    for (const id of ids) {
      const found = issuesWithMarker(h, taskMarker(id));
      assertEquals(found.length, 1, `one issue for ${id}: ${found}`);
      const link = links.find((l) => l.task_id === id)!;
      assertEquals([link.issue_number, link.sync_status], [found[0], "synced"]);
      const task =
        (await query<Record<string, string>>(c, "SELECT * FROM tasks WHERE task_id = ?", [id]))[0]!;
      const issue = h.readIssue(found[0]!)!;
      assertEquals(issue.title, task.title);
      assertEquals(issue.body, taskBody(id, task.description!));
      assertEquals(pc.readBack(issue.status), pc.readBack(taskToRemote(task.status as TaskStatus)));
    }
    assertEquals(await query(c, "SELECT id FROM sync_outbox WHERE status <> 'done'"), []);
  } finally {
    await c.close();
  }
}

/** Runs passes in one process until a clean one (writes still in flight wait), within a deadline. */
async function settle(env: Record<string, string>, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (true) {
    const { lines } = await spawnWorker("settle", env, { passes: 1, timeoutMs: 1000 }).done();
    const run = lines.find((l) => l.run !== undefined)?.run as { status: string } | undefined;
    if (run?.status === "completed") return;
    if (Date.now() > deadline) throw new Error(`no clean pass before the deadline: ${JSON.stringify(lines)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const scenarios = [
  {
    what: "a forge slow enough that a pass outlasts the lease",
    fault: { kind: "latency", ms: 120, times: Infinity } as const,
  },
  {
    what: "a 429 whose retry-after outlasts the lease",
    fault: { kind: "rate_limit", status: 429, retryAfter: 2, method: "POST", times: 1 } as const,
  },
];

for (const { what, fault } of scenarios) {
  Deno.test(`github: two processes and ${what} — passes never overlap and nothing is created twice`, async () => {
    const h = await pc.factory();
    const dir = await Deno.makeTempDir({ prefix: "forgesync_lease_" });
    const dbUrl = `file:${dir}/forgesync.db`;
    const env = { ...pc.env(h), FORGESYNC_DB_URL: dbUrl };
    try {
      const ids = await prepare(h, env, dbUrl, { queued: 12, linked: 3 });
      h.faults.add(fault);
      // A lease of 600 ms: every pass outlasts it (12 creates, and a 2 s wait out of a rate limit).
      const options = {
        passes: 2,
        leaseTtlMs: 600,
        leaseWaitMs: 60_000,
        timeoutMs: 2000,
        maxWaitSeconds: 5,
        edits: true,
      };
      const outcomes = await Promise.all([
        spawnWorker("one", env, options).done(),
        spawnWorker("two", env, options).done(),
      ]);
      for (const o of outcomes) assert(o.status.success, JSON.stringify(o.lines));
      const runs = outcomes.flatMap((o) => o.lines.filter((l) => l.run !== undefined));
      assertEquals(runs.length, 4);
      h.faults.clear();
      assertEquals(await assertNoOverlap(env, dbUrl), 2, "two holders took turns");
      await settle(env, 20_000);
      await assertConverged(h, env, dbUrl, ids);
    } finally {
      await h.close();
      await Deno.remove(dir, { recursive: true }).catch(() => undefined);
    }
  });
}

Deno.test("github: processes killed with SIGKILL mid-pass, again and again — the next takes over at once, nothing twice, nothing lost", async () => {
  const h = await pc.factory();
  const dir = await Deno.makeTempDir({ prefix: "forgesync_kill_" });
  const dbUrl = `file:${dir}/forgesync.db`;
  const env = { ...pc.env(h), FORGESYNC_DB_URL: dbUrl };
  try {
    const ids = await prepare(h, env, dbUrl, { queued: 8, linked: 4 });
    // A production-like lease (60 s) and a short wait: a dead holder's lease must not make anyone wait.
    const options = {
      passes: 1,
      leaseTtlMs: 60_000,
      leaseWaitMs: 5_000,
      timeoutMs: 1000,
      maxWaitSeconds: 5,
      edits: true,
    };
    h.faults.add({ kind: "latency", ms: 80, times: Infinity });
    for (const killAfter of [3, 6, 2]) {
      await editAll(env, dbUrl, ids, `before kill ${killAfter}`); // work for the doomed pass to send
      const worker = spawnWorker(`doomed-${killAfter}`, env, options);
      await worker.out.until(/"started":true/);
      const before = h.log.entries.length;
      const deadline = Date.now() + 20_000;
      while (h.log.entries.length - before < killAfter && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 5));
      }
      worker.child.kill("SIGKILL");
      await worker.done();
      // The next process on this host is not kept waiting: the dead one's lease is taken over at once.
      const { lines } = await spawnWorker(`next-${killAfter}`, env, { ...options, edits: false }).done();
      const line = lines.find((l) => l.run !== undefined)!;
      const run = line.run as { status: string; duration_ms: number };
      assert(run.status !== "busy", `the dead process's lease blocked the next one: ${JSON.stringify(run)}`);
      const waited = (line.ms as number) - run.duration_ms;
      assert(waited < 1_000, `it waited ${waited} ms for the dead process's lease`);
    }
    h.faults.clear();
    // Edits made by the dead processes just before they died are kept locally: they reach the forge.
    await settle(env, 20_000);
    await assertConverged(h, env, dbUrl, ids);
  } finally {
    await h.close();
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
});
