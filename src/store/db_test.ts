import { Effect, Exit } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { loadConfig } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { Db, ensureDbDirectory, isBusy, makeDb } from "./db.ts";
import { Tasks } from "./tasks.ts";
import { execute } from "./sql.ts";

type DbService = Db["Service"];

async function withTempDir<A>(f: (dir: string) => Promise<A>): Promise<A> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_db_" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function withDb<A>(url: string, f: (db: DbService) => Promise<A>): Promise<A> {
  const db = await Effect.runPromise(makeDb({ url }));
  try {
    return await f(db);
  } finally {
    await Effect.runPromise(db.close);
  }
}

const COUNTER_TABLE = "CREATE TABLE IF NOT EXISTS counter (n INTEGER PRIMARY KEY, writer TEXT NOT NULL)";

Deno.test("isBusy() recognises SQLITE_BUSY and SQLITE_LOCKED codes only", () => {
  assert(isBusy({ code: "SQLITE_BUSY" }));
  assert(isBusy({ code: "SQLITE_BUSY_SNAPSHOT" }));
  assert(isBusy({ code: "SQLITE_LOCKED" }));
  assert(!isBusy({ code: "SQLITE_CONSTRAINT" }));
  assert(!isBusy(new Error("SQLITE_BUSY")));
  assert(!isBusy(undefined));
});

Deno.test("ensureDbDirectory() creates the folder of a file URL", async () => {
  await withTempDir(async (dir) => {
    await ensureDbDirectory(`file:${dir}/a/b/c.db`);
    assert((await Deno.stat(`${dir}/a/b`)).isDirectory);
    await ensureDbDirectory(":memory:");
  });
});

Deno.test("makeDb() opens a file database in WAL mode and creates its folder", async () => {
  await withTempDir(async (dir) => {
    await withDb(`file:${dir}/nested/forgesync.db`, async (db) => {
      const [mode] = await Effect.runPromise(db.query<{ journal_mode: string }>("PRAGMA journal_mode"));
      assertEquals(mode?.journal_mode, "wal");
    });
    assert((await Deno.stat(`${dir}/nested/forgesync.db`)).isFile);
  });
});

Deno.test("Db.transaction turns a constraint violation into a defect, rolls back, and the client stays usable", async () => {
  await withDb(":memory:", async (db) => {
    await Effect.runPromise(db.batch([COUNTER_TABLE]));
    const exit = await Effect.runPromiseExit(db.transaction(Effect.gen(function* () {
      yield* execute("INSERT INTO counter (n, writer) VALUES (1, 'x')");
      yield* execute("INSERT INTO counter (n, writer) VALUES (1, 'duplicate')");
    })));
    assert(Exit.isFailure(exit));
    assert(exit.cause.reasons.some((r) => r._tag === "Die"), "expected a defect");
    assertEquals(await Effect.runPromise(db.query("SELECT * FROM counter")), []);
    await Effect.runPromise(
      db.batch([{ sql: "INSERT INTO counter (n, writer) VALUES (?, ?)", args: [1, "y"] }]),
    );
    assertEquals((await Effect.runPromise(db.query("SELECT * FROM counter"))).length, 1);
  });
});

Deno.test("Tasks.create() from many concurrent fibers stores every task without SQLITE_BUSY", async () => {
  await withTempDir(async (dir) => {
    const rt = await makeRuntime(loadConfig({ FORGESYNC_DB_URL: `file:${dir}/many.db` }));
    try {
      const N = 300;
      const exit = await rt.runPromiseExit(
        Effect.forEach(
          Array.from({ length: N }, (_, i) => i),
          (i) =>
            Tasks.use((t) =>
              i % 3 === 0
                ? t.create({ title: `fiber ${i}` }).pipe(
                  Effect.flatMap((task) => t.update(task.task_id, { status: "in_progress" })),
                )
                : t.create({ title: `fiber ${i}` })
            ),
          { concurrency: "unbounded" },
        ),
      );
      assert(Exit.isSuccess(exit), `a write failed: ${Exit.isFailure(exit) ? String(exit.cause) : ""}`);
      const rows = await rt.runPromise(
        Db.use((db) => db.query<{ title: string; status: string }>("SELECT title, status FROM tasks")),
      );
      assertEquals(rows.length, N);
      assertEquals(new Set(rows.map((r) => r.title)).size, N);
      assertEquals(rows.filter((r) => r.status === "in_progress").length, N / 3);
    } finally {
      await rt.dispose();
    }
    // Everything is on disk after closing: reopen and count.
    await withDb(`file:${dir}/many.db`, async (db) => {
      const [row] = await Effect.runPromise(db.query<{ c: number }>("SELECT count(*) AS c FROM tasks"));
      assertEquals(row?.c, 300);
    });
  });
});

