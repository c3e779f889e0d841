/**
 * The GitHub sandbox's issue endpoints: listing filters and order, pagination, writes and
 * GitHub's validation.
 */
import { assert, assertEquals, assertMatch, assertNotEquals } from "../assert.ts";
import { createGitHubSandbox } from "./sandbox.ts";
import { api, links, ManualClock } from "./test_helpers.ts";

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

Deno.test("listing defaults to open issues, newest created first, 30 per page", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    const numbers = await gh.seedIssues(
      44,
      (i) => ({ title: `i${i}`, status: i % 4 === 0 ? "completed" : "open" }),
    );
    const res = await api(gh, `/repos/${gh.repository}/issues`);
    assertEquals(res.status, 200);
    assertEquals(res.json.length, 30);
    assert(
      res.json.every((i: { state: string }) => i.state === "open"),
      "closed issues are not listed by default",
    );
    const open = numbers.filter((_, i) => i % 4 !== 0).reverse();
    assertEquals(res.json.map((i: { number: number }) => i.number), open.slice(0, 30));
    const next = links(res.headers.get("link")).next!;
    const rest = await api(gh, next);
    assertEquals(rest.json.map((i: { number: number }) => i.number), open.slice(30));
    assertEquals(Object.keys(links(rest.headers.get("link"))).sort(), ["first", "prev"]);

    const closed = await api(gh, `/repos/${gh.repository}/issues?state=closed&per_page=100`);
    assertEquals(closed.json.length, 11);
    const all = await api(gh, `/repos/${gh.repository}/issues?state=all&per_page=500`);
    assertEquals(all.json.length, 44);
    assertEquals((await api(gh, `/repos/${gh.repository}/issues?state=bogus`)).status, 422);
  } finally {
    await gh.close();
  }
});

Deno.test("listing sorts by updated_at both ways and `since` is inclusive", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now, pullRequests: 0 });
  try {
    await gh.seedIssues(5);
    clock.advance(10_000);
    await gh.remoteEdit(2, { title: "edited first" });
    clock.advance(1_000);
    await gh.remoteEdit(4, { title: "edited second" });
    const asc = await api(gh, `/repos/${gh.repository}/issues?state=all&sort=updated&direction=asc`);
    assertEquals(asc.json.map((i: { number: number }) => i.number), [1, 3, 5, 2, 4]);
    const desc = await api(gh, `/repos/${gh.repository}/issues?state=all&sort=updated&direction=desc`);
    assertEquals(desc.json.map((i: { number: number }) => i.number), [4, 2, 5, 3, 1]);
    const since = asc.json[3].updated_at;
    assertMatch(since, TIMESTAMP);
    const after = await api(
      gh,
      `/repos/${gh.repository}/issues?state=all&sort=updated&direction=asc&since=${since}`,
    );
    assertEquals(
      after.json.map((i: { number: number }) => i.number),
      [2, 4],
      "since includes its own second",
    );
    const created = await api(gh, `/repos/${gh.repository}/issues?state=all&sort=created&direction=asc`);
    assertEquals(created.json.map((i: { number: number }) => i.number), [1, 2, 3, 4, 5]);
    assertEquals((await api(gh, `/repos/${gh.repository}/issues?since=yesterday`)).status, 422);
  } finally {
    await gh.close();
  }
});

Deno.test("pull requests appear in the issues listing with a pull_request key", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 2 });
  try {
    await gh.seedIssues(3);
    await gh.seedPullRequests(1);
    const res = await api(gh, `/repos/${gh.repository}/issues?state=all&sort=updated&direction=asc`);
    const prs = res.json.filter((i: Record<string, unknown>) => "pull_request" in i);
    assertEquals(prs.length, 3);
    assertMatch(prs[0].pull_request.url, /\/pulls\/\d+$/);
    assertEquals(res.json.at(-1).number, 6, "a pull request seeded last is listed last");
    assertEquals(gh.issueNumbers(), [3, 4, 5], "issueNumbers excludes pull requests");
  } finally {
    await gh.close();
  }
});

