/**
 * listChanged against the GitHub sandbox: completeness across pages, pull requests dropped, the
 * cursor rules, and the steady state of one conditional request answered 304.
 */
import { Effect, Stream } from "effect";
import { makeForgeFetch, MemoryAnswers, newStats } from "../../src/platform/forge_fetch.ts";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { decodeCursor, encodeCursor } from "../../src/platform/mod.ts";
import { connectTo, failure, pages } from "./test_helpers.ts";

const numbersOf = (ps: readonly { issues: readonly { number: number }[] }[]) =>
  ps.flatMap((p) => p.issues.map((i) => i.number));

/** A sandbox clock that stands still until moved. */
function frozenClock(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

Deno.test("the first listing yields every issue across pages, oldest change first, without pull requests", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 2 });
  try {
    await gh.seedIssues(120);
    const prs = await gh.seedPullRequests(3);
    await gh.seedIssues(130);
    const { client, repo } = await connectTo(gh);
    const ps = await pages(client, repo, null);
    const seen = new Set(numbersOf(ps));
    assertEquals([...seen].sort((a, b) => a - b), gh.issueNumbers());
    for (const pr of [1, 2, ...prs]) assert(!seen.has(pr), `pull request #${pr} was listed`);
    const stamps = ps.flatMap((p) => p.issues.map((i) => Date.parse(i.updated_at)));
    assert(stamps.every((s, i) => i === 0 || s >= stamps[i - 1]!), "ascending updated_at");
    assertEquals(ps.length, 3, "255 items: pages of 100 with keyset repeats");
    for (const p of ps.slice(0, -1)) {
      assertEquals(
        decodeCursor(p.cursor)!.since,
        p.issues.at(-1)!.updated_at,
        "a page with a next resumes at its last T",
      );
    }
    const requests = gh.log.entries.filter((e) => e.path.endsWith("/issues"));
    assertEquals(requests.length, 3);
    assert(requests.every((e) => e.query.includes("state=all") && e.query.includes("sort=updated")));
    assert(requests.slice(1).every((e) => e.query.includes("since=")), "later pages are keyset queries");
  } finally {
    await gh.close();
  }
});

Deno.test("cursor of the final page: the request's since when partial, its last T when full", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    const { client, repo } = await connectTo(gh);
    await gh.seedIssues(40);
    const partial = await pages(client, repo, null);
    assertEquals(partial.length, 1);
    assertEquals(
      partial[0]!.cursor,
      encodeCursor(null),
      "fewer than 100 from the start: resume from the start",
    );
    await gh.seedIssues(60);
    const full = await pages(client, repo, null);
    assertEquals([full.length, full[0]!.issues.length], [1, 100]);
    assertEquals(
      decodeCursor(full[0]!.cursor)!.since,
      full[0]!.issues.at(-1)!.updated_at,
      "a full final page: T",
    );
    const since = full[0]!.issues[50]!.updated_at;
    const fromMiddle = await pages(client, repo, encodeCursor(since));
    assertEquals(fromMiddle[0]!.issues.length, 50);
    assertEquals(fromMiddle[0]!.cursor, encodeCursor(since), "partial page: the since it was asked with");
  } finally {
    await gh.close();
  }
});

