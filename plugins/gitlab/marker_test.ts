import { Option } from "effect";
import { assert, assertEquals, assertFalse } from "../../src/testing/assert.ts";
import { run, withRig } from "./test_support.ts";
import { markerSearchTerm } from "./marker.ts";

Deno.test("findByMarker() finds a recent issue by reading bodies, the oldest of duplicates", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const marker = "<!-- forgesync:task=T-42 -->";
    const since = new Date(Date.now() - 1000).toISOString();
    await sandbox.seedIssues(3);
    const first = await run(client.createIssue(repo, { title: "Mine", body: `Text\n${marker}` }));
    await run(client.createIssue(repo, { title: "Dup", body: marker }));
    await run(client.createIssue(repo, { title: "Other", body: "<!-- forgesync:task=T-4 -->" }));
    sandbox.log.reset();
    const found = await run(client.findByMarker(repo, marker, since));
    assertEquals(found.pipe(Option.map((i) => i.number)), Option.some(first.number));
    assertFalse(sandbox.log.entries.some((e) => e.query.includes("search=")), "no search needed");
    const none = await run(client.findByMarker(repo, "<!-- forgesync:task=T-999 -->", since));
    assert(Option.isNone(none));
  }));

Deno.test("findByMarker() falls back to search for older issues, confirming by body", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const marker = "<!-- forgesync:feature=F-7 -->";
    await sandbox.seedIssues(1, () => ({ title: "Old", body: `Spec\n${marker}` }));
    await sandbox.seedIssues(
      1,
      () => ({ title: "Lookalike", body: "forgesync:feature=F-7 without the comment" }),
    );
    await sandbox.seedIssues(150);
    sandbox.log.reset();
    // since null: only the newest page is read directly, then search.
    const found = await run(client.findByMarker(repo, marker, null));
    assertEquals(found.pipe(Option.map((i) => i.title)), Option.some("Old"));
    const search = sandbox.log.entries.find((e) => e.query.includes("search="))!;
    const q = new URLSearchParams(search.query);
    assertEquals([q.get("search"), q.get("in")], ["forgesync:feature=F-7", "description"]);
    // A recent since stops the direct read at the cutoff, then searches.
    sandbox.log.reset();
    const again = await run(client.findByMarker(repo, marker, new Date().toISOString()));
    assertEquals(again.pipe(Option.map((i) => i.title)), Option.some("Old"));
    assertEquals(sandbox.log.count({ path: /\/issues$/ }), 2);
  }));

Deno.test("markerSearchTerm() drops the comment delimiters", () => {
  assertEquals(markerSearchTerm("<!-- forgesync:task=T-1 -->"), "forgesync:task=T-1");
  assertEquals(markerSearchTerm("plain"), "plain");
  assertEquals(markerSearchTerm("<!-- -->"), "<!-- -->");
});
