/**
 * housekeeping() on a real libSQL file: what status and the dashboard show is kept, the rest pruned.
 */
import { Effect } from "effect";
import { assertEquals } from "../testing/assert.ts";
import { Db, makeDb } from "./db.ts";
import { migrate } from "./migrate.ts";
import { execute } from "./sql.ts";
import { housekeeping } from "./housekeeping.ts";

Deno.test("housekeeping() keeps the newest runs per repository and operation, and drops old done writes only", async () => {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_housekeeping_" });
  const db = await Effect.runPromise(makeDb({ url: `file:${dir}/h.db` }));
  const run = <A>(e: Effect.Effect<A, unknown>) => Effect.runPromise(e);
  try {
    await run(migrate().pipe(Effect.provideService(Db, db)));
    const now = new Date().toISOString();
    const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await run(db.transaction(Effect.gen(function* () {
      for (const id of [1, 2]) {
        yield* execute(
          `INSERT INTO git_integration_config (id, platform, repository, repository_url, created_at, updated_at)
           VALUES (?, 'github', ?, ?, ?, ?)`,
          [id, `o/r${id}`, `o/r${id}`, now, now],
        );
      }
      for (let i = 0; i < 30; i++) {
        for (const [config, type] of [[1, "issue_sync"], [1, "status_update"], [2, "issue_sync"]] as const) {
          yield* execute(
            `INSERT INTO sync_status_logs (config_id, operation_type, operation_status, started_at)
             VALUES (?, ?, 'completed', ?)`,
            [config, type, now],
          );
        }
      }
      yield* execute(
        `INSERT INTO tasks (task_id, title, created_at, updated_at) VALUES ('t1', 't', ?, ?), ('t2', 't', ?, ?)`,
        [now, now, now, now],
      );
      yield* execute(
        `INSERT INTO feature_issue_links (id, task_id, config_id) VALUES (1, 't1', 1), (2, 't2', 1)`,
      );
      const row =
        `INSERT INTO sync_outbox (config_id, link_id, kind, idempotency_key, payload, status, created_at,
                   updated_at) VALUES (1, ?, ?, ?, '{}', ?, ?, ?)`;
      yield* execute(row, [1, "update", "update:1", "done", old, old]);
      yield* execute(row, [1, "create", "create:1", "done", now, now]);
      yield* execute(row, [2, "update", "update:2", "pending", old, old]);
      yield* execute(row, [2, "create", "create:2", "parked", old, old]);
    })));
    const pruned = await run(housekeeping(db, { runsPerRepository: 10, doneOutboxMs: 86_400_000 }));
    assertEquals(pruned, { runs: 60, outbox: 1 });
    const left = await run(db.query<{ config_id: number; operation_type: string; n: number; top: number }>(
      `SELECT config_id, operation_type, COUNT(*) AS n, MAX(id) AS top FROM sync_status_logs
        GROUP BY config_id, operation_type ORDER BY config_id, operation_type`,
    ));
    assertEquals(left.map((r) => [r.config_id, r.operation_type, r.n]), [
      [1, "issue_sync", 10],
      [1, "status_update", 10],
      [2, "issue_sync", 10],
    ]);
    assertEquals(left.map((r) => r.top), [88, 89, 90], "the newest are kept");
    const outbox = await run(db.query<{ idempotency_key: string }>(
      "SELECT idempotency_key FROM sync_outbox ORDER BY id",
    ));
    assertEquals(outbox.map((r) => r.idempotency_key), ["create:1", "update:2", "create:2"]);
  } finally {
    await run(db.close);
    await Deno.remove(dir, { recursive: true });
  }
});