Deno.test("a steady-state pass is one conditional request answered 304", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    await gh.seedIssues(250);
    const stats = newStats();
    const coreFetch = makeForgeFetch({ stats, answers: new MemoryAnswers() });
    const { client, repo } = await connectTo(gh, { fetch: coreFetch });
    const first = await pages(client, repo, null);
    const cursor = first.at(-1)!.cursor;
    gh.log.reset();
    stats.requests = 0;

    const again = await pages(client, repo, cursor);
    assertEquals(stats.requests, 1, "one request");
    assertEquals(stats.not_modified, 1, "answered 304");
    assertEquals(gh.log.entries.map((e) => e.status), [304]);
    assertEquals(again.at(-1)!.cursor, cursor, "the cursor does not move");
    const budget = gh.budget!().remaining;
    await pages(client, repo, cursor);
    assertEquals(gh.budget!().remaining, budget, "304s spend no budget");

    clock.advance(5_000);
    await gh.remoteEdit(17, { title: "changed remotely" });
    gh.log.reset();
    const changed = await pages(client, repo, cursor);
    assertEquals(gh.log.entries.map((e) => e.status), [200]);
    assertEquals(changed.flatMap((p) => p.issues).find((i) => i.number === 17)?.title, "changed remotely");
    const next = changed.at(-1)!.cursor;
    gh.log.reset();
    await pages(client, repo, next);
    assertEquals(gh.log.entries.map((e) => e.status), [304], "and then steady again");
  } finally {
    await gh.close();
  }
});

Deno.test("a page mostly sharing one second follows the link instead of a keyset jump", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 3 });
  try {
    for (let i = 0; i < 250; i++) await gh.remoteCreate({ title: `same second ${i}` });
    const { client, repo } = await connectTo(gh);
    const ps = await pages(client, repo, null);
    assertEquals(new Set(numbersOf(ps)).size, 250);
    const queries = gh.log.entries.filter((e) => e.method === "GET").map((e) => e.query);
    // Page 1 is mostly one second: a keyset jump would list it again, so the links are followed.
    assertEquals(queries.length, 3);
    assert(queries.every((q) => !q.includes("since=")), "no keyset jump");
    assert(/[?&]page=2(&|$)/.test(queries[1]!) && /[?&]page=3(&|$)/.test(queries[2]!), "the link pages");
    assert(gh.log.entries.some((e) => e.path.includes("/repositories/")), "link URLs are followed as given");
    // The final page was reached through the links: the cursor is its last second, which the next
    // pass lists again, whole (a change within it may sort anywhere among its issues) — three
    // requests, answered 304 while nothing changes: the price of a burst within one second.
    const T = ps.at(-1)!.issues.at(-1)!.updated_at;
    assertEquals(decodeCursor(ps.at(-1)!.cursor), { since: T, page: 1 });
    gh.log.reset();
    const again = await pages(client, repo, ps.at(-1)!.cursor);
    assertEquals(new Set(numbersOf(again)).size, 250);
  } finally {
    await gh.close();
  }
});

Deno.test("resuming from any page's cursor loses nothing; a garbage cursor lists from the start", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 0 });
  try {
    await gh.seedIssues(330);
    const { client, repo } = await connectTo(gh);
    const ps = await pages(client, repo, null);
    for (let i = 0; i < ps.length; i++) {
      const resumed = await pages(client, repo, ps[i]!.cursor);
      const covered = new Set([...numbersOf(ps.slice(0, i + 1)), ...numbersOf(resumed)]);
      assertEquals(covered.size, 330, `resume after page ${i}`);
    }
    for (const garbage of ["", "{", '{"since":"yesterday"}', "[1]", '{"since":42}']) {
      assertEquals(new Set(numbersOf(await pages(client, repo, garbage))).size, 330, garbage);
    }
  } finally {
    await gh.close();
  }
});

Deno.test("a failing page ends the stream with the mapped error after the pages before it", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 0 });
  try {
    for (let i = 0; i < 250; i++) await gh.remoteCreate({ title: `same second ${i}` });
    const { client, repo } = await connectTo(gh);
    // Requests: the first page (all one second, so no keyset jump), then link pages under /repositories/{id}.
    gh.faults.add({ kind: "status", status: 502, path: /\/repositories\// });
    const seen: number[] = [];
    const e = await failure(Stream.runForEach(client.listChanged(repo, null), (p) =>
      Effect.sync(() => {
        seen.push(p.issues.length);
      })));
    assertEquals([e.reason, e.status, seen], ["Transient", 502, [100]]);
    gh.faults.add({ kind: "malformed", path: /\/issues$/ });
    const malformed = await failure(Stream.runHead(client.listChanged(repo, null)));
    assertEquals(malformed.reason, "Transient");
  } finally {
    gh.faults.clear();
    await gh.close();
  }
});

