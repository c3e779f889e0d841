/**
 * Leases on a real libSQL database: epochs, the fence, release, and who may take a lease over.
 */
import { Effect } from "effect";
import { assert, assertEquals, assertFalse } from "../testing/assert.ts";
import { Db, makeDb } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";
import { execute } from "../store/sql.ts";
import {
  fence,
  type Holder,
  type LeaseRow,
  makeHolder,
  mayTake,
  releaseLease,
  renewLease,
  retireHolder,
  tryLease,
} from "./lease.ts";

const R = "repo:github:o/r";

async function withDb(f: (db: Db["Service"]) => Promise<void>): Promise<void> {
  const db = await Effect.runPromise(makeDb({ url: ":memory:" }));
  try {
    await Effect.runPromise(migrate().pipe(Effect.provideService(Db, db)));
    await f(db);
  } finally {
    await Effect.runPromise(db.close);
  }
}

const elsewhere = (id: string): Holder => ({ id, host: `host-${id}`, pid: 4242 });
const run = <A>(e: Effect.Effect<A, unknown>) => Effect.runPromise(e);

Deno.test("tryLease() takes a free lease with a new epoch each time, and refuses a held one", () =>
  withDb(async (db) => {
    const a = elsewhere("a");
    const b = elsewhere("b");
    const first = (await run(tryLease(db, R, a, 60_000)))!;
    assertEquals(first.epoch, 1);
    assertEquals(await run(tryLease(db, R, b, 60_000)), undefined, "held by a");
    await run(releaseLease(db, first));
    const second = (await run(tryLease(db, R, b, 60_000)))!;
    assertEquals(second.epoch, 2, "a new epoch after a release");
    assertFalse(await run(renewLease(db, first)), "the released lease fences nothing any more");
    assert(await run(renewLease(db, second)));
  }));

Deno.test("the fence: an expired lease no one took over is renewed; one taken over fails", () =>
  withDb(async (db) => {
    const a = elsewhere("a");
    const b = elsewhere("b");
    const lease = (await run(tryLease(db, R, a, 1)))!;
    await new Promise((r) => setTimeout(r, 10));
    // Expired, but still a's: a's writes go on and the lease is held again (for a minute).
    await run(db.transaction(fence({ ...lease, ttlMs: 60_000 })));
    assertEquals(await run(tryLease(db, R, b, 60_000)), undefined, "renewed by the fence");
    // Held up past the expiry while b takes over: a's next fence fails, and writes nothing.
    const short = (await run(tryLease(db, R, a, 1)))!;
    await new Promise((r) => setTimeout(r, 10));
    assert((await run(tryLease(db, R, b, 60_000))) !== undefined, "b took it over");
    const outcome = await run(Effect.result(db.transaction(Effect.gen(function* () {
      yield* execute("INSERT INTO tasks (task_id, title, created_at, updated_at) VALUES ('t', 't', '', '')");
      yield* fence(short);
    }))));
    assert(outcome._tag === "Failure");
    assertEquals(await run(db.query("SELECT * FROM tasks")), [], "rolled back");
  }));

Deno.test("mayTake(): a lease left by a dead process of this host, or a closed runtime of this process, is taken at once", () => {
  const me = makeHolder();
  const later = new Date(Date.now() + 60_000).toISOString();
  const row = (holder: string, host: string | null, pid: number | null): LeaseRow => ({
    holder,
    expires_at: later,
    epoch: 1,
    host,
    pid,
  });
  try {
    assert(mayTake(undefined, me, Date.now()));
    assert(mayTake(row(me.id, me.host, me.pid), me, Date.now()), "its own");
    assertFalse(mayTake(row("x", "another-host", 1), me, Date.now()), "another host: wait for the expiry");
    assert(mayTake(row("x", me.host, 999_999), me, Date.now(), () => false), "a dead process of this host");
    assertFalse(
      mayTake(row("x", me.host, 999_999), me, Date.now(), () => true),
      "a live process of this host",
    );
    const sibling = makeHolder();
    assertFalse(
      mayTake(row(sibling.id, me.host, me.pid), me, Date.now()),
      "a running runtime of this process",
    );
    retireHolder(sibling);
    assert(mayTake(row(sibling.id, me.host, me.pid), me, Date.now()), "a closed runtime of this process");
    assert(
      mayTake({ ...row("x", "another-host", 1), expires_at: new Date(0).toISOString() }, me, Date.now()),
    );
  } finally {
    retireHolder(me);
  }
});
