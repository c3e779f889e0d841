import { assertEquals } from "../assert.ts";
import { Budget, etagMatches, weakEtag } from "./rate.ts";

Deno.test("etagMatches compares weakly, in lists and with *", async () => {
  const etag = await weakEtag("[]");
  assertEquals(etag, await weakEtag("[]"), "the same body, the same ETag");
  assertEquals(etag === (await weakEtag("[ ]")), false);
  assertEquals(etagMatches(etag, etag), true);
  assertEquals(etagMatches(etag.slice(2), etag), true);
  assertEquals(etagMatches(`W/"other", ${etag}`, etag), true);
  assertEquals(etagMatches("*", etag), true);
  assertEquals(etagMatches('W/"other"', etag), false);
  assertEquals(etagMatches(undefined, etag), false);
  assertEquals(etagMatches("", etag), false);
});

Deno.test("a budget spends, refuses below zero, and refills when its window ends", () => {
  let now = 1_000_000;
  const b = new Budget("core", 3, 60_000, () => now);
  b.spend();
  b.spend();
  assertEquals(b.headers()["x-ratelimit-remaining"], "1");
  assertEquals(b.headers()["x-ratelimit-used"], "2");
  assertEquals(b.resetSeconds, (1_000_000 + 60_000) / 1000);
  b.spend();
  b.spend();
  assertEquals(b.remaining, 0);
  now += 60_000;
  assertEquals(b.remaining, 3);
  b.set(99);
  assertEquals(b.remaining, 3, "never above the limit");
  assertEquals(b.json(), { limit: 3, used: 0, remaining: 3, reset: (1_060_000 + 60_000) / 1000 });
});
