/**
 * Storage faults at run time (issue 9, finding 7; SPEC §5): a full database, a read-only file, a
 * corrupt page and a lock held past the busy timeout come back as STORAGE with a hint that tells
 * the truth — never INTERNAL with "try again" for a fault that trying again cannot fix. Real libSQL
 * files, faults made for real.
 */
import { createClient } from "@libsql/client";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { connectTestClient, type TestClient } from "../../src/testing/mcp_client.ts";
import { Db } from "../../src/store/db.ts";
import { dbPath } from "./secret_support.ts";

const T = "orchestrator_task";

async function withClient(f: (c: TestClient) => Promise<void>, dbUrl?: string): Promise<void> {
  const c = await connectTestClient({}, dbUrl === undefined ? {} : { dbUrl });
  try {
    await f(c);
  } finally {
    await c.close().catch(() => undefined);
  }
}

async function expectStorage(
  c: TestClient,
  args: Record<string, unknown>,
  words: RegExp,
): Promise<{ message: string; hint: string }> {
  const r = await c.call(T, args);
  assert(r.isError, r.text);
  assertEquals(r.structured.error.code, "STORAGE", r.text);
  const { message, hint } = r.structured.error;
  assertStringIncludes(message, dbPath(c.dbUrl), "the message names the database");
  assert(words.test(`${message} ${hint}`), `${message} ${hint}`);
  return { message, hint };
}

Deno.test("a full database is STORAGE saying the disk is full, not INTERNAL", () =>
  withClient(async (c) => {
    await c.call(T, { action: "create", title: "Before the disk filled" });
    // SQLite's size cap on the connection the next write uses: the database cannot grow.
    await c.runtime.runPromise(Db.use((db) => db.query("PRAGMA max_page_count = 1")));
    const { hint } = await expectStorage(
      c,
      { action: "create", title: "Too much", description: "x".repeat(60_000) },
      /full/i,
    );
    assertStringIncludes(hint, "space");
    assert(!/try again;? if it persists/i.test(hint), hint);
  }));

Deno.test("a read-only database file is STORAGE saying read-only; reads still work", async () => {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_ro_" });
  const url = `file:${dir}/forgesync.db`;
  const path = dbPath(url);
  let locked = false;
  try {
    await withClient(async (c) => {
      await c.call(T, { action: "create", title: "Written before" });
    }, url);
    if (Deno.uid() === 0) {
      locked = (await new Deno.Command("chattr", { args: ["+i", path] }).output()).success;
    } else {
      await Deno.chmod(path, 0o444);
      locked = true;
    }
    assert(locked, "the database file could not be made read-only");
    await withClient(async (c) => {
      const listed = await c.call(T, { action: "list" });
      assertEquals(listed.structured.tasks.length, 1, listed.text);
      await expectStorage(c, { action: "create", title: "Refused" }, /read-only/i);
    }, url);
  } finally {
    if (Deno.uid() === 0) await new Deno.Command("chattr", { args: ["-i", path] }).output();
    else await Deno.chmod(path, 0o644).catch(() => undefined);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt page is STORAGE saying the database is damaged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_corrupt_" });
  const url = `file:${dir}/forgesync.db`;
  try {
    await withClient(async (c) => {
      for (let i = 0; i < 50; i++) {
        await c.call(T, { action: "create", title: `Task ${i}`, description: "y".repeat(500) });
      }
    }, url);
    // Fold the WAL into the file, then overwrite the root page of the tasks table with garbage.
    const raw = createClient({ url });
    await raw.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    const [row] = (await raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tasks'")).rows;
    const pageSize = Number((await raw.execute("PRAGMA page_size")).rows[0]![0]);
    raw.close();
    const root = Number(row![0]);
    const file = await Deno.open(dbPath(url), { write: true });
    await file.seek((root - 1) * pageSize, Deno.SeekMode.Start);
    await file.write(new Uint8Array(pageSize).fill(0xA5));
    file.close();
    await withClient(async (c) => {
      const { hint } = await expectStorage(c, { action: "list" }, /damaged|corrupt/i);
      assertStringIncludes(hint, "backup");
    }, url);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock held past the 5 s busy timeout is STORAGE saying another process holds the database", () =>
  withClient(async (c) => {
    await c.call(T, { action: "create", title: "First" });
    const other = createClient({ url: c.dbUrl });
    const tx = await other.transaction("write");
    await tx.execute("UPDATE tasks SET title = title");
    try {
      const { hint } = await expectStorage(
        c,
        { action: "create", title: "Blocked" },
        /busy|locked|another process/i,
      );
      assertStringIncludes(hint, "again");
    } finally {
      await tx.rollback();
      other.close();
    }
    // The lock released, writes work again without a restart.
    const ok = await c.call(T, { action: "create", title: "After" });
    assert(!ok.isError, ok.text);
  }));
