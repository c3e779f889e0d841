/**
 * One "process" of tests/integration/two_processes_test.ts: a runtime built from the environment
 * (FORGESYNC_DB_URL names the shared database) that runs several passes over every configured
 * repository with Sync, editing a task locally before each pass. Prints one JSON line per pass.
 *
 * Rounds: pass i starts once both processes logged pass i - 1 (a barrier on sync_status_logs), so
 * the two really ask for the repository at the same moment every round instead of one running all
 * its passes back to back while the other polls for the lease.
 *
 * Usage: deno run -A two_processes_worker.ts <name> <passes>
 *
 * @module
 */
import { Duration, Effect } from "effect";
import { Db } from "../../src/store/db.ts";
import { loadConfig } from "../../src/config.ts";
import { makeRuntime } from "../../src/app.ts";
import { Configs } from "../../src/store/configs.ts";
import { Tasks } from "../../src/store/tasks.ts";
import { Sync } from "../../src/sync/service.ts";

const [name = "worker", passesText = "4"] = Deno.args;
const passes = Number(passesText);
const runtime = await makeRuntime(loadConfig(Deno.env.toObject()));
try {
  await runtime.runPromise(Effect.gen(function* () {
    const configs = yield* Configs;
    const tasks = yield* Tasks;
    const sync = yield* Sync;
    const db = yield* Db;
    const all = yield* configs.list();
    const logged = () =>
      db.query<{ n: number }>("SELECT COUNT(*) AS n FROM sync_status_logs").pipe(
        Effect.map((r) => Number(r[0]!.n)),
      );
    for (let i = 1; i <= passes; i++) {
      const deadline = Date.now() + 30_000;
      while ((yield* logged()) < 2 * (i - 1) * all.length) {
        if (Date.now() > deadline) {
          throw new Error(`${name}: the other process never finished round ${i - 1}`);
        }
        yield* Effect.sleep(Duration.millis(10));
      }
      const { tasks: page } = yield* tasks.list({ limit: 100 });
      const task = page[(i + name.length) % page.length];
      if (task !== undefined) {
        yield* tasks.update(task.task_id, { description: `${name} pass ${i}` }).pipe(Effect.orDie);
      }
      for (const cfg of all) {
        const result = yield* sync.pass(cfg.config_id).pipe(Effect.orDie);
        console.log(JSON.stringify({ name, holder: sync.holder.id, pass: i, run: result.run }));
      }
    }
  }));
} finally {
  await runtime.dispose();
}
