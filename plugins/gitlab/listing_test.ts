import { Stream } from "effect";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { type RemoteIssue } from "../../src/platform/mod.ts";
import { collect, fail, withRig } from "./test_support.ts";

const numbers = (pages: ReadonlyArray<{ issues: readonly RemoteIssue[] }>) =>
  [...new Set(pages.flatMap((p) => p.issues.map((i) => i.number)))].sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

Deno.test("listChanged() walks every page on updated_after and emits the cursor rules", () =>
  withRig(async ({ sandbox, client, repo }) => {
    await sandbox.seedIssues(250);
    const pages = await collect(client.listChanged(repo, null));
    assertEquals(pages.map((p) => p.issues.length), [100, 100, 52]);
    assertEquals(numbers(pages), range(1, 250));
    const updated = (n: number) => sandbox.readIssue(n)!.updated_at;
    assertEquals(pages.map((p) => p.cursor), [
      JSON.stringify({ since: updated(100) }),
      JSON.stringify({ since: updated(199) }),
      // Last page not full: the request's since.
      JSON.stringify({ since: updated(199) }),
    ]);
    const queries = sandbox.log.entries.filter((e) => e.path.endsWith("/issues")).map((e) =>
      new URLSearchParams(e.query)
    );
    assertEquals(queries.map((q) => q.get("updated_after")), [null, updated(100), updated(199)]);
    for (const q of queries) {
      assertEquals([q.get("state"), q.get("order_by"), q.get("sort"), q.get("per_page")], [
        "all",
        "updated_at",
        "asc",
        "100",
      ]);
    }
    // Oldest change first.
    const flat = pages.flatMap((p) => p.issues.map((i) => i.updated_at));
    for (let i = 1; i < flat.length; i++) assert(flat[i]! >= flat[i - 1]!);

    // Changes after the cursor come back, and nothing older than it.
    await sandbox.remoteEdit(5, { title: "Changed 5" });
    await sandbox.remoteEdit(60, { status: "completed" });
    const next = await collect(client.listChanged(repo, pages[2]!.cursor));
    assertEquals(next.length, 1);
    const got = next[0]!.issues;
    assert(got.some((i) => i.number === 5 && i.title === "Changed 5"));
    assert(got.some((i) => i.number === 60 && i.status === "completed"));
    assert(got.every((i) => i.updated_at >= updated(199)));
    assertEquals(got.length, 54);
  }));

Deno.test("listChanged(): a full last page gives its last updated_at; an empty one keeps the cursor", () =>
  withRig(async ({ sandbox, client, repo }) => {
    assertEquals(await collect(client.listChanged(repo, null)), [{ issues: [], cursor: null }]);
    await sandbox.seedIssues(100);
    const pages = await collect(client.listChanged(repo, null));
    assertEquals(pages.length, 1);
    assertEquals(pages[0]!.cursor, JSON.stringify({ since: sandbox.readIssue(100)!.updated_at }));
    const cursor = JSON.stringify({ since: "2099-01-01T00:00:00.000Z" });
    assertEquals(await collect(client.listChanged(repo, cursor)), [{ issues: [], cursor }]);
  }));

Deno.test("listChanged() follows x-next-page when a whole page shares one updated_at", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const author = sandbox.state.userByName("alice")!.id;
    const t = Date.now() - 60_000;
    for (let i = 0; i < 150; i++) {
      sandbox.state.createIssue(sandbox.project, { title: `T${i}`, author_id: author, created_at: t });
    }
    for (let i = 0; i < 20; i++) {
      sandbox.state.createIssue(sandbox.project, {
        title: `U${i}`,
        author_id: author,
        created_at: t + 1 + i,
      });
    }
    const pages = await collect(client.listChanged(repo, null));
    assertEquals(numbers(pages), range(1, 170));
    const pagesAsked = sandbox.log.entries.filter((e) => e.path.endsWith("/issues")).map((e) => {
      const q = new URLSearchParams(e.query);
      return [q.get("updated_after"), q.get("page")];
    });
    // Page 1 is all stamped t: jumping to updated_after=t would list it again, so page 2 follows.
    assertEquals(pagesAsked, [[null, "1"], [null, "2"]]);
  }));

Deno.test("listChanged() refuses a cursor it did not make", () =>
  withRig(async ({ client, repo }) => {
    const e = await fail(Stream.runCollect(client.listChanged(repo, 'W/"etag"')));
    assertEquals(e.reason, "Invalid");
  }));
