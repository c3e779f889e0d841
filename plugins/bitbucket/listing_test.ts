import { Stream } from "effect";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import type { BitbucketSandbox } from "../../src/testing/bitbucket_sandbox.ts";
import { bbqlString } from "./listing.ts";
import { failure, pages, withPlugin } from "./test_support.ts";
import { encodeCursor, fromMicros, toMicros } from "../../src/platform/mod.ts";

const since = (cursor: string | null) =>
  cursor === null ? null : (JSON.parse(cursor) as { since: string }).since;
const numbers = (ps: { issues: readonly { number: number }[] }[]) =>
  ps.flatMap((p) => p.issues.map((i) => i.number));
const stampOf = (sb: BitbucketSandbox, n: number) => sb.readIssue(n)!.updated_at;
/** The `q` of each logged listing request (null when absent). */
const queries = (sb: BitbucketSandbox) =>
  sb.log.entries.filter((e) => e.path.endsWith("/issues")).map((e) => new URLSearchParams(e.query).get("q"));

/** Gives issues `from..to` (numbers) the same `updated_on`. */
function sameStamp(sb: BitbucketSandbox, numbers: readonly number[], micros: number): void {
  const repo = sb.state.repo(sb.repository)!;
  for (const n of numbers) repo.issues.get(n)!.updated = micros;
}

Deno.test("cursors are the contract's JSON {since}; bare timestamps are accepted; anything else is Invalid", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const [n] = await sb.seedIssues(1);
    const stamp = stampOf(sb, n!);
    for (const cursor of [encodeCursor(stamp), stamp]) {
      assertEquals(numbers(await pages(client, repo, cursor)), [n], cursor);
    }
    for (const bad of ["{}", '{"since":"later"}', "garbage", "[1]"]) {
      const error = await failure(Stream.runCollect(client.listChanged(repo, bad)));
      assertEquals(error.reason, "Invalid");
      assertStringIncludes(error.message, "not a Bitbucket cursor");
      assertStringIncludes(error.hint ?? "", "no cursor");
    }
  });
  assertEquals(bbqlString('a "b" \\ c'), '"a \\"b\\" \\\\ c"');
});

Deno.test("listChanged(null) lists every issue across pages, ascending, re-querying from each page's last time", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const seeded = await sb.seedIssues(250);
    sb.log.reset();
    const ps = await pages(client, repo, null);
    assertEquals(ps.map((p) => p.issues.length), [100, 100, 52]);
    // Boundary issues repeat (#100 and #199), nothing is lost.
    assertEquals(numbers(ps), [...seeded.slice(0, 100), ...seeded.slice(99, 199), ...seeded.slice(198)]);
    const t1 = stampOf(sb, seeded[99]!), t2 = stampOf(sb, seeded[198]!);
    assertEquals(ps.map((p) => since(p.cursor)), [t1, t2, t2]);
    assertEquals(queries(sb), [null, `updated_on >= "${t1}"`, `updated_on >= "${t2}"`]);
    for (const e of sb.log.entries) {
      const params = new URLSearchParams(e.query);
      assertEquals([params.get("sort"), params.get("pagelen")], ["updated_on", "100"]);
    }
    const stamps = ps.flatMap((p) => p.issues.map((i) => toMicros(i.updated_at)!));
    for (let i = 1; i < stamps.length; i++) assert(stamps[i]! >= stamps[i - 1]!);
  });
});

Deno.test("listChanged() from the last cursor lists only what changed, even within the same millisecond", async () => {
  const now = Date.parse("2026-03-03T03:03:03Z");
  await withPlugin(
    async ({ client, repo, sb }) => {
      const seeded = await sb.seedIssues(30);
      const all = await pages(client, repo, null);
      assertEquals(all.length, 1);
      // A final page that is not full keeps the request's since: null here.
      assertEquals(all[0]!.cursor, null);
      const cursor = encodeCursor(stampOf(sb, seeded[29]!));
      // The clock stands still: edits get microsecond-later stamps in the same millisecond.
      await sb.remoteEdit(seeded[3]!, { title: "a" });
      await sb.remoteEdit(seeded[7]!, { title: "b" });
      const changed = await pages(client, repo, cursor);
      assertEquals(numbers(changed), [seeded[29], seeded[3], seeded[7]]);
      assertEquals(changed[0]!.issues.map((i) => i.title).slice(1), ["a", "b"]);
      // Not full: the cursor stays at the request's since, so a concurrent late write is not skipped.
      assertEquals(changed.at(-1)!.cursor, cursor);
      assertMatch(since(changed.at(-1)!.cursor)!, /\.\d{6}\+00:00$/);
    },
    "basic",
    { now: () => now },
  );
});