Deno.test("ten thousand issues list completely, about one request per hundred", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 5 });
  try {
    await gh.seedIssues(10_000);
    const { client, repo } = await connectTo(gh);
    const ps = await pages(client, repo, null);
    assertEquals(new Set(numbersOf(ps)).size, 10_000);
    // 10,005 items (5 pull requests): 100 on the first page, then 99 new per keyset page.
    assertEquals(gh.log.count({ method: "GET" }), 102);
  } finally {
    await gh.close();
  }
});

Deno.test("an issue changed in the same second as a hundred others is listed again, whatever its place among them", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 0 });
  try {
    await gh.seedIssues(150);
    const { client, repo } = await connectTo(gh);
    const first = await pages(client, repo, null);
    clock.advance(60_000);
    // 130 issues change within one second: GitHub orders equal stamps its own way (here by number).
    for (let n = 20; n < 150; n++) await gh.remoteEdit(n, { title: `busy second ${n}` });
    const busy = await pages(client, repo, first.at(-1)!.cursor);
    const listed = new Set(numbersOf(busy));
    assert(
      Array.from({ length: 130 }, (_, i) => i + 20).every((n) => listed.has(n)),
      "the busy second listed",
    );
    // Still in that second, a low-numbered issue changes: among equals it sorts first, not last.
    await gh.remoteEdit(10, { title: "changed in the busy second" });
    const next = await pages(client, repo, busy.at(-1)!.cursor);
    const seen = next.flatMap((p) => p.issues).find((i) => i.number === 10);
    assertEquals(seen?.title, "changed in the busy second");
  } finally {
    await gh.close();
  }
});

Deno.test("an issue edited while the link pages are followed shifts none out of the next listing", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 0 });
  try {
    // 250 issues changed in one second: page 1 is all one second, so the listing follows the links.
    for (let i = 0; i < 250; i++) await gh.remoteCreate({ title: `same second ${i}` });
    let gets = 0;
    const stats = newStats();
    const shifting: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (new Request(input, init).method === "GET" && ++gets === 1) {
        // Between page 1 and page 2 someone edits an issue of page 1: it moves to the end, and the
        // first issue of page 2 slides onto page 1, which this listing has already read.
        clock.advance(1_000);
        await gh.remoteEdit(5, { title: "edited while listing" });
      }
      return answer;
    };
    const coreFetch = makeForgeFetch({ base: shifting, stats, answers: new MemoryAnswers() });
    const { client, repo } = await connectTo(gh, { fetch: coreFetch });
    const first = await pages(client, repo, null);
    const seen = new Set(numbersOf(first));
    const next = await pages(client, repo, first.at(-1)!.cursor);
    for (const n of numbersOf(next)) seen.add(n);
    const missed = Array.from({ length: 250 }, (_, i) => i + 1).filter((n) => !seen.has(n));
    assertEquals(missed, [], "every issue is listed by the listing or the next one");
    // Once nothing changes, the listing settles back on a steady state answered 304 throughout.
    let cursor = next.at(-1)!.cursor;
    const statuses: number[][] = [];
    for (let pass = 0; pass < 4; pass++) {
      gh.log.reset();
      cursor = (await pages(client, repo, cursor)).at(-1)!.cursor;
      statuses.push(gh.log.entries.map((e) => e.status));
    }
    // The listing after the edit read the burst again and met no issue that moved: its cursor is
    // already past the burst, at the edit's second.
    assertEquals(statuses, [[200], [304], [304], [304]]);
    assertEquals(decodeCursor(cursor)!.since, gh.readIssue(5)!.updated_at);
  } finally {
    await gh.close();
  }
});
