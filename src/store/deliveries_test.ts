import { Effect, Layer, ManagedRuntime } from "effect";
import { assert, assertEquals, assertFalse } from "../testing/assert.ts";
import { Db } from "./db.ts";
import { migrate } from "./migrate.ts";
import { type Delivery, recentDeliveries, recordDelivery } from "./deliveries.ts";

async function withDb(f: (rt: ManagedRuntime.ManagedRuntime<Db, never>) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_deliveries_" });
  const layer = Layer.provideMerge(
    Layer.effectDiscard(migrate().pipe(Effect.orDie)),
    Db.layer({ url: `file:${dir}/d.db` }),
  );
  const rt = ManagedRuntime.make(layer);
  try {
    await f(rt);
  } finally {
    await rt.dispose();
    await Deno.remove(dir, { recursive: true });
  }
}

const delivery: Delivery = {
  platform: "github",
  delivery_id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  config_id: null,
  repository: "octo-org/widgets",
  event: "issues.edited",
  issue_numbers: [7],
  status: "enqueued",
};

Deno.test("recordDelivery() records a delivery once per platform and delivery id", async () => {
  await withDb(async (rt) => {
    assert(await rt.runPromise(recordDelivery(delivery)));
    assertFalse(await rt.runPromise(recordDelivery({ ...delivery, event: "issues.closed" })));
    assert(await rt.runPromise(recordDelivery({ ...delivery, platform: "gitlab" })), "another platform");
    const [concurrentA, concurrentB] = await Promise.all([
      rt.runPromise(recordDelivery({ ...delivery, delivery_id: "twice" })),
      rt.runPromise(recordDelivery({ ...delivery, delivery_id: "twice" })),
    ]);
    assertEquals([concurrentA, concurrentB].filter(Boolean).length, 1);
    const rows = await rt.runPromise(recentDeliveries());
    assertEquals(rows.length, 3);
    const first = rows.find((r) => r.platform === "github" && r.delivery_id === delivery.delivery_id)!;
    assertEquals(first.event, "issues.edited", "a redelivery changes nothing");
    assertEquals(first.issue_numbers, [7]);
  });
});

Deno.test("recordDelivery() prunes deliveries older than the retention period", async () => {
  await withDb(async (rt) => {
    await rt.runPromise(Db.use((db) =>
      db.batch([{
        sql: `INSERT INTO webhook_deliveries (platform, delivery_id, repository, event, received_at, status)
              VALUES ('github', 'old', 'o/r', 'issues', '2000-01-01T00:00:00.000Z', 'enqueued')`,
        args: [],
      }])
    ));
    assert(await rt.runPromise(recordDelivery(delivery)));
    assertEquals((await rt.runPromise(recentDeliveries())).map((r) => r.delivery_id), [delivery.delivery_id]);
  });
});
