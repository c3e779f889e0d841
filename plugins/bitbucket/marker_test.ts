import { Option } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { run, withPlugin } from "./test_support.ts";

Deno.test("findByMarker() reads recent issues first, then searches content.raw, confirming on the body", async () => {
  let now = Date.parse("2026-04-01T10:00:00Z");
  await withPlugin(
    async ({ client, repo, sb }) => {
      const marker = "<!-- forgesync:task=T1 -->";
      // An old issue carrying the marker, and a newer one carrying a longer id with the same prefix.
      const old = await sb.remoteCreate({ title: "old", body: `spec\n\n${marker}` });
      now += 60_000;
      const since = new Date(now).toISOString();
      now += 1;
      const other = await sb.remoteCreate({ title: "other", body: "<!-- forgesync:task=T12 -->" });
      sb.log.reset();
      const found = await run(client.findByMarker(repo, marker, null));
      assertEquals(Option.getOrThrow(found).number, old);
      assertEquals(sb.log.entries.length, 1);
      assertStringIncludes(decodeURIComponent(sb.log.entries[0]!.query), 'content.raw ~ "forgesync:task=T1"');
      // With a since after the old issue: the recent scan misses, the search finds it.
      sb.log.reset();
      assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, since))).number, old);
      assertEquals(sb.log.entries.length, 2);
      assertStringIncludes(decodeURIComponent(sb.log.entries[0]!.query), "created_on >=");
      assertStringIncludes(decodeURIComponent(sb.log.entries[0]!.query), "sort=-created_on");
      // A recent issue is found by the recent scan alone.
      sb.log.reset();
      const t12 = await run(client.findByMarker(repo, "<!-- forgesync:task=T12 -->", since));
      assertEquals(Option.getOrThrow(t12).number, other);
      assertEquals(sb.log.entries.length, 1);
      // A prefix of another marker is not that marker.
      assert(Option.isNone(await run(client.findByMarker(repo, "<!-- forgesync:task=T -->", since))));
      assert(Option.isNone(await run(client.findByMarker(repo, "<!-- forgesync:feature=F9 -->", null))));
      // Two issues with one marker (a duplicate): the lowest number wins among those read; with a
      // since, the recent issues answer without the search.
      now += 1;
      const dup = await sb.remoteCreate({ title: "dup", body: marker });
      const dup2 = await sb.remoteCreate({ title: "dup2", body: marker });
      assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, null))).number, old);
      assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, since))).number, dup);
      assert(dup2 > dup);
    },
    "basic",
    { now: () => now },
  );
});

Deno.test("findByMarker() pages through many candidates", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    await sb.seedIssues(230, (i) => ({ title: `t${i}`, body: `forgesync:task=X${i}` }));
    const target = await sb.remoteCreate({ title: "target", body: "<!-- forgesync:task=X -->" });
    const found = await run(client.findByMarker(repo, "<!-- forgesync:task=X -->", null));
    assertEquals(Option.getOrThrow(found).number, target);
  });
});
