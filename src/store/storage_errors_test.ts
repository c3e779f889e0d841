import { createClient } from "@libsql/client";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { AppError } from "../domain/errors.ts";
import { classifyDbError, describeDb } from "./storage_errors.ts";

/** The error a real libSQL client throws for `f`. */
async function thrown(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

async function withDir<A>(f: (dir: string) => Promise<A>): Promise<A> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_storage_" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("describeDb() names a file by its path and a server without credentials", () => {
  assertEquals(describeDb("file:/data/forgesync.db"), "/data/forgesync.db");
  assertEquals(describeDb("file:rel/x.db?mode=rw"), "rel/x.db");
  assertEquals(describeDb("libsql://db.example.com?authToken=secret"), "libsql://db.example.com");
  assertEquals(describeDb("https://user:pw@db.example.com/"), "https://db.example.com/");
});

Deno.test("classifyDbError() tells full, not-a-database and read-only apart with real libSQL errors", () =>
  withDir(async (dir) => {
    const location = { url: `file:${dir}/a.db` };
    const client = createClient({ url: location.url });
    try {
      await client.execute("CREATE TABLE t (x TEXT)");
      await client.execute("PRAGMA max_page_count = 2");
      const full = classifyDbError(
        await thrown(() => client.execute({ sql: "INSERT INTO t VALUES (?)", args: ["x".repeat(20_000)] })),
        location,
      );
      assertEquals(full?.code, "STORAGE");
      assertStringIncludes(full!.message, `${dir}/a.db`);
      assertStringIncludes(full!.message, "full");
      assertStringIncludes(full!.hint, "Free space");
      await client.execute("PRAGMA query_only = 1");
      const readOnly = classifyDbError(await thrown(() => client.execute("DELETE FROM t")), location);
      assertStringIncludes(readOnly!.message, "read-only");
    } finally {
      client.close();
    }
    await Deno.writeTextFile(`${dir}/notes.db`, "not a database ".repeat(300));
    const notes = createClient({ url: `file:${dir}/notes.db` });
    try {
      const notADb = classifyDbError(await thrown(() => notes.execute("SELECT 1 FROM sqlite_master")), {
        url: `file:${dir}/notes.db`,
      });
      assertEquals(notADb?.code, "STORAGE");
      assertStringIncludes(notADb!.message, "not a database");
      assertStringIncludes(notADb!.hint, "backup");
    } finally {
      notes.close();
    }
  }));

Deno.test("classifyDbError() reports a lock held by another connection as busy, worth another try", () =>
  withDir(async (dir) => {
    const url = `file:${dir}/b.db`;
    const a = createClient({ url, timeout: 50 });
    const b = createClient({ url, timeout: 50 });
    try {
      await a.execute("CREATE TABLE t (x)");
      const tx = await a.transaction("write");
      await tx.execute("INSERT INTO t VALUES (1)");
      const busy = classifyDbError(await thrown(() => b.execute("INSERT INTO t VALUES (2)")), { url });
      await tx.rollback();
      assertEquals(busy?.code, "STORAGE");
      assertStringIncludes(busy!.message, "locked");
      assertStringIncludes(busy!.hint, "again");
      assertEquals(busy!.retry_after_seconds, 5);
    } finally {
      a.close();
      b.close();
    }
  }));

Deno.test("classifyDbError() reports an unreachable or failing libSQL primary as UNAVAILABLE naming it", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${closedPort}?authToken=never-shown`;
  const down = classifyDbError(await thrown(() => createClient({ url }).execute("SELECT 1")), { url });
  assertEquals(down?.code, "UNAVAILABLE");
  assertStringIncludes(down!.message, `http://127.0.0.1:${closedPort}`);
  assert(!down!.message.includes("never-shown"));
  assertStringIncludes(down!.hint, "without a restart");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("", { status: 503 }),
  );
  try {
    const failing = `http://127.0.0.1:${server.addr.port}`;
    const e = classifyDbError(await thrown(() => createClient({ url: failing }).execute("SELECT 1")), {
      url: failing,
    });
    assertEquals(e?.code, "UNAVAILABLE");
  } finally {
    await server.shutdown();
  }
});

Deno.test("classifyDbError() leaves bugs alone and passes AppErrors through", () => {
  assertEquals(classifyDbError(new Error("SQLITE_BUSY"), { url: "file:/x.db" }), undefined);
  assertEquals(classifyDbError({ code: "SQLITE_CONSTRAINT_UNIQUE" }, { url: "file:/x.db" }), undefined);
  assertEquals(
    classifyDbError(new TypeError("fetch failed"), { url: "file:/x.db" }),
    undefined,
    "a local file",
  );
  const own = AppError.validation("x", "y");
  assertEquals(classifyDbError(own, { url: "file:/x.db" }), own);
});
