import { Effect, Stream } from "effect";
import { createGitHubSandbox } from "../testing/github_sandbox.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { makeDb } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";
import { Db } from "../store/db.ts";
import { EtagCache, fingerprint } from "../forges/answers.ts";
import { makeForgeFetch, MemoryAnswers, newStats, readBudget } from "./forge_fetch.ts";
import { githubClient } from "./test_support.ts";
import { CACHED_ANSWER_HEADER } from "./types.ts";

Deno.test("listing 10,000 issues, then again with no change, costs one request answered 304 and no quota", async () => {
  const sandbox = await createGitHubSandbox();
  try {
    await sandbox.seedIssues(10_000);
    const answers = new MemoryAnswers();
    const { client, repo, stats } = await githubClient(sandbox, { answers });
    const first = await Effect.runPromise(Stream.runCollect(client.listChanged(repo, null)));
    const listed = new Set(first.flatMap((p) => p.issues.map((i) => i.number)));
    assertEquals(listed.size, 10_000);
    const cursor = first[first.length - 1]!.cursor;
    const budget = sandbox.budget!().remaining;
    const before = stats.requests;
    sandbox.log.reset();
    const second = await Effect.runPromise(Stream.runCollect(client.listChanged(repo, cursor)));
    assertEquals(stats.requests - before, 1, "exactly one request");
    assertEquals(sandbox.log.entries.length, 1);
    assertEquals(sandbox.log.entries[0]!.status, 304);
    assertEquals(sandbox.budget!().remaining, budget, "a 304 spends no quota");
    assertEquals(stats.not_modified, 1);
    // The replayed page is the cached one, so the caller sees the same boundary issues.
    assertEquals(
      second.flatMap((p) => p.issues.map((i) => i.number)),
      first.at(-1)!.issues.map((i) => i.number),
    );
    // A change is seen at once: the same URL now answers 200 with the edited issue.
    const edited = [...listed][1234]!;
    await sandbox.remoteEdit(edited, { title: "changed" });
    sandbox.log.reset();
    const third = await Effect.runPromise(Stream.runCollect(client.listChanged(repo, cursor)));
    assertEquals(sandbox.log.entries[0]!.status, 200);
    assert(third.some((p) => p.issues.some((i) => i.number === edited && i.title === "changed")));
  } finally {
    await sandbox.close();
  }
});

Deno.test("readBudget() reads GitHub, GitLab and Bitbucket rate-limit headers", () => {
  const github = readBudget(
    new Headers({
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": "1800000000",
    }),
  );
  assertEquals(github, {
    limit: 5000,
    remaining: 4999,
    reset_at: "2027-01-15T08:00:00.000Z",
    resource: null,
  });
  const gitlab = readBudget(new Headers({ "RateLimit-Limit": "2000", "RateLimit-Remaining": "12" }));
  assertEquals(gitlab?.remaining, 12);
  assertEquals(readBudget(new Headers()), null);
});

Deno.test("makeForgeFetch() counts requests and sends If-None-Match only for cached GETs", async () => {
  const seen: Array<string | null> = [];
  const stats = newStats();
  const answers = new MemoryAnswers();
  const base: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    seen.push(request.headers.get("if-none-match"));
    if (request.headers.get("if-none-match") === '"v1"') {
      return Promise.resolve(new Response(null, { status: 304 }));
    }
    return Promise.resolve(new Response('{"a":1}', { status: 200, headers: { etag: '"v1"' } }));
  };
  const f = makeForgeFetch({ base, stats, answers });
  assertEquals(await (await f("http://x/list")).json(), { a: 1 });
  const replay = await f("http://x/list");
  assertEquals(replay.status, 200);
  assertEquals(replay.headers.get(CACHED_ANSWER_HEADER), "hit");
  assertEquals(await replay.json(), { a: 1 });
  await (await f("http://x/list", { method: "POST", body: "{}" })).text();
  assertEquals(seen, [null, '"v1"', null]);
  assertEquals(stats.requests, 3);
  assertEquals(stats.not_modified, 1);
});

Deno.test("EtagCache keeps answers across processes (a new cache on the same database)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const url = `file:${dir}/cache.db`;
    const token = await fingerprint("token");
    const db1 = await Effect.runPromise(makeDb({ url }));
    await Effect.runPromise(migrate().pipe(Effect.provideService(Db, db1)));
    const cache1 = new EtagCache(db1, token);
    cache1.put({
      url: "http://x/a?since=1",
      etag: '"e1"',
      status: 200,
      headers: [["etag", '"e1"']],
      body: "[1]",
    });
    assertEquals(cache1.pending, 1);
    await Effect.runPromise(cache1.flush);
    await Effect.runPromise(db1.close);
    const db2 = await Effect.runPromise(makeDb({ url }));
    const cache2 = new EtagCache(db2, token);
    const answer = await cache2.get("http://x/a?since=1");
    assertEquals(answer?.etag, '"e1"');
    assertEquals(answer?.body, "[1]");
    assertEquals(await new EtagCache(db2, await fingerprint("other")).get("http://x/a?since=1"), undefined);
    const rows = await Effect.runPromise(db2.query("SELECT * FROM http_cache"));
    assert(!JSON.stringify(rows).includes('"token"'), "the token itself is never stored");
    await Effect.runPromise(db2.close);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("makeForgeFetch() never keeps a garbled 200 that later 304s would replay forever", async () => {
  const answers = new MemoryAnswers();
  const bodies = ["<html>upstream garbage", '{"truncated": ', '[{"number":1}]'];
  let i = 0;
  const base: typeof fetch = () =>
    Promise.resolve(new Response(bodies[i++]!, { status: 200, headers: { etag: `"e${i}"` } }));
  const f = makeForgeFetch({ base, stats: newStats(), answers });
  for (let n = 0; n < 3; n++) await (await f(`http://x/list${n}`)).text();
  assertEquals(answers.size, 1, "only the JSON answer is kept");
  assertEquals((await answers.get("http://x/list2"))?.body, '[{"number":1}]');
});