const WRITER_SCRIPT = `
import { Effect } from "effect";
import { makeDb } from ${JSON.stringify(new URL("./db.ts", import.meta.url).href)};
import { execute, rows } from ${JSON.stringify(new URL("./sql.ts", import.meta.url).href)};
const [url, name, count] = Deno.args;
const db = await Effect.runPromise(makeDb({ url }));
await Effect.runPromise(
  Effect.forEach(
    Array.from({ length: Number(count) }, (_, i) => i),
    (i) => db.transaction(Effect.gen(function* () {
      const [row] = yield* rows("SELECT max(n) AS m FROM counter");
      yield* execute("INSERT INTO counter (n, writer) VALUES (?, ?)", [(row?.m ?? 0) + 1, name + ":" + i]);
    })),
    { concurrency: 8 },
  ),
);
await Effect.runPromise(db.close);
console.log("done " + name);
`;

Deno.test("two processes writing to one database file keep every row", async () => {
  await withTempDir(async (dir) => {
    const url = `file:${dir}/shared.db`;
    await withDb(url, (db) => Effect.runPromise(db.batch([COUNTER_TABLE])));
    const script = `${dir}/writer.ts`;
    await Deno.writeTextFile(script, WRITER_SCRIPT);
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const N = 200;
    const spawn = (name: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", "--config", config, "-A", script, url, name, String(N)],
        cwd: new URL("../../", import.meta.url).pathname,
        stdout: "piped",
        stderr: "piped",
        env: { FORGESYNC_LOG_LEVEL: "error" },
      }).output();
    const outputs = await Promise.all([spawn("a"), spawn("b")]);
    const decoder = new TextDecoder();
    for (const [i, out] of outputs.entries()) {
      assert(out.success, `writer ${i} failed: ${decoder.decode(out.stderr)}`);
      assertStringIncludes(decoder.decode(out.stdout), `done ${i === 0 ? "a" : "b"}`);
    }
    await withDb(url, async (db) => {
      const rows = await Effect.runPromise(
        db.query<{ n: number; writer: string }>("SELECT n, writer FROM counter ORDER BY n"),
      );
      assertEquals(rows.length, 2 * N);
      assertEquals(rows.map((r) => r.n), Array.from({ length: 2 * N }, (_, i) => i + 1));
      const writers = new Set(rows.map((r) => r.writer));
      for (const name of ["a", "b"]) {
        for (let i = 0; i < N; i++) assert(writers.has(`${name}:${i}`), `row ${name}:${i} is missing`);
      }
    });
  });
});

Deno.test("enableWal() waits out a fresh database locked by another process, then switches to WAL", async () => {
  const { enableWal } = await import("./db.ts");
  const { createClient } = await import("@libsql/client");
  const dir = await Deno.makeTempDir();
  try {
    const url = `file:${dir}/fresh.db`;
    // Another connection holds a write lock on the new rollback-journal file.
    const holder = createClient({ url });
    await holder.execute("CREATE TABLE t (x)");
    const tx = await holder.transaction("write");
    await tx.execute("INSERT INTO t VALUES (1)");
    const open = () => createClient({ url, timeout: 50 });
    const switching = enableWal(open(), open);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tx.commit();
    const client = await switching;
    const mode = await client.execute("PRAGMA journal_mode");
    assertEquals(String(Object.values(mode.rows[0]!)[0]), "wal");
    client.close();
    holder.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
