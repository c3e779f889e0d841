import { Effect, Exit } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { AppError } from "../domain/errors.ts";
import { Db, makeDb } from "./db.ts";
import { migrate, type Migration, readMigrations } from "./migrate.ts";

const TABLES = [
  "feature_issue_links",
  "features",
  "git_integration_config",
  "release_milestones",
  "schema_migrations",
  "tasks",
];

type DbService = Db["Service"];

async function open(url: string): Promise<DbService> {
  return await Effect.runPromise(makeDb({ url }));
}

function run<A>(db: DbService, effect: Effect.Effect<A, AppError, Db>): Promise<A> {
  return Effect.runPromise(effect.pipe(Effect.provideService(Db, db)));
}

function runExit<A>(db: DbService, effect: Effect.Effect<A, AppError, Db>): Promise<Exit.Exit<A, AppError>> {
  return Effect.runPromiseExit(effect.pipe(Effect.provideService(Db, db)));
}

async function tables(db: DbService): Promise<string[]> {
  const rows = await Effect.runPromise(
    db.query<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    ),
  );
  return rows.map((r) => r.name);
}

/** Everything that describes the schema and its history: sqlite_master plus schema_migrations. */
async function schemaDump(db: DbService): Promise<unknown> {
  const master = await Effect.runPromise(
    db.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"),
  );
  const history = await Effect.runPromise(
    db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"),
  );
  return JSON.parse(JSON.stringify({ master, history }));
}

