/**
 * findByMarker against the GitHub sandbox, with search lagging behind writes.
 */
import { Option } from "effect";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { markerPhrase } from "./marker.ts";
import { connectTo, failure, run } from "./test_helpers.ts";

function frozenClock(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms), iso: () => new Date(now).toISOString() };
}

const searches = (gh: { log: { count: (m: { path: string }) => number } }) =>
  gh.log.count({ path: "/api/v3/search" });

Deno.test("a just-created issue is found by listing recent issues while search has not indexed it", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, searchDelaySeconds: 60, pullRequests: 0 });
  try {
    await gh.seedIssues(300);
    const { client, repo } = await connectTo(gh);
    const since = clock.iso();
    const marker = "<!-- forgesync:feature=f_42 -->";
    const made = await run(client.createIssue(repo, { title: "lost answer", body: `spec\n\n${marker}` }));
    gh.log.reset();
    const found = await run(client.findByMarker(repo, marker, since));
    assertEquals(Option.getOrThrow(found).number, made.number);
    assertEquals(searches(gh), 0, "no search needed");
    assertEquals(gh.log.count({ method: "GET" }), 1, "the listing stops at the first issue older than since");
    assertEquals(gh.log.entries[0]!.query.includes("sort=created"), true);
  } finally {
    await gh.close();
  }
});

Deno.test("without an attempt time, search finds the issue once it is indexed", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now, searchDelaySeconds: 60 });
  try {
    const { client, repo } = await connectTo(gh);
    const marker = "<!-- forgesync:task=t_7 -->";
    const made = await run(client.createIssue(repo, { title: "t", body: marker }));
    gh.log.reset();
    assert(Option.isNone(await run(client.findByMarker(repo, marker, null))), "not indexed yet");
    assertEquals(searches(gh), 1);
    const q = new URLSearchParams(gh.log.entries[0]!.query).get("q") ?? "";
    assertStringIncludes(q, `repo:${gh.repository}`);
    assertStringIncludes(q, "is:issue");
    assertStringIncludes(q, '"forgesync:task=t_7"');
    assertStringIncludes(q, "in:body");
    clock.advance(60_000);
    assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, null))).number, made.number);
  } finally {
    await gh.close();
  }
});

Deno.test("an older issue is not in the recent listing and is found by search", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    const marker = "<!-- forgesync:feature=old -->";
    const [old] = await gh.seedIssues(1, () => ({ title: "old", body: marker }));
    await gh.seedIssues(150);
    const { client, repo } = await connectTo(gh);
    const found = await run(client.findByMarker(repo, marker, clock.iso()));
    assertEquals(Option.getOrThrow(found).number, old);
    assertEquals(searches(gh), 1);
  } finally {
    await gh.close();
  }
});

Deno.test("hits are confirmed by the whole marker, and the oldest duplicate wins", async () => {
  const clock = frozenClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    const { client, repo } = await connectTo(gh);
    const since = clock.iso();
    const marker = "<!-- forgesync:task=dup -->";
    await gh.remoteCreate({ title: "near miss", body: "mentions forgesync:task=dup in prose" });
    assert(
      Option.isNone(await run(client.findByMarker(repo, marker, since))),
      "no issue holds the whole marker",
    );
    assert(Option.isNone(await run(client.findByMarker(repo, marker, null))));
    const first = await gh.remoteCreate({ title: "first", body: marker });
    await gh.remoteCreate({ title: "second", body: marker });
    assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, since))).number, first);
    assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, null))).number, first);
  } finally {
    await gh.close();
  }
});

Deno.test("an exhausted search budget is a RateLimited failure", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    gh.setSearchBudget(0);
    const e = await failure(client.findByMarker(repo, "<!-- forgesync:task=x -->", null));
    assertEquals(e.reason, "RateLimited");
    assert((e.retryAfterSeconds ?? 0) >= 1 && (e.retryAfterSeconds ?? 0) <= 60, String(e.retryAfterSeconds));
  } finally {
    await gh.close();
  }
});

Deno.test("markerPhrase keeps the searchable part", () => {
  assertEquals(markerPhrase("<!-- forgesync:feature=f_1 -->"), "forgesync:feature=f_1");
  assertEquals(markerPhrase('custom "quoted" marker'), "custom  quoted  marker");
});
