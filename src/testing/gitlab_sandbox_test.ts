import { assert, assertEquals, assertFalse, assertMatch, assertStringIncludes } from "./assert.ts";
import { createGitLabSandbox, type GitLabSandbox, type GitLabSandboxOptions } from "./gitlab_sandbox.ts";

interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

async function api(
  s: GitLabSandbox,
  path: string,
  init: { method?: string; token?: string | null; bearer?: string; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? s.token : init.token;
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`;
  else if (token !== null) headers["private-token"] = token;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${s.apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body, text };
}

const P = (s: GitLabSandbox) => `/projects/${encodeURIComponent(s.repository)}`;
const MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function withSandbox(
  fn: (s: GitLabSandbox) => Promise<void>,
  options: GitLabSandboxOptions = {},
): Promise<void> {
  const s = await createGitLabSandbox(options);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

Deno.test("GitLab sandbox serves a nested-group project by encoded path and by numeric id", () =>
  withSandbox(async (s) => {
    assertEquals(s.repository, "forgesync/platform/widgets");
    assertEquals(s.apiUrl, `${s.url}/api/v4`);
    const byPath = await api(s, P(s));
    assertEquals(byPath.status, 200);
    assertEquals(byPath.body.path_with_namespace, "forgesync/platform/widgets");
    assertEquals(byPath.body.namespace.full_path, "forgesync/platform");
    assertEquals(byPath.body.issues_enabled, true);
    assertEquals(byPath.body.web_url, `${s.url}/forgesync/platform/widgets`);
    assertEquals(byPath.body.permissions.project_access.access_level, 30);
    const byId = await api(s, `/projects/${s.project.id}`);
    assertEquals(byId.body.id, byPath.body.id);
    // GitLab resolves full paths case-insensitively.
    const upper = await api(s, `/projects/${encodeURIComponent("ForgeSync/Platform/Widgets")}`);
    assertEquals(upper.body.id, s.project.id);
    // An unencoded path is another route: 404 like GitLab.
    assertEquals((await api(s, "/projects/forgesync/platform/widgets")).status, 404);
  }));

Deno.test("GitLab sandbox answers auth errors like GitLab", () =>
  withSandbox(async (s) => {
    const bad = await api(s, P(s), { token: "glpat-wrong" });
    assertEquals([bad.status, bad.body], [401, { message: "401 Unauthorized" }]);
    const anonymousRead = await api(s, P(s), { token: null });
    assertEquals([anonymousRead.status, anonymousRead.body], [404, { message: "404 Project Not Found" }]);
    const anonymousWrite = await api(s, `${P(s)}/issues`, {
      token: null,
      method: "POST",
      body: { title: "x" },
    });
    assertEquals([anonymousWrite.status, anonymousWrite.body], [401, { message: "401 Unauthorized" }]);
    const outsider = await api(s, P(s), { token: s.tokens.none });
    assertEquals([outsider.status, outsider.body], [404, { message: "404 Project Not Found" }]);
    const missing = await api(s, `/projects/${encodeURIComponent("nope/nothing")}`);
    assertEquals(missing.body, { message: "404 Project Not Found" });
    assertEquals((await api(s, "/no/such/route")).body, { error: "404 Not Found" });
  }));

Deno.test("GitLab sandbox accepts Bearer for any token and PRIVATE-TOKEN only for personal tokens", () =>
  withSandbox(async (s) => {
    assertEquals((await api(s, P(s), { bearer: s.tokens.oauth })).status, 200);
    assertEquals((await api(s, P(s), { bearer: s.tokens.write })).status, 200);
    assertEquals((await api(s, P(s), { token: s.tokens.oauth })).status, 401);
    assertEquals((await api(s, "/user", { bearer: s.tokens.oauth })).body.username, "forgesync-bot");
    const self = await api(s, "/personal_access_tokens/self", { token: s.tokens.read });
    assertEquals(self.body.scopes, ["read_api"]);
    assertEquals((await api(s, "/personal_access_tokens/self", { bearer: s.tokens.oauth })).status, 404);
  }));

Deno.test("GitLab sandbox: a read_api (Reporter) token reads but cannot write", () =>
  withSandbox(async (s) => {
    await s.seedIssues(1);
    const read = await api(s, P(s), { token: s.tokens.read });
    assertEquals(read.body.permissions.project_access.access_level, 20);
    assertEquals((await api(s, `${P(s)}/issues/1`, { token: s.tokens.read })).status, 200);
    const write = await api(s, `${P(s)}/issues`, {
      token: s.tokens.read,
      method: "POST",
      body: { title: "x" },
    });
    assertEquals(write.status, 403);
    assertEquals(write.body.error, "insufficient_scope");
    assertEquals(s.issueNumbers(), [1]);
  }));

Deno.test("GitLab sandbox paginates with x-* headers and a Link header", () =>
  withSandbox(async (s) => {
    await s.seedIssues(45);
    const first = await api(s, `${P(s)}/issues`);
    assertEquals(first.body.length, 20);
    assertEquals(first.headers.get("x-page"), "1");
    assertEquals(first.headers.get("x-per-page"), "20");
    assertEquals(first.headers.get("x-next-page"), "2");
    assertEquals(first.headers.get("x-prev-page"), "");
    assertEquals(first.headers.get("x-total"), "45");
    assertEquals(first.headers.get("x-total-pages"), "3");
    const link = first.headers.get("link")!;
    assertStringIncludes(link, 'page=2&per_page=20>; rel="next"');
    assertStringIncludes(link, 'rel="first"');
    assertStringIncludes(link, 'page=3&per_page=20>; rel="last"');
    assertFalse(link.includes('rel="prev"'));
    const last = await api(s, `${P(s)}/issues?page=3&per_page=20&sort=asc`);
    assertEquals(last.body.map((i: { iid: number }) => i.iid), [41, 42, 43, 44, 45]);
    assertEquals(last.headers.get("x-next-page"), "");
    assertEquals(last.headers.get("x-prev-page"), "2");
    assertStringIncludes(last.headers.get("link")!, 'rel="prev"');
    assertStringIncludes(last.headers.get("link")!, "sort=asc");
    const capped = await api(s, `${P(s)}/issues?per_page=500`);
    assertEquals([capped.body.length, capped.headers.get("x-per-page")], [45, "100"]);
    const beyond = await api(s, `${P(s)}/issues?page=9`);
    assertEquals([beyond.body, beyond.headers.get("x-next-page")], [[], ""]);
    assertEquals((await api(s, `${P(s)}/issues?page=abc`)).body, { error: "page is invalid" });
    const empty = await api(s, `/projects/${s.project.id + 1}/issues?state=closed`);
    assertEquals([empty.headers.get("x-total"), empty.headers.get("x-total-pages")], ["0", "1"]);
  }));

Deno.test("GitLab sandbox leaves out totals above 10,000 records", () =>
  withSandbox(async (s) => {
    await s.seedIssues(10_001);
    const page = await api(s, `${P(s)}/issues?per_page=100&page=100`);
    assertEquals(page.body.length, 100);
    assertEquals(page.headers.get("x-total"), null);
    assertEquals(page.headers.get("x-total-pages"), null);
    assertEquals(page.headers.get("x-next-page"), "101");
    assertFalse(page.headers.get("link")!.includes('rel="last"'));
    const tail = await api(s, `${P(s)}/issues?per_page=100&page=101`);
    assertEquals([tail.body.length, tail.headers.get("x-next-page")], [1, ""]);
  }));

Deno.test("GitLab sandbox: updated_after is inclusive and order_by/sort work", () =>
  withSandbox(async (s) => {
    const author = s.state.userByName("alice")!.id;
    const t = Date.parse("2026-03-01T10:00:00.500Z");
    for (const [title, at] of [["a", t - 1], ["b", t], ["c", t], ["d", t + 1]] as const) {
      s.state.createIssue(s.project, { title, author_id: author, created_at: at });
    }
    const after = await api(
      s,
      `${P(s)}/issues?updated_after=${
        encodeURIComponent(new Date(t).toISOString())
      }&order_by=updated_at&sort=asc`,
    );
    assertEquals(after.body.map((i: { title: string }) => i.title), ["b", "c", "d"]);
    assertEquals(after.body[0].updated_at, "2026-03-01T10:00:00.500Z");
    const desc = await api(s, `${P(s)}/issues?order_by=updated_at&sort=desc`);
    assertEquals(desc.body.map((i: { title: string }) => i.title), ["d", "c", "b", "a"]);
    const before = await api(s, `${P(s)}/issues?updated_before=${new Date(t).toISOString()}&sort=asc`);
    assertEquals(before.body.map((i: { title: string }) => i.title), ["a", "b", "c"]);
    assertEquals((await api(s, `${P(s)}/issues?updated_after=yesterday`)).body, {
      error: "updated_after is invalid",
    });
    assertEquals((await api(s, `${P(s)}/issues?order_by=size`)).status, 400);
    assertEquals((await api(s, `${P(s)}/issues?sort=up`)).status, 400);
  }));

Deno.test("GitLab sandbox filters by state, search in description, labels and milestone", () =>
  withSandbox(async (s) => {
    await s.remoteCreate({ title: "Open one", body: "hello <!-- forgesync:task=T-1 -->", labels: ["bug"] });
    await s.remoteCreate({ title: "Closed one", body: "bye", status: "completed", milestone: "v1.0" });
    await s.remoteCreate({ title: "forgesync:task=T-1 in title", body: "" });
    const titles = (a: Answer) => a.body.map((i: { title: string }) => i.title).sort();
    assertEquals(titles(await api(s, `${P(s)}/issues?state=opened`)), [
      "Open one",
      "forgesync:task=T-1 in title",
    ]);
    assertEquals(titles(await api(s, `${P(s)}/issues?state=closed`)), ["Closed one"]);
    assertEquals((await api(s, `${P(s)}/issues?state=all`)).body.length, 3);
    assertEquals((await api(s, `${P(s)}/issues?state=done`)).status, 400);
    const marker = encodeURIComponent("forgesync:task=T-1");
    assertEquals(titles(await api(s, `${P(s)}/issues?search=${marker}&in=description`)), ["Open one"]);
    assertEquals(titles(await api(s, `${P(s)}/issues?search=${marker}`)), [
      "Open one",
      "forgesync:task=T-1 in title",
    ]);
    assertEquals(titles(await api(s, `${P(s)}/issues?labels=bug`)), ["Open one"]);
    assertEquals(titles(await api(s, `${P(s)}/issues?milestone=v1.0`)), ["Closed one"]);
    assertEquals(titles(await api(s, `${P(s)}/issues?iids[]=3`)), ["forgesync:task=T-1 in title"]);
  }));

Deno.test("GitLab sandbox creates issues with labels, assignees and milestone; iid and id differ", () =>
  withSandbox(async (s) => {
    const alice = s.state.userByName("alice")!.id;
    const bob = s.state.userByName("bob")!.id;
    const milestone = s.state.milestoneByTitle(s.project, "v1.1")!;
    const created = await api(s, `${P(s)}/issues`, {
      method: "POST",
      body: {
        title: "  New thing  ",
        description: "",
        labels: "kind: feature,brand new",
        assignee_ids: [alice, bob],
        milestone_id: milestone.id,
      },
    });
    assertEquals(created.status, 201);
    const issue = created.body;
    assertEquals(issue.iid, 1);
    assert(issue.id !== issue.iid && issue.id > 1000);
    assertEquals(issue.project_id, s.project.id);
    assertEquals(issue.title, "New thing");
    assertEquals(issue.description, null);
    assertEquals(issue.state, "opened");
    assertEquals(issue.labels, ["brand new", "kind: feature"]);
    assertEquals(issue.assignees.map((a: { username: string }) => a.username), ["alice", "bob"]);
    assertEquals(issue.assignee.username, "alice");
    assertEquals(issue.milestone.id, milestone.id);
    assertEquals(issue.milestone.title, "v1.1");
    assertEquals(issue.web_url, `${s.url}/forgesync/platform/widgets/-/issues/1`);
    assertMatch(issue.created_at, MS);
    assertMatch(issue.updated_at, MS);
    assertEquals(issue.closed_at, null);
    assert(s.project.labels.has("brand new"), "unknown labels are created");
    // The global id is not an iid: asking for it by iid is a 404.
    const byGlobal = await api(s, `${P(s)}/issues/${issue.id}`);
    assertEquals([byGlobal.status, byGlobal.body], [404, { message: "404 Issue Not Found" }]);
    assertEquals((await api(s, `${P(s)}/issues/1`)).body.id, issue.id);
    // The same iid in the other project is another issue.
    const other = await api(s, `/projects/${s.project.id + 1}/issues/1`);
    assertEquals(other.body.iid, 1);
    assert(other.body.id !== issue.id);
  }, { edition: "premium" }));

Deno.test("GitLab sandbox validates issue creation like GitLab", () =>
  withSandbox(async (s) => {
    const post = (body: unknown) => api(s, `${P(s)}/issues`, { method: "POST", body });
    assertEquals(await post({ description: "x" }).then((a) => [a.status, a.body]), [400, {
      error: "title is missing",
    }]);
    assertEquals(await post({ title: "   " }).then((a) => [a.status, a.body]), [400, {
      message: { title: ["can't be blank"] },
    }]);
    assertEquals((await post({ title: "x".repeat(256) })).body, {
      message: { title: ["is too long (maximum is 255 characters)"] },
    });
    assertEquals((await post({ title: "ok", assignee_ids: "x" })).body, { error: "assignee_ids is invalid" });
    const malformed = await fetch(`${s.apiUrl}${P(s)}/issues`, {
      method: "POST",
      headers: { "private-token": s.token, "content-type": "application/json" },
      body: "{not json",
    });
    assertEquals(malformed.status, 400);
    await malformed.body?.cancel();
    assertEquals(s.issueNumbers(), []);
  }));

Deno.test("GitLab sandbox updates issues: replace, clear, add and remove labels; close and reopen", async () => {
  let t = Date.parse("2026-05-01T00:00:00.000Z");
  await withSandbox(async (s2) => {
    const [n] = await s2.seedIssues(1, () => ({ title: "t", labels: ["a", "b"] }));
    const put = (body: unknown) => api(s2, `${P(s2)}/issues/${n}`, { method: "PUT", body });
    t += 1000;
    assertEquals((await put({ labels: "c,d" })).body.labels, ["c", "d"]);
    assertEquals((await put({ add_labels: "e", remove_labels: "c" })).body.labels, ["d", "e"]);
    assertEquals((await put({ labels: "" })).body.labels, []);
    const before = s2.rawIssue(n!)!.updated_at;
    t += 1000;
    const same = await put({ title: "t" });
    assertEquals(s2.rawIssue(n!)!.updated_at, before, "no change, no new updated_at");
    assertEquals(same.body.updated_at, new Date(before).toISOString());
    const closed = await put({ state_event: "close" });
    assertEquals(closed.body.state, "closed");
    assertEquals(closed.body.closed_at, new Date(t).toISOString());
    assertEquals(closed.body.updated_at, new Date(t).toISOString());
    const reopened = await put({ state_event: "reopen", assignee_ids: [] });
    assertEquals([reopened.body.state, reopened.body.closed_at], ["opened", null]);
    assertEquals((await put({ state_event: "finish" })).body, {
      error: "state_event does not have a valid value",
    });
    assertEquals((await put({})).status, 400);
    assertEquals((await put({ title: "" })).body, { message: { title: ["can't be blank"] } });
    assertEquals(
      (await put({ milestone_id: s2.state.milestoneByTitle(s2.project, "v1.0")!.id })).body.milestone
        .title,
      "v1.0",
    );
    assertEquals((await put({ milestone_id: 0 })).body.milestone, null);
    const missing = await api(s2, `${P(s2)}/issues/99`, { method: "PUT", body: { title: "x" } });
    assertEquals([missing.status, missing.body], [404, { message: "404 Issue Not Found" }]);
  }, { now: () => t });
});

Deno.test("GitLab sandbox resolves usernames with /users?username=", () =>
  withSandbox(async (s) => {
    const found = await api(s, "/users?username=Alice");
    assertEquals(found.body.length, 1);
    assertEquals(found.body[0].username, "alice");
    assertEquals((await api(s, "/users?username=nobody")).body, []);
  }));

Deno.test("GitLab sandbox milestones: list, create, refuse duplicates, close by global id", () =>
  withSandbox(async (s) => {
    const list = await api(s, `${P(s)}/milestones`);
    assertEquals(list.body.map((m: { title: string }) => m.title).sort(), ["v1.0", "v1.1"]);
    const created = await api(s, `${P(s)}/milestones`, {
      method: "POST",
      body: { title: "v2.0", description: "Next", due_date: "2026-12-31" },
    });
    assertEquals(created.status, 201);
    assertEquals([created.body.iid, created.body.state, created.body.due_date], [3, "active", "2026-12-31"]);
    assert(created.body.id !== created.body.iid);
    const dup = await api(s, `${P(s)}/milestones`, { method: "POST", body: { title: "v2.0" } });
    assertEquals([dup.status, dup.body], [400, { message: { title: ["has already been taken"] } }]);
    const byIid = await api(s, `${P(s)}/milestones/${created.body.iid}`, {
      method: "PUT",
      body: { state_event: "close" },
    });
    assertEquals([byIid.status, byIid.body], [404, { message: "404 Milestone Not Found" }]);
    const closed = await api(s, `${P(s)}/milestones/${created.body.id}`, {
      method: "PUT",
      body: { state_event: "close" },
    });
    assertEquals(closed.body.state, "closed");
    assertEquals((await api(s, `${P(s)}/milestones?state=closed`)).body.length, 1);
    assertEquals((await api(s, `${P(s)}/milestones?title=v1.0`)).body.length, 1);
    const reopened = await api(s, `${P(s)}/milestones/${created.body.id}`, {
      method: "PUT",
      body: { state_event: "activate" },
    });
    assertEquals(reopened.body.state, "active");
  }));

Deno.test("GitLab sandbox releases: create with milestones, refuse duplicates and bad refs", () =>
  withSandbox(async (s) => {
    const noRef = await api(s, `${P(s)}/releases`, { method: "POST", body: { tag_name: "v1.0.0" } });
    assertEquals([noRef.status, noRef.body], [422, { message: "Ref is not specified" }]);
    const badMilestone = await api(s, `${P(s)}/releases`, {
      method: "POST",
      body: { tag_name: "v1.0.0", ref: "main", milestones: ["v9"] },
    });
    assertEquals([badMilestone.status, badMilestone.body], [400, { message: "Milestone(s) not found: v9" }]);
    const created = await api(s, `${P(s)}/releases`, {
      method: "POST",
      body: { tag_name: "v1.0.0", name: "One", description: "Notes", ref: "main", milestones: ["v1.0"] },
    });
    assertEquals(created.status, 201);
    assertEquals(created.body.milestones.map((m: { title: string }) => m.title), ["v1.0"]);
    assertEquals(created.body._links.self, `${s.url}/forgesync/platform/widgets/-/releases/v1.0.0`);
    const dup = await api(s, `${P(s)}/releases`, {
      method: "POST",
      body: { tag_name: "v1.0.0", ref: "main" },
    });
    assertEquals(dup.status, 409);
    const reader = await api(s, `${P(s)}/releases`, {
      token: s.tokens.read,
      method: "POST",
      body: { tag_name: "v2", ref: "main" },
    });
    assertEquals(reader.status, 403);
  }));

Deno.test("GitLab sandbox answers 403 on issue endpoints when issues are disabled", () =>
  withSandbox(async (s) => {
    s.project.issues_enabled = false;
    const res = await api(s, `${P(s)}/issues`);
    assertEquals([res.status, res.body], [403, { message: "403 Forbidden" }]);
    assertEquals((await api(s, P(s))).body.issues_enabled, false);
  }));

Deno.test("GitLab sandbox faults: status, rate_limit, latency, reset, malformed, fail_after", () =>
  withSandbox(async (s) => {
    await s.seedIssues(1);
    s.faults.add({ kind: "status", status: 500, path: "/api/v4/projects/" });
    const failed = await api(s, `${P(s)}/issues/1`);
    assertEquals([failed.status, failed.body], [500, { message: "500 Internal Server Error" }]);

    s.faults.add({ kind: "rate_limit", retryAfter: 7 });
    const limited = await api(s, `${P(s)}/issues/1`);
    assertEquals(limited.status, 429);
    assertEquals(limited.headers.get("retry-after"), "7");
    assertEquals(limited.headers.get("ratelimit-remaining"), "0");
    assertEquals(limited.headers.get("ratelimit-limit"), "2000");
    assertMatch(limited.headers.get("ratelimit-reset")!, /^\d+$/);
    assert(limited.headers.get("ratelimit-resettime")!.endsWith("GMT"));
    assertEquals(s.budget!().remaining, 0);

    s.faults.add({ kind: "latency", ms: 20 });
    assertEquals((await api(s, `${P(s)}/issues/1`)).status, 200);

    s.faults.add({ kind: "reset" });
    let broken = false;
    try {
      const res = await fetch(`${s.apiUrl}${P(s)}/issues/1`, { headers: { "private-token": s.token } });
      await res.text();
    } catch {
      broken = true;
    }
    assert(broken, "a reset breaks the answer");

    s.faults.add({ kind: "malformed", method: "GET" });
    const garbage = await api(s, `${P(s)}/issues/1`);
    assertEquals([garbage.status, garbage.body, garbage.text], [200, undefined, "<html>upstream garbage"]);

    s.faults.add({ kind: "fail_after", method: "POST", path: /\/issues$/ });
    const lost = await api(s, `${P(s)}/issues`, { method: "POST", body: { title: "Lost answer" } });
    assertEquals([lost.status, lost.body], [502, { message: "502 Bad Gateway" }]);
    assertEquals(s.readIssue(2)?.title, "Lost answer", "the write happened");
    assertEquals(s.faults.pending, 0);
    assertEquals(s.log.count({ status: 502 }), 1);
    assertEquals(s.log.entries.filter((e) => e.faulted).length, 6);
  }));

Deno.test("GitLab sandbox enforces its budget when asked, with Retry-After", () =>
  withSandbox(async (s) => {
    for (let i = 0; i < 3; i++) assertEquals((await api(s, P(s))).status, 200);
    const over = await api(s, P(s));
    assertEquals(over.status, 429);
    assertEquals(over.text, "Retry later\n");
    assertMatch(over.headers.get("retry-after")!, /^\d+$/);
    assertEquals(s.budget!(), { remaining: 0, limit: 3 });
  }, { rateLimit: 3, enforceRateLimit: true }));

Deno.test("GitLab sandbox harness: seeds in the past, edits at the clock, status labels, deletion", async () => {
  let t = Date.parse("2026-06-01T12:00:00.000Z");
  await withSandbox(async (s) => {
    const numbers = await s.seedIssues(5, (i) => ({ title: `S${i}`, status: i === 4 ? "failed" : "open" }));
    assertEquals(numbers, [1, 2, 3, 4, 5]);
    const stamps = numbers.map((n) => Date.parse(s.readIssue(n)!.updated_at));
    for (let i = 1; i < stamps.length; i++) assert(stamps[i]! > stamps[i - 1]!, "increasing");
    assert(stamps[4]! < t, "in the past");
    assertEquals(s.readIssue(5)!.status, "failed");
    assertEquals(s.rawIssue(5)!.state, "closed");
    assertEquals(s.rawIssue(5)!.labels, ["status: failed"]);
    assertEquals(s.readIssue(5)!.labels, []);

    t += 60_000;
    await s.remoteEdit(1, { status: "in_progress", labels: ["bug"], assignees: ["bob"], milestone: "v1.0" });
    const edited = s.readIssue(1)!;
    assertEquals(edited.updated_at, new Date(t).toISOString());
    assertEquals([edited.status, edited.labels, edited.assignees, edited.milestone], [
      "in_progress",
      ["bug"],
      ["bob"],
      "v1.0",
    ]);
    assertEquals(s.rawIssue(1)!.labels, ["bug", "status: in progress"]);
    t += 1;
    await s.remoteEdit(1, { status: "blocked" });
    assertEquals(s.rawIssue(1)!.labels, ["bug", "status: blocked"]);
    await s.remoteEdit(1, { status: "cancelled" });
    assertEquals([s.rawIssue(1)!.state, s.rawIssue(1)!.labels], ["closed", ["bug", "status: cancelled"]]);
    await s.remoteEdit(1, { status: "completed" });
    assertEquals([s.rawIssue(1)!.state, s.readIssue(1)!.status], ["closed", "completed"]);
    await s.remoteEdit(1, { status: "open" });
    assertEquals([s.rawIssue(1)!.state, s.rawIssue(1)!.labels], ["opened", ["bug"]]);
    const beforeNoop = s.readIssue(1)!.updated_at;
    await s.remoteEdit(1, {});
    assert(s.readIssue(1)!.updated_at > beforeNoop, "a person's save always moves updated_at");

    const api1 = await api(s, `${P(s)}/issues/1`);
    assertEquals(api1.body.updated_at, s.readIssue(1)!.updated_at);

    await s.deleteIssue(2);
    assertEquals((await api(s, `${P(s)}/issues/2`)).status, 404);
    assertEquals(s.readIssue(2)!.deleted, true);
    assertEquals(s.issueNumbers(), [1, 3, 4, 5]);
    assertEquals((await api(s, `${P(s)}/issues?per_page=100`)).body.length, 4);
    const n = await s.remoteCreate({ title: "Later" });
    assertEquals(n, 6);
    assert(s.readIssue(6)!.updated_at >= new Date(t).toISOString());
  }, { now: () => t });
});

Deno.test("GitLab sandbox: milestone and release reads, edits and validation; form bodies", () =>
  withSandbox(async (s) => {
    const v1 = s.state.milestoneByTitle(s.project, "v1.0")!;
    assertEquals((await api(s, `${P(s)}/milestones/${v1.id}`)).body.title, "v1.0");
    assertEquals((await api(s, `${P(s)}/milestones/999999`)).body, { message: "404 Milestone Not Found" });
    const post = (body: unknown) => api(s, `${P(s)}/milestones`, { method: "POST", body });
    assertEquals((await post({})).body, { error: "title is missing" });
    assertEquals((await post({ title: " " })).body, { message: { title: ["can't be blank"] } });
    assertEquals((await post({ title: "v3", due_date: "soon" })).body, { error: "due_date is invalid" });
    const edited = await api(s, `${P(s)}/milestones/${v1.id}`, {
      method: "PUT",
      body: { title: "v1.0.1", description: "Patch", due_date: "2026-07-01" },
    });
    assertEquals([edited.body.title, edited.body.description, edited.body.due_date], [
      "v1.0.1",
      "Patch",
      "2026-07-01",
    ]);
    const taken = await api(s, `${P(s)}/milestones/${v1.id}`, { method: "PUT", body: { title: "v1.1" } });
    assertEquals(taken.body, { message: { title: ["has already been taken"] } });
    assertEquals(
      (await api(s, `${P(s)}/milestones/${v1.id}`, { method: "PUT", body: { state_event: "shut" } })).status,
      400,
    );

    await api(s, `${P(s)}/releases`, { method: "POST", body: { tag_name: "v1", ref: "main" } });
    const list = await api(s, `${P(s)}/releases`);
    assertEquals([list.body.length, list.body[0].tag_name, list.body[0].name], [1, "v1", "v1"]);
    assertEquals((await api(s, `${P(s)}/releases/v1`)).body.tag_name, "v1");
    assertEquals((await api(s, `${P(s)}/releases/v9`)).status, 404);
    const badRef = await api(s, `${P(s)}/releases`, {
      method: "POST",
      body: { tag_name: "v2", ref: "nope" },
    });
    assertEquals([badRef.status, badRef.body], [422, { message: "Ref is invalid" }]);
    assertEquals((await api(s, `${P(s)}/releases`, { method: "POST", body: {} })).body, {
      error: "tag_name is missing",
    });

    assertEquals((await api(s, "/users")).body.length, s.state.users.size);
    assertEquals((await api(s, "/user", { token: null })).status, 401);
    assertEquals((await api(s, "/personal_access_tokens/self", { token: null })).status, 401);

    // GitLab also takes form-encoded bodies and query parameters on writes.
    const form = await fetch(`${s.apiUrl}${P(s)}/issues?labels=from-query`, {
      method: "POST",
      headers: { "private-token": s.token, "content-type": "application/x-www-form-urlencoded" },
      body: "title=Form+issue&assignee_ids[]=" + s.state.userByName("carol")!.id,
    });
    const created = await form.json();
    assertEquals([form.status, created.title, created.labels, created.assignees[0].username], [
      201,
      "Form issue",
      ["from-query"],
      "carol",
    ]);
  }));
