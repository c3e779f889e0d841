/**
 * Transactions as Effects: commit, rollback on failure, defect and interruption, one writer at a
 * time, reads outside a transaction, rows decoded by Schema.
 */
import { Effect, Exit, Fiber, Schema } from "effect";
import { AppError } from "../domain/errors.ts";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { type Db, makeDb } from "./db.ts";
import { changes, decodeRow, decodeRows, execute, rows } from "./sql.ts";

async function withDb<A>(url: string, f: (db: Db["Service"]) => Promise<A>): Promise<A> {
  const db = await Effect.runPromise(makeDb({ url }));
  try {
    await Effect.runPromise(db.transaction(execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")));
    return await f(db);
  } finally {
    await Effect.runPromise(db.close);
  }
}

const Row = Schema.Struct({ id: Schema.Number, v: Schema.String });
const all = decodeRows(Row);
const count = (db: Db["Service"]) =>
  Effect.runPromise(db.reading(decodeRow(Schema.Struct({ n: Schema.Number }))("SELECT count(*) AS n FROM t")))
    .then((row) => row!.n);

Deno.test("Db.transaction commits when the effect succeeds and returns its value", async () => {
  await withDb(":memory:", async (db) => {
    const n = await Effect.runPromise(db.transaction(Effect.gen(function* () {
      yield* execute("INSERT INTO t (v) VALUES (?), (?)", ["a", "b"]);
      return yield* changes("UPDATE t SET v = v || '!'");
    })));
    assertEquals(n, 2);
    assertEquals(await Effect.runPromise(db.reading(all("SELECT * FROM t ORDER BY id"))), [
      { id: 1, v: "a!" },
      { id: 2, v: "b!" },
    ]);
  });
});

Deno.test("Db.transaction rolls back on a failure, a defect and an interruption", async () => {
  await withDb(":memory:", async (db) => {
    const failed = await Effect.runPromiseExit(db.transaction(
      execute("INSERT INTO t (v) VALUES ('x')").pipe(
        Effect.andThen(Effect.fail(AppError.validation("no", "fix it"))),
      ),
    ));
    assert(Exit.isFailure(failed));
    const died = await Effect.runPromiseExit(db.transaction(
      execute("INSERT INTO t (v) VALUES ('y')").pipe(Effect.andThen(Effect.die(new Error("bug")))),
    ));
    assert(Exit.isFailure(died));
    const fiber = Effect.runFork(db.transaction(
      execute("INSERT INTO t (v) VALUES ('z')").pipe(Effect.andThen(Effect.never)),
    ));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Effect.runPromise(Fiber.interrupt(fiber));
    assertEquals(await count(db), 0, "nothing of the three was kept");
    // And the writer is free again.
    await Effect.runPromise(db.transaction(execute("INSERT INTO t (v) VALUES ('ok')")));
    assertEquals(await count(db), 1);
  });
});

for (const kind of ["memory", "file"] as const) {
  Deno.test(`Db.transaction serializes read-modify-write transactions from many fibers (${kind})`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "forgesync_sql_" });
    try {
      await withDb(kind === "memory" ? ":memory:" : `file:${dir}/t.db`, async (db) => {
        await Effect.runPromise(db.transaction(execute("INSERT INTO t (id, v) VALUES (1, '0')")));
        const bump = db.transaction(Effect.gen(function* () {
          const [row] = yield* all("SELECT * FROM t WHERE id = 1");
          yield* Effect.yieldNow;
          yield* execute("UPDATE t SET v = ? WHERE id = 1", [String(Number(row!.v) + 1)]);
        }));
        // Reads outside a transaction run beside them (on one connection for :memory:).
        const reads = Effect.forEach(Array.from({ length: 20 }), () => db.reading(rows("SELECT * FROM t")), {
          concurrency: "unbounded",
        });
        await Effect.runPromise(
          Effect.all([
            Effect.all(Array.from({ length: 50 }, () => bump), { concurrency: "unbounded" }),
            reads,
          ], {
            concurrency: "unbounded",
          }),
        );
        const [row] = await Effect.runPromise(db.reading(all("SELECT * FROM t WHERE id = 1")));
        assertEquals(row!.v, "50");
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("a row that does not match its schema is a defect naming the column", async () => {
  await withDb(":memory:", async (db) => {
    await Effect.runPromise(db.transaction(execute("INSERT INTO t (v) VALUES (NULL)")));
    const exit = await Effect.runPromiseExit(db.reading(all("SELECT * FROM t")));
    assert(Exit.isFailure(exit));
    const text = String(exit.cause);
    assertStringIncludes(text, "is not as expected");
    assertStringIncludes(text, `["v"]`);
  });
});

Deno.test("a write outside a transaction does not type-check", () => {
  const write = execute("DELETE FROM t");
  const outside = (db: Db["Service"]) =>
    // @ts-expect-error: SqlWrite is provided by Db.transaction only.
    Effect.runPromise(db.reading(write));
  assert(typeof outside === "function");
});
