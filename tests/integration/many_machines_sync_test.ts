/**
 * (e) Leases across machines on a real libSQL primary: two forgesync machines (real processes, each
 * on its own embedded replica) run their background loop every second, while both call
 * `create_issue` for the same 20 approved features and `sync_status` at once, against a sandbox
 * GitHub. Afterwards: no feature has two issues, every link is synced, and the passes of the
 * repository recorded in `sync_status_logs` never overlap, whichever machine ran them.
 */
import { createClient } from "@libsql/client";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { SANDBOX_FACTORIES, sandboxEnv } from "../../src/testing/platforms.ts";
import { eventually, type Machine, startMachine } from "./machine_process.ts";
import { nativeLines, replicaEnv, startPrimary } from "./sqld_support.ts";

const F = "orchestrator_feature";
const G = "orchestrator_git_integration";
const FEATURES = 20;

Deno.test({
  name:
    "(e) two machines with background loops and concurrent create_issue/sync_status: no duplicate, converged, passes never overlap",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const primary = await startPrimary();
    const forge = await SANDBOX_FACTORIES.github();
    const machines: Machine[] = [];
    try {
      const env = (name: string) =>
        replicaEnv(primary, name, {
          ...sandboxEnv(forge),
          FORGESYNC_SYNC_INTERVAL: "1",
          FORGESYNC_LOG_LEVEL: "warn",
        });
      const a = await startMachine("loop-a", env("loop-a"));
      machines.push(a);
      await a.ok(G, { action: "configure", platform: "github", repository: forge.repository });
      const ids: string[] = [];
      for (let i = 0; i < FEATURES; i++) {
        const { feature } = await a.ok(F, {
          action: "propose",
          title: `Feature ${i}`,
          specification: `Spec ${i}`,
        });
        await a.ok(F, { action: "approve", feature_id: feature.feature_id });
        ids.push(feature.feature_id);
      }
      const b = await startMachine("loop-b", env("loop-b"));
      machines.push(b);
      // B's replica holds A's features once it has synced (at start, then every 5 s).
      await eventually("B sees the features", 10_000, async () => {
        const r = await b.call(F, { action: "get", feature_id: ids.at(-1)! });
        return r.isError ? undefined : true;
      });

      // Both machines ask for every feature's issue and for passes, all at once, while their loops run.
      const calls: Promise<unknown>[] = [];
      for (const id of ids) {
        for (const m of [a, b]) calls.push(m.call(G, { action: "create_issue", feature_id: id }));
      }
      for (let i = 0; i < 3; i++) for (const m of [a, b]) calls.push(m.call(G, { action: "sync_status" }));
      await Promise.all(calls);

      const primaryDb = createClient({ url: primary.url });
      try {
        // Converged: every feature linked to one synced issue (the loops finish what the calls queued).
        await eventually("every link is synced", 30_000, async () => {
          const rows = await primaryDb.execute(
            "SELECT count(*) AS n FROM feature_issue_links WHERE feature_id IS NOT NULL AND sync_status = 'synced'",
          );
          return Number(rows.rows[0]!.n) === FEATURES ? true : undefined;
        });
        for (const id of ids) {
          const marker = `<!-- forgesync:feature=${id} -->`;
          const issues = forge.issueNumbers().filter((n) => forge.readIssue(n)?.body.includes(marker));
          assertEquals(issues.length, 1, `one issue for ${id}: ${issues}`);
          const link = await primaryDb.execute({
            sql: "SELECT issue_number FROM feature_issue_links WHERE feature_id = ?",
            args: [id],
          });
          assertEquals(link.rows.map((r) => Number(r.issue_number)), issues);
        }
        assertEquals(forge.issueNumbers().length, FEATURES, "no other issue was created");

        // One reconciler at a time: the repository's passes never overlap, across both machines.
        const runs = (await primaryDb.execute(
          "SELECT holder, started_at, finished_at FROM sync_status_logs WHERE operation_type = 'issue_sync' ORDER BY started_at",
        )).rows.map((r) => ({
          holder: String(r.holder),
          started: String(r.started_at),
          finished: String(r.finished_at),
        }));
        const holders = new Set(runs.map((r) => r.holder));
        assert(holders.size >= 2, `both machines ran passes: ${[...holders].join(", ")}`);
        for (let i = 1; i < runs.length; i++) {
          assert(
            runs[i - 1]!.finished <= runs[i]!.started,
            `passes overlap: ${JSON.stringify(runs[i - 1])} and ${JSON.stringify(runs[i])}`,
          );
        }
        const outbox = await primaryDb.execute(
          "SELECT count(*) AS n FROM sync_outbox WHERE status <> 'done'",
        );
        assertEquals(Number(outbox.rows[0]!.n), 0);
      } finally {
        primaryDb.close();
      }
      for (const m of machines) {
        assertEquals(nativeLines(m.stderr), []);
        assertEquals(m.stdoutNoise, []);
      }
    } finally {
      for (const m of machines) {
        await m.closeInput();
        await Promise.race([m.status, new Promise((r) => setTimeout(r, 5000))]);
        await m.kill();
      }
      await forge.close();
      await primary.dispose();
    }
  },
});