Deno.test("link pages of a 250-issue keyset listing join without gaps", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    await gh.seedIssues(250);
    const seen: number[] = [];
    let url: string | undefined =
      `/repos/${gh.repository}/issues?state=all&sort=updated&direction=asc&per_page=100`;
    let requests = 0;
    while (url !== undefined) {
      const res = await api(gh, url);
      seen.push(...res.json.map((i: { number: number }) => i.number));
      const l = links(res.headers.get("link"));
      if (requests === 0) assertMatch(l.last!, /page=3$/);
      url = l.next;
      requests++;
    }
    assertEquals(requests, 3);
    assertEquals(seen, Array.from({ length: 250 }, (_, i) => i + 1));
    const capped = await api(gh, `/repos/${gh.repository}/issues?state=all&per_page=500`);
    assertEquals(capped.json.length, 100, "per_page is capped at 100");
  } finally {
    await gh.close();
  }
});

Deno.test("creating an issue answers 201 with GitHub's JSON and creates missing labels", async () => {
  const gh = await createGitHubSandbox();
  try {
    const res = await api(gh, `/repos/${gh.repository}/issues`, {
      method: "POST",
      body: { title: "New", body: "", labels: ["BUG", "fresh label"], assignees: ["Alice"], milestone: 2 },
    });
    assertEquals(res.status, 201);
    assertEquals(res.headers.get("location"), res.json.url);
    assertEquals(res.json.body, null, "an empty body reads back as null");
    assertEquals(res.json.labels.map((l: { name: string }) => l.name), ["bug", "fresh label"]);
    const fresh = res.json.labels[1];
    assertEquals([fresh.color, fresh.default, fresh.description], ["ededed", false, null]);
    assertEquals(res.json.assignees.map((a: { login: string }) => a.login), ["alice"]);
    assertEquals(res.json.assignee.login, "alice");
    assertEquals(res.json.milestone.title, "v2.0");
    assertEquals([res.json.state, res.json.state_reason, res.json.closed_at], ["open", null, null]);
    assertMatch(res.json.created_at, TIMESTAMP);
    assertMatch(res.json.html_url, new RegExp(`^${gh.url}/${gh.repository}/issues/\\d+$`));
  } finally {
    await gh.close();
  }
});

Deno.test("issue writes are validated as GitHub does", async () => {
  const gh = await createGitHubSandbox();
  try {
    const post = (body: unknown) => api(gh, `/repos/${gh.repository}/issues`, { method: "POST", body });
    const cases: Array<[unknown, string, string]> = [
      [{}, "title", "missing_field"],
      [{ title: "   " }, "title", "missing_field"],
      [{ title: "x", assignees: ["mallory"] }, "assignees", "invalid"],
      [{ title: "x", milestone: 99 }, "milestone", "invalid"],
      [{ title: "x".repeat(257) }, "title", "custom"],
    ];
    for (const [body, field, code] of cases) {
      const res = await post(body);
      assertEquals(res.status, 422, JSON.stringify(body));
      assertEquals(res.json.message, "Validation Failed");
      assertEquals([res.json.errors[0].field, res.json.errors[0].code], [field, code]);
      assertMatch(res.json.documentation_url, /^https:\/\/docs\.github\.com\//);
    }
    assertEquals((await post({ title: "x", labels: "bug" })).status, 422);
    const broken = await post("{not json");
    assertEquals([broken.status, broken.json.message], [400, "Problems parsing JSON"]);
    assertEquals(gh.issueNumbers(), [], "nothing was created");
  } finally {
    await gh.close();
  }
});

Deno.test("PATCH replaces labels and assignees, and state_reason needs a state change", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    const path = `/repos/${gh.repository}/issues/${await gh.remoteCreate({
      title: "t",
      labels: ["a", "b"],
    })}`;
    const patch = (body: unknown) => api(gh, path, { method: "PATCH", body });
    let res = await patch({ labels: ["c"], assignees: ["bob", "carol"] });
    assertEquals(res.json.labels.map((l: { name: string }) => l.name), ["c"]);
    assertEquals(res.json.assignees.map((a: { login: string }) => a.login), ["bob", "carol"]);
    res = await patch({ labels: [], assignees: [], milestone: 1 });
    assertEquals([res.json.labels, res.json.assignees, res.json.milestone.number], [[], [], 1]);
    res = await patch({ milestone: null });
    assertEquals(res.json.milestone, null);

    clock.advance(5_000);
    res = await patch({ state: "closed", state_reason: "not_planned" });
    assertEquals([res.json.state, res.json.state_reason], ["closed", "not_planned"]);
    assertEquals(res.json.closed_at, res.json.updated_at);
    assertEquals(res.json.closed_by.login, "sandbox-bot");
    res = await patch({ state: "closed", state_reason: "completed" });
    assertEquals(res.json.state_reason, "not_planned", "ignored: the state did not change");
    res = await patch({ state_reason: "completed" });
    assertEquals(res.json.state_reason, "not_planned");
    res = await patch({ state: "open" });
    assertEquals([res.json.state, res.json.state_reason, res.json.closed_at], ["open", "reopened", null]);
    res = await patch({ state: "closed" });
    assertEquals(res.json.state_reason, "completed", "closing without a reason means completed");
    assertEquals((await patch({ state: "shut" })).status, 422);
  } finally {
    await gh.close();
  }
});

