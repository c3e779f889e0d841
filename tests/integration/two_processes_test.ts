/**
 * Two processes on one database and one forge (SPEC §12): each runs several passes (with local
 * edits between them) over the same repository. They must never reconcile it at the same time
 * (the lease), never create an issue twice (both start with the same queued creates), and both
 * must converge.
 *
 * "Never at the same time" is read from sync_status_logs: the [started_at, finished_at] intervals
 * of passes of different holders must not overlap.
 */
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { connectTestClient } from "../../src/testing/mcp_client.ts";
import { taskToRemote } from "../../src/domain/status_map.ts";
import type { TaskStatus } from "../../src/domain/task.ts";
import { issuesWithMarker, PLATFORMS, query, shortSettings, taskBody, taskMarker } from "./sync_support.ts";

const WORKER = new URL("./two_processes_worker.ts", import.meta.url).pathname;
const PASSES = 4;
const G = "orchestrator_git_integration";

for (const pc of PLATFORMS) {
  Deno.test(`${pc.platform}: two processes on one database take turns, create nothing twice and converge`, async () => {
    const h = await pc.factory();
    const dir = await Deno.makeTempDir({ prefix: "forgesync_two_" });
    const dbUrl = `file:${dir}/forgesync.db`;
    const env = { ...pc.env(h), FORGESYNC_DB_URL: dbUrl, FORGESYNC_LOG_LEVEL: "error" };
    const taskIds: string[] = [];
    try {
      // Set up: linked tasks, edits on both sides, and creates queued while the forge was down.
      const c = await connectTestClient(env, { dbUrl, settings: shortSettings() });
      try {
        // deno-lint-ignore no-explicit-any
        const ok = async (tool: string, args: Record<string, unknown>): Promise<any> => {
          const r = await c.call(tool, args);
          if (r.isError) throw new Error(r.text);
          return r.structured;
        };
        await ok(G, { action: "configure", platform: pc.platform, repository: h.repository });
        const numbers: number[] = [];
        for (let i = 0; i < 4; i++) {
          const { task } = await ok("orchestrator_task", { action: "create", title: `Linked ${i}` });
          taskIds.push(task.task_id);
          numbers.push((await ok(G, { action: "create_issue", task_id: task.task_id })).link.issue_number);
        }
        await h.remoteEdit(numbers[0]!, { title: "Renamed on the forge", status: "in_progress" });
        await ok("orchestrator_task", { action: "update", task_id: taskIds[1], status: "blocked" });
        h.faults.add({ kind: "status", status: 503, times: 1000 });
        for (let i = 0; i < 3; i++) {
          const { task } = await ok("orchestrator_task", { action: "create", title: `Queued ${i}` });
          taskIds.push(task.task_id);
          assertEquals(
            (await ok(G, { action: "create_issue", task_id: task.task_id })).sync_status,
            "pending",
          );
        }
        h.faults.clear();
      } finally {
        await c.close();
      }

      // Two processes, started together.
      const spawn = (name: string) =>
        new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", WORKER, name, String(PASSES)],
          env,
          stdout: "piped",
          stderr: "piped",
        }).output();
      const outputs = await Promise.all([spawn("one"), spawn("two")]);
      const lines = outputs.flatMap((o, i) => {
        const text = new TextDecoder().decode(o.stdout);
        assert(o.success, `worker ${i + 1} failed:\n${text}\n${new TextDecoder().decode(o.stderr)}`);
        // deno-lint-ignore no-explicit-any
        return text.trim().split("\n").map((l) => JSON.parse(l) as any);
      });
      assertEquals(lines.length, 2 * PASSES);
      const holders = [...new Set(lines.map((l) => l.holder))];
      assertEquals(holders.length, 2, "two distinct processes");
      // The last pass of each process completed (none gave up waiting for the other).
      for (const name of ["one", "two"]) {
        const last = lines.filter((l) => l.name === name).at(-1)!;
        assertEquals(last.run.status, "completed", JSON.stringify(last));
      }

      const check = await connectTestClient(env, { dbUrl, settings: shortSettings() });
      try {
        // Never both inside one repository's reconcile.
        const runs = await query<{ holder: string; started_at: string; finished_at: string }>(
          check,
          "SELECT holder, started_at, finished_at FROM sync_status_logs WHERE holder IN (?, ?) ORDER BY started_at",
          holders,
        );
        assertEquals(runs.length, 2 * PASSES);
        // They really ran side by side: the holder changes more than once along the timeline.
        const turns = runs.filter((r, i) => i > 0 && r.holder !== runs[i - 1]!.holder).length;
        assert(turns >= 2, `the processes took turns: ${runs.map((r) => r.holder).join(" ")}`);
        for (const a of runs) {
          for (const b of runs) {
            if (a.holder === b.holder) continue;
            const overlap = a.started_at < b.finished_at && b.started_at < a.finished_at;
            assert(!overlap, `passes of two holders overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
          }
        }
        // No duplicates: every task has exactly one issue, and its link names it.
        const links = await query<{ task_id: string; issue_number: number | null; sync_status: string }>(
          check,
          "SELECT task_id, issue_number, sync_status FROM feature_issue_links",
        );
        for (const id of taskIds) {
          const found = issuesWithMarker(h, taskMarker(id));
          assertEquals(found.length, 1, `one issue for ${id}: ${found}`);
          const link = links.find((l) => l.task_id === id)!;
          assertEquals([link.issue_number, link.sync_status], [found[0], "synced"]);
          // Converged: both sides hold the same values.
          const task = (await query<Record<string, string>>(check, "SELECT * FROM tasks WHERE task_id = ?", [
            id,
          ]))[0]!;
          const issue = h.readIssue(found[0]!)!;
          assertEquals(issue.title, task.title);
          assertEquals(issue.body, taskBody(id, task.description!));
          assertEquals(pc.readBack(issue.status), pc.readBack(taskToRemote(task.status as TaskStatus)));
        }
        const first = (await query<{ title: string; status: string }>(
          check,
          "SELECT title, status FROM tasks WHERE task_id = ?",
          [taskIds[0]!],
        ))[0]!;
        assertEquals([first.title, first.status], ["Renamed on the forge", "in_progress"]);
        const outbox = await query(check, "SELECT id FROM sync_outbox WHERE status <> 'done'");
        assertEquals(outbox, []);
      } finally {
        await check.close();
      }
    } finally {
      await h.close();
      await Deno.remove(dir, { recursive: true }).catch(() => undefined);
    }
  });
}