Deno.test("listChanged() emits T for a final page that is full, and the since for an empty one", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const empty = await pages(client, repo, null);
    assertEquals(empty.map((p) => [p.issues.length, p.cursor]), [[0, null]]);
    const seeded = await sb.seedIssues(100);
    const full = await pages(client, repo, null);
    assertEquals(full.length, 1);
    assertEquals(since(full[0]!.cursor), stampOf(sb, seeded[99]!));
    const later = encodeCursor(fromMicros(toMicros(stampOf(sb, seeded[99]!))! + 1));
    const none = await pages(client, repo, later);
    assertEquals(none.map((p) => [p.issues.length, p.cursor]), [[0, later]]);
  });
});

Deno.test("listChanged() follows next when a whole page shares one timestamp", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const seeded = await sb.seedIssues(240);
    const x = toMicros(stampOf(sb, seeded[0]!))!;
    sameStamp(sb, seeded.slice(0, 150), x);
    const cursor = encodeCursor(fromMicros(x));
    sb.log.reset();
    const ps = await pages(client, repo, cursor);
    const got = numbers(ps);
    assert(seeded.every((n) => got.includes(n)), "every issue is listed");
    // Page 1: 100 issues at X (T = S): follow next (page 2); its last T > X: a fresh query from T.
    const pagesAsked = sb.log.entries.map((e) => new URLSearchParams(e.query).get("page"));
    assertEquals(pagesAsked.slice(0, 2), [null, "2"]);
    assertEquals(queries(sb)[1], `updated_on >= "${fromMicros(x)}"`);
    assertEquals(since(ps[0]!.cursor), fromMicros(x));
    assertEquals(queries(sb)[2], `updated_on >= "${since(ps[1]!.cursor)}"`);
    assert(toMicros(since(ps[1]!.cursor)!)! > x);
  });
});

Deno.test("listChanged() compares times to the microsecond: one microsecond later is later", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const seeded = await sb.seedIssues(150);
    const x = toMicros(stampOf(sb, seeded[0]!))!;
    // 99 issues at X, the 100th one microsecond later (same millisecond), the rest later still.
    sameStamp(sb, seeded.slice(0, 99), x);
    sameStamp(sb, [seeded[99]!], x + 1);
    sb.log.reset();
    const ps = await pages(client, repo, encodeCursor(fromMicros(x)));
    // T = X + 1µs > S = X: a fresh query from T, not page 2 of the old one.
    assertEquals(queries(sb)[1], `updated_on >= "${fromMicros(x + 1)}"`);
    assertEquals(new URLSearchParams(sb.log.entries[1]!.query).get("page"), null);
    assertEquals(since(ps[0]!.cursor), fromMicros(x + 1));
    assertEquals(new Set(numbers(ps)).size, 150);
  });
});

Deno.test("listChanged() resumes from any page's cursor without losing an issue", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const seeded = await sb.seedIssues(320);
    const ps = await pages(client, repo, null);
    for (let i = 0; i < ps.length; i++) {
      const resumed = await pages(client, repo, ps[i]!.cursor);
      const covered = new Set([...numbers(ps.slice(0, i + 1)), ...numbers(resumed)]);
      assertEquals(seeded.filter((n) => !covered.has(n)), [], `from page ${i}`);
    }
  }, "bearer");
});

Deno.test("listChanged() fails with the tracker-off message and with a bad cursor", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const e1 = await failure(
      Stream.runCollect(client.listChanged({ platform: "bitbucket", path: sb.trackerOffRepository }, null)),
    );
    assertEquals(e1.reason, "NotFound");
    assertStringIncludes(e1.message, "issue tracker");
    const e2 = await failure(Stream.runCollect(client.listChanged(repo, "nonsense")));
    assertEquals(e2.reason, "Invalid");
  });
});

Deno.test("listChanged() scales: 2,500 issues in 26 requests, 30 changes in one", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    await sb.seedIssues(2500);
    sb.log.reset();
    const ps = await pages(client, repo, null);
    assertEquals(new Set(numbers(ps)).size, 2500);
    // 100 on the first page, then 99 new ones per page (each page repeats its boundary issue).
    assertEquals(sb.log.entries.length, 1 + Math.ceil(2400 / 99));
    const cursor = ps.at(-1)!.cursor;
    for (let n = 1; n <= 30; n++) await sb.remoteEdit(n * 50, { body: `changed ${n}` });
    sb.log.reset();
    const changed = await pages(client, repo, cursor);
    assertEquals(sb.log.entries.length, 1);
    const bodies = new Map(changed.flatMap((p) => p.issues.map((i) => [i.number, i.body] as const)));
    for (let n = 1; n <= 30; n++) assertEquals(bodies.get(n * 50), `changed ${n}`);
    // Besides the 30 changes, only the unchanged tail of the last listing (from its since) repeats.
    assert(bodies.size < 30 + 100);
  });
});