Deno.test("updated_at moves only when a PATCH changes something", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    const n = await gh.remoteCreate({ title: "same" });
    const path = `/repos/${gh.repository}/issues/${n}`;
    const before = (await api(gh, path)).json.updated_at;
    clock.advance(3_000);
    const same = await api(gh, path, { method: "PATCH", body: { title: "same" } });
    assertEquals(same.json.updated_at, before);
    const changed = await api(gh, path, { method: "PATCH", body: { title: "other" } });
    assertNotEquals(changed.json.updated_at, before);
    assertEquals(Date.parse(changed.json.updated_at) - Date.parse(before), 3_000);
  } finally {
    await gh.close();
  }
});

Deno.test("unknown issues answer 404 and deleted ones 410", async () => {
  const gh = await createGitHubSandbox();
  try {
    const n = await gh.remoteCreate({ title: "doomed" });
    await gh.deleteIssue(n);
    const gone = await api(gh, `/repos/${gh.repository}/issues/${n}`);
    assertEquals([gone.status, gone.json.message], [410, "This issue was deleted"]);
    const patch = await api(gh, `/repos/${gh.repository}/issues/${n}`, {
      method: "PATCH",
      body: { title: "x" },
    });
    assertEquals(patch.status, 410);
    const missing = await api(gh, `/repos/${gh.repository}/issues/9999`);
    assertEquals([missing.status, missing.json.message], [404, "Not Found"]);
    assertEquals((await api(gh, `/repos/${gh.repository}/issues/abc`)).status, 404);
    const listed = await api(gh, `/repos/${gh.repository}/issues?state=all`);
    assert(listed.json.every((i: { number: number }) => i.number !== n), "deleted issues are not listed");
    assertEquals(gh.readIssue(n)?.deleted, true);
  } finally {
    await gh.close();
  }
});

Deno.test("issues of a repository with issues turned off answer 410", async () => {
  const gh = await createGitHubSandbox();
  try {
    const repo = await api(gh, `/repos/${gh.noIssuesRepository}`);
    assertEquals([repo.status, repo.json.has_issues], [200, false]);
    const list = await api(gh, `/repos/${gh.noIssuesRepository}/issues`);
    assertEquals([list.status, list.json.message], [410, "Issues are disabled for this repo"]);
  } finally {
    await gh.close();
  }
});

Deno.test("ten thousand seeded issues list completely through the keyset query", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 0 });
  try {
    await gh.seedIssues(10_000);
    let since: string | undefined;
    const seen = new Set<number>();
    let requests = 0;
    for (;;) {
      const q = `/repos/${gh.repository}/issues?state=all&sort=updated&direction=asc&per_page=100` +
        (since !== undefined ? `&since=${since}` : "");
      const res = await api(gh, q);
      requests++;
      for (const i of res.json) seen.add(i.number);
      if (links(res.headers.get("link")).next === undefined) break;
      since = res.json.at(-1).updated_at;
    }
    assertEquals(seen.size, 10_000);
    assertEquals(requests, 101, "each keyset page repeats its boundary issue");
  } finally {
    await gh.close();
  }
});

Deno.test("the base path can be empty, like api.github.com", async () => {
  const gh = await createGitHubSandbox({ basePath: "" });
  try {
    assertEquals(gh.apiUrl, gh.url);
    const res = await api(gh, `/repos/${gh.repository}`);
    assertEquals(res.json.url, `${gh.url}/repos/${gh.repository}`);
  } finally {
    await gh.close();
  }
});