async function withTempDb<A>(f: (url: string) => Promise<A>): Promise<A> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_migrate_" });
  try {
    return await f(`file:${dir}/test.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function withDb<A>(url: string, f: (db: DbService) => Promise<A>): Promise<A> {
  const db = await open(url);
  try {
    return await f(db);
  } finally {
    await Effect.runPromise(db.close);
  }
}

Deno.test("readMigrations() returns the numbered files in order", async () => {
  const migrations = await readMigrations();
  assert(migrations.length >= 2, "expected at least the two foundation migrations");
  assertEquals(migrations.map((m) => m.version), [...migrations.map((m) => m.version)].sort((a, b) => a - b));
  assertEquals(migrations[0]!.version, 1);
  for (const m of migrations) assert(m.sql.trim().length > 0, `migration ${m.version} is empty`);
});

for (const kind of ["file", ":memory:"] as const) {
  const withUrl = <A>(f: (url: string) => Promise<A>) => kind === "file" ? withTempDb(f) : f(":memory:");

  Deno.test(`migrate() creates every table in a fresh database (${kind})`, async () => {
    await withUrl((url) =>
      withDb(url, async (db) => {
        assertEquals(await tables(db), []);
        const all = await readMigrations();
        const result = await run(db, migrate());
        assertEquals(result.applied, all.map((m) => m.version));
        assertEquals(result.version, all[all.length - 1]!.version);
        const present = await tables(db);
        for (const table of TABLES) assert(present.includes(table), `table ${table} is missing: ${present}`);
        const history = await Effect.runPromise(
          db.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version"),
        );
        assertEquals(history.map((r) => Number(r.version)), all.map((m) => m.version));
      })
    );
  });

  Deno.test(`migrate() applies nothing on a second run (${kind})`, async () => {
    await withUrl((url) =>
      withDb(url, async (db) => {
        await run(db, migrate());
        const before = await schemaDump(db);
        const again = await run(db, migrate());
        assertEquals(again.applied, []);
        assertEquals(again.version, (await readMigrations()).at(-1)!.version);
        assertEquals(await schemaDump(db), before);
      })
    );
  });
}

Deno.test("migrate() applies nothing when the database is reopened", async () => {
  await withTempDb(async (url) => {
    const before = await withDb(url, async (db) => {
      await run(db, migrate());
      return await schemaDump(db);
    });
    await withDb(url, async (db) => {
      assertEquals((await run(db, migrate())).applied, []);
      assertEquals(await schemaDump(db), before);
    });
  });
});

Deno.test("migrate() upgrades a database at an older version to the latest", async () => {
  await withTempDb(async (url) => {
    const all = await readMigrations();
    const first = all.slice(0, 1);
    await withDb(url, async (db) => {
      const old = await run(db, migrate(first));
      assertEquals(old.applied, [1]);
      assertEquals(old.version, 1);
      const present = await tables(db);
      assert(present.includes("tasks") && present.includes("features"));
      assert(!present.includes("feature_issue_links"), "migration 2 ran too early");
      // The old schema holds data that must survive the upgrade.
      await Effect.runPromise(db.batch([{
        sql: "INSERT INTO features (feature_id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
        args: ["feat_OLD", "Kept across the upgrade", "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"],
      }]));
    });
    await withDb(url, async (db) => {
      const upgraded = await run(db, migrate());
      assertEquals(upgraded.applied, all.slice(1).map((m) => m.version));
      assertEquals(upgraded.version, all.at(-1)!.version);
      const present = await tables(db);
      for (const table of TABLES) assert(present.includes(table), `table ${table} is missing after upgrade`);
      const kept = await Effect.runPromise(db.query<{ title: string }>("SELECT title FROM features"));
      assertEquals(kept.map((r) => r.title), ["Kept across the upgrade"]);
    });
  });
});

Deno.test("migrate() refuses a database with an unknown newer version", async () => {
  await withTempDb(async (url) => {
    await withDb(url, async (db) => {
      await run(db, migrate());
      await Effect.runPromise(db.batch([{
        sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        args: [9999, "from_the_future", "2030-01-01T00:00:00.000Z"],
      }]));
      const before = await schemaDump(db);
      const exit = await runExit(db, migrate());
      assert(Exit.isFailure(exit), "migrate() accepted a database from a newer forgesync");
      const error = exit.cause.reasons.find((r) => r._tag === "Fail");
      assert(error !== undefined && error._tag === "Fail" && error.error instanceof AppError);
      assertStringIncludes(error.error.message, "9999");
      assertStringIncludes(error.error.message, "does not know");
      assertStringIncludes(error.error.hint, "Upgrade forgesync");
      assertEquals(await schemaDump(db), before);
    });
  });
});

Deno.test("migrate() rolls back every statement of a failing migration", async () => {
  await withDb(":memory:", async (db) => {
    const broken: Migration[] = [
      { version: 1, name: "good", sql: "CREATE TABLE a (x INTEGER);" },
      { version: 2, name: "bad", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);" },
    ];
    const exit = await runExit(db, migrate(broken));
    assert(Exit.isFailure(exit));
    const present = await tables(db);
    assert(!present.includes("a") && !present.includes("b"), `partial migration left ${present}`);
  });
});

const MIGRATE_SCRIPT = `
import { Effect } from "effect";
import { Db, makeDb } from ${JSON.stringify(new URL("./db.ts", import.meta.url).href)};
import { migrate } from ${JSON.stringify(new URL("./migrate.ts", import.meta.url).href)};
const db = await Effect.runPromise(makeDb({ url: Deno.args[0] }));
const result = await Effect.runPromise(migrate().pipe(Effect.provideService(Db, db)));
await Effect.runPromise(db.close);
console.log(JSON.stringify(result));
`;

Deno.test("migrate() run by two processes at once applies each migration once", async () => {
  await withTempDb(async (url) => {
    const dir = url.slice("file:".length).replace(/\/test\.db$/, "");
    const script = `${dir}/migrate_once.ts`;
    await Deno.writeTextFile(script, MIGRATE_SCRIPT);
    const root = new URL("../../", import.meta.url).pathname;
    const spawn = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--quiet", "--config", `${root}deno.json`, "-A", script, url],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
    const outputs = await Promise.all([spawn(), spawn()]);
    const decoder = new TextDecoder();
    const applied: number[] = [];
    for (const out of outputs) {
      assert(out.success, `a migrating process failed: ${decoder.decode(out.stderr)}`);
      applied.push(...(JSON.parse(decoder.decode(out.stdout)) as { applied: number[] }).applied);
    }
    const all = (await readMigrations()).map((m) => m.version);
    assertEquals(applied.sort((x, y) => x - y), all);
    await withDb(url, async (db) => {
      const history = await Effect.runPromise(db.query("SELECT version FROM schema_migrations"));
      assertEquals(history.length, all.length);
    });
  });
});
