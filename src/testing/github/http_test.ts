/**
 * The GitHub sandbox's HTTP behaviour: tokens and access, rate-limit budgets and headers,
 * ETags and 304s, and every scripted fault kind.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "../assert.ts";
import { createGitHubSandbox } from "./sandbox.ts";
import { api, ManualClock } from "./test_helpers.ts";

Deno.test("tokens: write, read-only, no access, bad and missing", async () => {
  const gh = await createGitHubSandbox();
  try {
    const repo = `/repos/${gh.repository}`;
    const write = await api(gh, repo);
    assertEquals(write.json.permissions.push, true);
    const read = await api(gh, repo, { token: gh.tokens.read });
    assertEquals([read.status, read.json.permissions.push, read.json.permissions.pull], [200, false, true]);
    const readWrite = await api(gh, `${repo}/issues`, {
      method: "POST",
      token: gh.tokens.read,
      body: { title: "x" },
    });
    assertEquals(
      [readWrite.status, readWrite.json.message],
      [403, "Resource not accessible by personal access token"],
    );
    const none = await api(gh, repo, { token: gh.tokens.none });
    assertEquals([none.status, none.json.message], [404, "Not Found"], "private repositories are invisible");
    const bad = await api(gh, repo, { token: "ghp_not_a_real_token_at_all_000000000000" });
    assertEquals([bad.status, bad.json.message], [401, "Bad credentials"]);
    const badPublic = await api(gh, `/repos/${gh.publicRepository}`, { token: "nope" });
    assertEquals(badPublic.status, 401, "a bad token is refused even where none is needed");
    const anonymous = await api(gh, repo, { token: null });
    assertEquals(anonymous.status, 404, "GitHub answers 404, not 401, to anonymous reads of private repos");
    const anonymousPublic = await api(gh, `/repos/${gh.publicRepository}`, { token: null });
    assertEquals([anonymousPublic.status, anonymousPublic.headers.get("x-ratelimit-limit")], [200, "60"]);
    const anonymousWrite = await api(gh, `/repos/${gh.publicRepository}/issues`, {
      method: "POST",
      token: null,
      body: { title: "x" },
    });
    assertEquals([anonymousWrite.status, anonymousWrite.json.message], [401, "Requires authentication"]);
    const bearer = await api(gh, repo, { token: null, headers: { authorization: `Bearer ${gh.token}` } });
    assertEquals(bearer.status, 200);
    assertEquals((await api(gh, "/repos/sandbox-org/nope")).status, 404);
  } finally {
    await gh.close();
  }
});

Deno.test("every answer carries the budget, spent one request at a time", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now, budget: 100 });
  try {
    const first = await api(gh, `/repos/${gh.repository}`);
    assertEquals(first.headers.get("x-ratelimit-limit"), "100");
    assertEquals(first.headers.get("x-ratelimit-remaining"), "99");
    assertEquals(first.headers.get("x-ratelimit-used"), "1");
    assertEquals(first.headers.get("x-ratelimit-resource"), "core");
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    assertEquals(reset, Math.floor(clock.now() / 1000) + 3600, "epoch seconds, an hour on");
    await api(gh, `/repos/${gh.repository}/issues/999`);
    assertEquals(gh.budget!().remaining, 98, "errors spend budget too");
    await api(gh, `/repos/${gh.repository}/issues`, { method: "POST", body: { title: "t" } });
    assertEquals(gh.budget!().remaining, 97);
  } finally {
    await gh.close();
  }
});

Deno.test("an exhausted budget answers 403 until the window resets", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    gh.setBudget(0);
    const res = await api(gh, `/repos/${gh.repository}/issues`);
    assertEquals(res.status, 403);
    assertEquals(res.json.message, "API rate limit exceeded for user ID 1.");
    assertEquals(res.headers.get("x-ratelimit-remaining"), "0");
    assert(Number(res.headers.get("x-ratelimit-reset")) > clock.now() / 1000, "reset lies ahead");
    clock.advance(3_601_000);
    const later = await api(gh, `/repos/${gh.repository}/issues`);
    assertEquals([later.status, later.headers.get("x-ratelimit-remaining")], [200, "4999"]);
  } finally {
    await gh.close();
  }
});

Deno.test("a matching If-None-Match answers 304 with no body and spends nothing", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    await gh.seedIssues(3);
    const path = `/repos/${gh.repository}/issues?state=all&sort=updated&direction=asc`;
    const first = await api(gh, path);
    const etag = first.headers.get("etag")!;
    assertMatch(etag, /^W\/"[0-9a-f]{64}"$/);
    const spent = gh.budget!().remaining;
    const again = await api(gh, path, { headers: { "if-none-match": etag } });
    assertEquals([again.status, again.text], [304, ""]);
    assertEquals(again.headers.get("etag"), etag);
    assertEquals(again.headers.get("x-ratelimit-remaining"), String(spent));
    assertEquals(gh.budget!().remaining, spent, "a 304 costs nothing");
    const strong = await api(gh, path, { headers: { "if-none-match": etag.slice(2) } });
    assertEquals(strong.status, 304, "weak comparison");
    clock.advance(2_000);
    await gh.remoteEdit(2, { title: "changed" });
    const changed = await api(gh, path, { headers: { "if-none-match": etag } });
    assertEquals(changed.status, 200);
    assert(changed.headers.get("etag") !== etag, "a new body has a new ETag");
    assertEquals(gh.budget!().remaining, spent - 1);
    const post = await api(gh, `/repos/${gh.repository}/issues`, { method: "POST", body: { title: "x" } });
    assertEquals(post.headers.get("etag"), null, "writes carry no ETag");
  } finally {
    await gh.close();
  }
});

Deno.test("faults answer in GitHub's style", async (t) => {
  const gh = await createGitHubSandbox();
  try {
    const issues = `/repos/${gh.repository}/issues`;
    await t.step("status", async () => {
      gh.faults.add({ kind: "status", status: 503 });
      const res = await api(gh, issues);
      assertEquals(res.status, 503);
      assertMatch(res.json.documentation_url, /^https:\/\/docs\.github\.com/);
      assertEquals((await api(gh, issues)).status, 200, "a fault fires once by default");
    });
    await t.step("rate_limit (secondary, 403)", async () => {
      gh.faults.add({ kind: "rate_limit", status: 403, retryAfter: 42 });
      const res = await api(gh, issues);
      assertEquals([res.status, res.headers.get("retry-after")], [403, "42"]);
      assertMatch(res.json.message, /secondary rate limit/);
      assert(res.headers.get("x-ratelimit-remaining") !== "0", "a secondary limit leaves the budget");
    });
    await t.step("rate_limit (429)", async () => {
      gh.faults.add({ kind: "rate_limit", retryAfter: 3 });
      const res = await api(gh, issues);
      assertEquals([res.status, res.headers.get("retry-after")], [429, "3"]);
    });
    await t.step("latency", async () => {
      gh.faults.add({ kind: "latency", ms: 30 });
      assertEquals((await api(gh, issues)).status, 200);
      assertEquals(gh.log.entries.at(-1)?.faulted, true);
    });
    await t.step("reset", async () => {
      gh.faults.add({ kind: "reset" });
      await assertRejects(async () => {
        const res = await fetch(`${gh.apiUrl}${issues}`, { headers: { authorization: `token ${gh.token}` } });
        await res.json();
      });
    });
    await t.step("malformed", async () => {
      gh.faults.add({ kind: "malformed" });
      const res = await api(gh, issues);
      assertEquals([res.status, res.json], [200, undefined]);
      assertMatch(res.text, /^<html>/);
    });
    await t.step("fail_after: the write happens, the answer is a 502", async () => {
      const before = gh.issueNumbers().length;
      gh.faults.add({ kind: "fail_after", method: "POST", path: /\/issues$/ });
      const res = await api(gh, issues, { method: "POST", body: { title: "lost answer" } });
      assertEquals(res.status, 502);
      assertEquals(gh.issueNumbers().length, before + 1);
    });
    assertEquals(gh.faults.pending, 0);
  } finally {
    gh.faults.clear();
    await gh.close();
  }
});

Deno.test("rate_limit reports the budgets without spending them", async () => {
  const gh = await createGitHubSandbox();
  try {
    await api(gh, `/repos/${gh.repository}`);
    const res = await api(gh, "/rate_limit");
    assertEquals(res.json.resources.core.remaining, 4999);
    assertEquals(res.json.resources.search.limit, 30);
    assertEquals(gh.budget!().remaining, 4999);
    assertEquals((await api(gh, "/no/such/endpoint")).status, 404);
  } finally {
    await gh.close();
  }
});
