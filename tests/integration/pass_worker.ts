/**
 * One forgesync "process" of the lease tests: a runtime built from the environment (FORGESYNC_DB_URL
 * names the shared database, the sandbox variables its forge) that runs passes over every configured
 * repository and prints one JSON line per pass: `{name, holder, pass, run, ms}`.
 *
 * Usage: deno run -A pass_worker.ts <name> '<options JSON>'
 * Options: passes, leaseTtlMs, leaseWaitMs, timeoutMs (forge requests), maxWaitSeconds (longest
 * retry-after waited out), edits (edit one task's description before each pass).
 *
 * @module
 */
import { Effect } from "effect";
import { loadConfig } from "../../src/config.ts";
import { makeRuntime } from "../../src/app.ts";
import { Configs } from "../../src/store/configs.ts";
import { Tasks } from "../../src/store/tasks.ts";
import { Sync } from "../../src/sync/service.ts";
import { quickSettings } from "../../src/testing/platforms.ts";

interface WorkerOptions {
  readonly passes: number;
  readonly leaseTtlMs: number;
  readonly leaseWaitMs: number;
  readonly timeoutMs: number;
  readonly maxWaitSeconds: number;
  readonly edits?: boolean;
}

const [name = "worker", json = "{}"] = Deno.args;
const options: WorkerOptions = {
  passes: 1,
  leaseTtlMs: 60_000,
  leaseWaitMs: 30_000,
  timeoutMs: 2000,
  maxWaitSeconds: 5,
  ...JSON.parse(json),
};
const runtime = await makeRuntime(
  loadConfig(Deno.env.toObject()),
  quickSettings({ timeoutMs: options.timeoutMs, maxWaitSeconds: options.maxWaitSeconds, maxAttempts: 5 }),
  { leaseTtlMs: options.leaseTtlMs, leaseWaitMs: options.leaseWaitMs },
);
try {
  await runtime.runPromise(Effect.gen(function* () {
    const sync = yield* Sync;
    const all = yield* Configs.use((c) => c.list());
    console.log(JSON.stringify({ name, holder: sync.holder.id, started: true }));
    for (let i = 1; i <= options.passes; i++) {
      if (options.edits) {
        const { tasks } = yield* Tasks.use((t) => t.list({ limit: 100 }));
        const task = tasks[(i * 7 + name.length) % Math.max(1, tasks.length)];
        if (task !== undefined) {
          yield* Tasks.use((t) => t.update(task.task_id, { description: `${name} pass ${i}` })).pipe(
            Effect.orDie,
          );
        }
      }
      for (const cfg of all) {
        const started = Date.now();
        const result = yield* sync.pass(cfg.config_id).pipe(Effect.orDie);
        console.log(
          JSON.stringify({
            name,
            holder: sync.holder.id,
            pass: i,
            run: result.run,
            ms: Date.now() - started,
          }),
        );
      }
    }
  }));
} finally {
  await runtime.dispose();
}
