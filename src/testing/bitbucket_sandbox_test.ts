import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "./assert.ts";
import { type BitbucketSandbox, createBitbucketSandbox } from "./bitbucket_sandbox.ts";
import { parseMicros } from "./bitbucket/clock.ts";

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

type Auth = "api" | "access" | "readonly" | "readonlyApi" | "noaccess" | "none" | "wrong";

function headers(sb: BitbucketSandbox, auth: Auth): Record<string, string> {
  const c = sb.credentials;
  const h: Record<string, string> = { "content-type": "application/json" };
  if (auth === "api") h.authorization = `Basic ${btoa(`${c.email}:${c.apiToken}`)}`;
  if (auth === "readonlyApi") h.authorization = `Basic ${btoa(`${c.readOnlyEmail}:${c.readOnlyApiToken}`)}`;
  if (auth === "access") h.authorization = `Bearer ${c.accessToken}`;
  if (auth === "readonly") h.authorization = `Bearer ${c.readOnlyToken}`;
  if (auth === "noaccess") h.authorization = `Bearer ${c.noAccessToken}`;
  if (auth === "wrong") h.authorization = `Basic ${btoa(`${c.email}:not-the-token`)}`;
  return h;
}

interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  json: any;
}

async function call(
  sb: BitbucketSandbox,
  method: string,
  path: string,
  body?: unknown,
  auth: Auth = "api",
): Promise<Answer> {
  const url = path.startsWith("http") ? path : `${sb.apiUrl}${path}`;
  const res = await fetch(url, {
    method,
    headers: headers(sb, auth),
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text === "" ? null : JSON.parse(text) };
}

const ISSUES = "/repositories/acme/widgets/issues";
const q = (query: string) => encodeURIComponent(query);

async function withSandbox(
  fn: (sb: BitbucketSandbox) => Promise<void>,
  options: Parameters<typeof createBitbucketSandbox>[0] = {},
): Promise<void> {
  const sb = await createBitbucketSandbox(options);
  try {
    await fn(sb);
  } finally {
    await sb.close();
  }
}

function assertBitbucketError(a: Answer, status: number, message?: string): void {
  assertEquals(a.status, status, JSON.stringify(a.json));
  assertEquals(a.json?.type, "error");
  assertEquals(typeof a.json?.error?.message, "string");
  if (message !== undefined) assertStringIncludes(a.json.error.message, message);
}

Deno.test("sandbox serves the repository with full_name, has_issues, links and uuid", async () => {
  await withSandbox(async (sb) => {
    assertEquals(sb.apiUrl, `${sb.url}/2.0`);
    assertEquals(sb.platform, "bitbucket");
    const a = await call(sb, "GET", "/repositories/acme/widgets");
    assertEquals(a.status, 200);
    assertEquals(a.json.type, "repository");
    assertEquals(a.json.full_name, "acme/widgets");
    assertEquals(a.json.has_issues, true);
    assertEquals(a.json.links.html.href, "https://bitbucket.org/acme/widgets");
    assertMatch(a.json.uuid, /^\{[0-9a-f-]{36}\}$/);
    const off = await call(sb, "GET", `/repositories/${sb.trackerOffRepository}`);
    assertEquals(off.json.has_issues, false);
  });
});

Deno.test("sandbox creates an issue with Bitbucket's JSON and microsecond timestamps", async () => {
  await withSandbox(async (sb) => {
    const [alice, bob] = sb.accounts;
    const a = await call(sb, "POST", ISSUES, {
      title: "Crash on save",
      content: { raw: "Steps:\n\n1. save" },
      kind: "task",
      priority: "critical",
      assignee: { account_id: bob!.account_id },
      milestone: { name: "v1.1" },
    });
    assertEquals(a.status, 201);
    assertEquals(a.headers.get("location"), `${sb.apiUrl}${ISSUES}/1`);
    const i = a.json;
    assertEquals(i.type, "issue");
    assertEquals(i.id, 1);
    assertEquals(i.title, "Crash on save");
    assertEquals(i.content.raw, "Steps:\n\n1. save");
    assertEquals(i.content.markup, "markdown");
    assertStringIncludes(i.content.html, "<p>Steps:</p>");
    assertEquals([i.state, i.kind, i.priority], ["new", "task", "critical"]);
    assertEquals(i.assignee.account_id, bob!.account_id);
    assertEquals(i.assignee.nickname, "bob");
    assertEquals(i.reporter.account_id, alice!.account_id);
    assertEquals(i.milestone.name, "v1.1");
    assertEquals(i.links.html.href, "https://bitbucket.org/acme/widgets/issues/1");
    assertEquals(i.repository.full_name, "acme/widgets");
    assertMatch(i.created_on, STAMP);
    assertEquals(i.updated_on, i.created_on);
    assertEquals(i.edited_on, null);
    const defaults = await call(sb, "POST", ISSUES, { title: "Defaults" });
    assertEquals([defaults.json.state, defaults.json.kind, defaults.json.priority], ["new", "bug", "major"]);
    assertEquals([defaults.json.assignee, defaults.json.milestone, defaults.json.content.raw], [
      null,
      null,
      "",
    ]);
    assert(parseMicros(defaults.json.updated_on)! > parseMicros(i.updated_on)!);
  });
});

Deno.test("sandbox resolves assignees by account_id, uuid or nickname", async () => {
  await withSandbox(async (sb) => {
    const carol = sb.accounts[2]!;
    for (const ref of [{ account_id: carol.account_id }, { uuid: carol.uuid }, { nickname: "carol" }]) {
      const a = await call(sb, "POST", ISSUES, { title: "x", assignee: ref });
      assertEquals(a.json.assignee.account_id, carol.account_id);
    }
    assertEquals(sb.users, sb.accounts.map((u) => u.account_id));
  });
});

Deno.test("sandbox answers 400 with error.fields for invalid issue fields", async () => {
  await withSandbox(async (sb) => {
    const bad: Array<[unknown, string]> = [
      [{}, "title"],
      [{ title: "   " }, "title"],
      [{ title: "x", kind: "story" }, "kind"],
      [{ title: "x", priority: "urgent" }, "priority"],
      [{ title: "x", state: "done" }, "state"],
      [{ title: "x", assignee: { account_id: "557058:nobody" } }, "assignee"],
      [{ title: "x", milestone: { name: "v9" } }, "milestone"],
      [{ title: "x", content: "plain" }, "content"],
    ];
    for (const [body, field] of bad) {
      const a = await call(sb, "POST", ISSUES, body);
      assertBitbucketError(a, 400, field);
      assert(Array.isArray(a.json.error.fields[field]), `${field}: ${JSON.stringify(a.json)}`);
    }
    assertBitbucketError(await call(sb, "POST", ISSUES, "{not json"), 400, "JSON");
    assertEquals(sb.issueNumbers(), []);
  });
});

Deno.test("sandbox PUT is partial: absent fields keep their value, null clears", async () => {
  let now = Date.parse("2026-05-01T12:00:00Z");
  await withSandbox(async (sb) => {
    const bob = sb.accounts[1]!;
    const created = await call(sb, "POST", ISSUES, {
      title: "Before",
      content: { raw: "body" },
      assignee: { account_id: bob.account_id },
      milestone: { name: "v1.0" },
      kind: "enhancement",
    });
    now += 1000;
    const a = await call(sb, "PUT", `${ISSUES}/1`, { title: "After" });
    assertEquals(a.status, 200);
    assertEquals(a.json.title, "After");
    assertEquals(a.json.content.raw, "body");
    assertEquals(a.json.assignee.account_id, bob.account_id);
    assertEquals(a.json.milestone.name, "v1.0");
    assertEquals(a.json.kind, "enhancement");
    assertEquals(a.json.updated_on, "2026-05-01T12:00:01.000000+00:00");
    assertEquals(a.json.edited_on, a.json.updated_on);
    assert(a.json.updated_on > created.json.updated_on);
    const cleared = await call(sb, "PUT", `${ISSUES}/1`, { assignee: null, milestone: null, content: null });
    assertEquals([cleared.json.assignee, cleared.json.milestone, cleared.json.content.raw], [null, null, ""]);
    assertEquals(cleared.json.title, "After");
    // Same millisecond: still strictly later.
    assert(parseMicros(cleared.json.updated_on)! > parseMicros(a.json.updated_on)!);
    const state = await call(sb, "PUT", `${ISSUES}/1`, { state: "on hold" });
    assertEquals(state.json.state, "on hold");
    assertEquals(sb.readIssue(1)?.status, "blocked");
    assertBitbucketError(await call(sb, "PUT", `${ISSUES}/1`, { title: "" }), 400, "title");
    assertBitbucketError(await call(sb, "PUT", `${ISSUES}/99`, { title: "x" }), 404, "Issue not found");
  }, { now: () => now });
});

Deno.test("sandbox changes state through POST …/changes with a comment", async () => {
  await withSandbox(async (sb) => {
    await call(sb, "POST", ISSUES, { title: "x" });
    const a = await call(sb, "POST", `${ISSUES}/1/changes`, {
      changes: { state: { new: "resolved" } },
      message: { raw: "Done in abc123" },
    });
    assertEquals(a.status, 201);
    assertEquals(a.json.type, "issue_change");
    assertEquals(a.json.changes.state, { old: "new", new: "resolved" });
    assertEquals(a.json.message.raw, "Done in abc123");
    assertEquals((await call(sb, "GET", `${ISSUES}/1`)).json.state, "resolved");
    assertEquals(sb.readIssue(1)?.status, "completed");
    assertBitbucketError(
      await call(sb, "POST", `${ISSUES}/1/changes`, { changes: { state: { new: "x" } } }),
      400,
    );
    assertBitbucketError(
      await call(sb, "POST", `${ISSUES}/1/changes`, { changes: { votes: { new: 3 } } }),
      400,
    );
    assertBitbucketError(await call(sb, "POST", `${ISSUES}/1/changes`, {}), 400);
  });
});

Deno.test("sandbox DELETE removes an issue: reads answer 404 afterwards", async () => {
  await withSandbox(async (sb) => {
    const [a, b] = await sb.seedIssues(2);
    const del = await call(sb, "DELETE", `${ISSUES}/${a}`);
    assertEquals(del.status, 204);
    assertBitbucketError(await call(sb, "GET", `${ISSUES}/${a}`), 404, "Issue not found");
    assertEquals(sb.issueNumbers(), [b]);
    assertEquals(sb.readIssue(a!)?.deleted, true);
    await sb.deleteIssue(b!);
    assertBitbucketError(await call(sb, "GET", `${ISSUES}/${b}`), 404);
    assertEquals((await call(sb, "GET", ISSUES)).json.values, []);
  });
});

Deno.test("sandbox pages with pagelen (default 10, max 100), page, size, next and previous", async () => {
  await withSandbox(async (sb) => {
    await sb.seedIssues(25);
    const first = await call(sb, "GET", ISSUES);
    assertEquals([first.json.pagelen, first.json.page, first.json.size], [10, 1, 25]);
    assertEquals(first.json.values.length, 10);
    assertEquals(first.json.previous, undefined);
    const ids: number[] = [];
    let next: string | undefined = `${sb.apiUrl}${ISSUES}?pagelen=7&sort=id`;
    let pages = 0;
    while (next !== undefined) {
      const page: Answer = await call(sb, "GET", next);
      ids.push(...page.json.values.map((v: { id: number }) => v.id));
      if (pages > 0) assertStringIncludes(page.json.previous, `page=${pages}`);
      next = page.json.next;
      pages++;
    }
    assertEquals(pages, 4);
    assertEquals(ids, Array.from({ length: 25 }, (_, i) => i + 1));
    assertEquals((await call(sb, "GET", `${ISSUES}?pagelen=100`)).json.values.length, 25);
    assertBitbucketError(await call(sb, "GET", `${ISSUES}?pagelen=101`), 400, "pagelen");
    assertBitbucketError(await call(sb, "GET", `${ISSUES}?pagelen=0`), 400, "pagelen");
    assertBitbucketError(await call(sb, "GET", `${ISSUES}?page=9`), 404, "Invalid page");
  });
});

Deno.test("sandbox filters with BBQL on updated_on, created_on, content.raw and state, combined with AND", async () => {
  let now = Date.parse("2026-06-01T00:00:00Z");
  await withSandbox(async (sb) => {
    const seeded = await sb.seedIssues(
      6,
      (i) => ({ title: `t${i}`, body: i % 2 === 0 ? "has NEEDLE" : "plain" }),
    );
    const stamps = seeded.map((n) => sb.rawIssue(n)!.updated_on as string);
    const since = stamps[2]!;
    const ge = await call(sb, "GET", `${ISSUES}?q=${q(`updated_on >= "${since}"`)}&sort=updated_on`);
    assertEquals(ge.json.values.map((v: { id: number }) => v.id), seeded.slice(2));
    const gt = await call(sb, "GET", `${ISSUES}?q=${q(`updated_on > ${since}`)}&sort=updated_on`);
    assertEquals(gt.json.values.map((v: { id: number }) => v.id), seeded.slice(3));
    const created = await call(sb, "GET", `${ISSUES}?q=${q(`created_on > "${stamps[4]}"`)}`);
    assertEquals(created.json.values.map((v: { id: number }) => v.id), [seeded[5]]);
    const text = await call(sb, "GET", `${ISSUES}?q=${q('content.raw ~ "needle"')}&sort=id`);
    assertEquals(text.json.values.map((v: { id: number }) => v.id), [seeded[0], seeded[2], seeded[4]]);
    now += 60_000;
    sb.setState(seeded[4]!, "open");
    const both = await call(
      sb,
      "GET",
      `${ISSUES}?q=${q(`state = "open" AND content.raw ~ "NEEDLE" AND updated_on > "${since}"`)}`,
    );
    assertEquals(both.json.values.map((v: { id: number }) => v.id), [seeded[4]]);
    assertBitbucketError(await call(sb, "GET", `${ISSUES}?q=${q("colour = 3")}`), 400, "colour");
    assertBitbucketError(await call(sb, "GET", `${ISSUES}?q=${q('updated_on > "soon"')}`), 400);
  }, { now: () => now });
});

Deno.test("sandbox sorts by updated_on and created_on, ascending or descending", async () => {
  await withSandbox(async (sb) => {
    const [a, b, c] = await sb.seedIssues(3);
    await sb.remoteEdit(a!, { title: "edited" });
    const ids = async (sort: string) =>
      (await call(sb, "GET", `${ISSUES}?sort=${sort}`)).json.values.map((v: { id: number }) => v.id);
    assertEquals(await ids("updated_on"), [b, c, a]);
    assertEquals(await ids("-updated_on"), [a, c, b]);
    assertEquals(await ids("created_on"), [a, b, c]);
    assertEquals(await ids("-created_on"), [c, b, a]);
    assertBitbucketError(await call(sb, "GET", `${ISSUES}?sort=colour`), 400, "sort");
  });
});

Deno.test("sandbox authentication: Basic API token, Bearer access tokens, and every refusal", async () => {
  await withSandbox(async (sb) => {
    const repo = "/repositories/acme/widgets";
    const basic = await call(sb, "GET", repo, undefined, "api");
    assertEquals(basic.status, 200);
    assertEquals(basic.headers.get("x-ratelimit-limit"), null, "no rate-limit headers for Basic");
    const bearer = await call(sb, "GET", repo, undefined, "access");
    assertEquals(bearer.status, 200);
    assertEquals(bearer.headers.get("x-ratelimit-limit"), "1000");
    assertEquals(bearer.headers.get("x-ratelimit-remaining"), "999");
    assertMatch(bearer.headers.get("x-ratelimit-reset") ?? "", /^\d{10}$/);
    assertStringIncludes(bearer.headers.get("x-oauth-scopes") ?? "", "issue:write");
    assertBitbucketError(await call(sb, "GET", repo, undefined, "none"), 401);
    const wrong = await call(sb, "GET", repo, undefined, "wrong");
    assertBitbucketError(wrong, 401);
    assertStringIncludes(wrong.headers.get("www-authenticate") ?? "", "Basic");
    assertBitbucketError(await call(sb, "GET", repo, undefined, "noaccess"), 403);
    // Read-only credentials read, and are refused writes.
    assertEquals((await call(sb, "GET", ISSUES, undefined, "readonly")).status, 200);
    const ro = await call(sb, "POST", ISSUES, { title: "x" }, "readonly");
    assertBitbucketError(ro, 403, "privilege scopes");
    assertEquals(ro.json.error.detail.required, ["issue:write"]);
    assertBitbucketError(await call(sb, "POST", ISSUES, { title: "x" }, "readonlyApi"), 403, "write access");
    assertEquals(sb.issueNumbers(), []);
    const created = await call(sb, "POST", ISSUES, { title: "by token" }, "access");
    assertEquals(created.json.reporter.nickname, "widgets-token");
  });
});

Deno.test("sandbox answers 404 Repository not found for an unknown repository", async () => {
  await withSandbox(async (sb) => {
    assertBitbucketError(await call(sb, "GET", "/repositories/acme/nope"), 404, "Repository not found");
    assertBitbucketError(
      await call(sb, "GET", "/repositories/acme/nope/issues"),
      404,
      "Repository not found",
    );
    assertBitbucketError(await call(sb, "GET", "/repositories/acme/widgets/nothing-here"), 404);
  });
});

Deno.test("sandbox tracker-off repository: issue endpoints answer 404 saying the tracker is off", async () => {
  await withSandbox(async (sb) => {
    const base = `/repositories/${sb.trackerOffRepository}`;
    for (
      const [method, path, body] of [
        ["GET", `${base}/issues`, undefined],
        ["POST", `${base}/issues`, { title: "x" }],
        ["GET", `${base}/issues/1`, undefined],
        ["PUT", `${base}/issues/1`, { title: "x" }],
        ["GET", `${base}/milestones`, undefined],
      ] as const
    ) {
      assertBitbucketError(await call(sb, method, path, body), 404, "Repository has no issue tracker.");
    }
    assertEquals((await call(sb, "GET", base, undefined, "access")).status, 200);
  });
});

Deno.test("sandbox milestones are read-only: GET lists, writes answer 405", async () => {
  await withSandbox(async (sb) => {
    const list = await call(sb, "GET", "/repositories/acme/widgets/milestones");
    assertEquals(list.json.values.map((m: { name: string }) => m.name), ["v1.0", "v1.1", "v2.0"]);
    assertEquals(list.json.values[0].id, 1);
    assertEquals((await call(sb, "GET", "/repositories/acme/widgets/milestones/2")).json.name, "v1.1");
    const post = await call(sb, "POST", "/repositories/acme/widgets/milestones", { name: "v3" });
    assertBitbucketError(post, 405, "read-only");
    assertEquals(post.headers.get("allow"), "GET");
    assertBitbucketError(
      await call(sb, "PUT", "/repositories/acme/widgets/milestones/1", { name: "v3" }),
      405,
    );
    assertEquals(sb.milestones, ["v1.0", "v1.1", "v2.0"]);
  });
});

Deno.test("sandbox creates tags on a known commit", async () => {
  await withSandbox(async (sb) => {
    const hash = sb.state.repo("acme/widgets")!.commits[0]!;
    const a = await call(sb, "POST", "/repositories/acme/widgets/refs/tags", {
      name: "v1.0.0",
      target: { hash },
    });
    assertEquals(a.status, 201);
    assertEquals([a.json.type, a.json.name, a.json.target.hash], ["tag", "v1.0.0", hash]);
    assertEquals((await call(sb, "GET", "/repositories/acme/widgets/refs/tags/v1.0.0")).json.name, "v1.0.0");
    const again = await call(sb, "POST", "/repositories/acme/widgets/refs/tags", {
      name: "v1.0.0",
      target: { hash },
    });
    assertBitbucketError(again, 400, "already exists");
    const unknown = await call(sb, "POST", "/repositories/acme/widgets/refs/tags", {
      name: "v2",
      target: { hash: "0".repeat(40) },
    });
    assertBitbucketError(unknown, 400, "not found");
    assertBitbucketError(
      await call(
        sb,
        "POST",
        "/repositories/acme/widgets/refs/tags",
        { name: "v3", target: { hash } },
        "readonly",
      ),
      403,
    );
  });
});

Deno.test("sandbox reports repository permissions to API-token users", async () => {
  await withSandbox(async (sb) => {
    const path = `/user/permissions/repositories?q=${q('repository.full_name = "acme/widgets"')}`;
    const admin = await call(sb, "GET", path, undefined, "api");
    assertEquals(admin.json.values.map((v: { permission: string }) => v.permission), ["admin"]);
    const reader = await call(sb, "GET", path, undefined, "readonlyApi");
    assertEquals(reader.json.values.map((v: { permission: string }) => v.permission), ["read"]);
    assertBitbucketError(await call(sb, "GET", path, undefined, "access"), 403);
  });
});

Deno.test("sandbox spends an hourly budget per credential, then answers 429 without Retry-After", async () => {
  let now = Date.parse("2026-07-01T00:00:00Z");
  await withSandbox(async (sb) => {
    const repo = "/repositories/acme/widgets";
    for (let i = 0; i < 3; i++) assertEquals((await call(sb, "GET", repo, undefined, "access")).status, 200);
    const limited = await call(sb, "GET", repo, undefined, "access");
    assertBitbucketError(limited, 429);
    assertEquals(limited.headers.get("retry-after"), null);
    assertEquals(limited.headers.get("x-ratelimit-remaining"), "0");
    assertEquals(limited.headers.get("x-ratelimit-reset"), String(Math.ceil((now + 3_600_000) / 1000)));
    // Another credential has its own budget; Basic answers carry no X-RateLimit headers.
    for (let i = 0; i < 3; i++) await call(sb, "GET", repo, undefined, "api");
    const basic = await call(sb, "GET", repo, undefined, "api");
    assertBitbucketError(basic, 429);
    assertEquals(basic.headers.get("x-ratelimit-limit"), null);
    assertEquals(sb.budget!(), { remaining: 0, limit: 3 });
    now += 3_600_000;
    assertEquals((await call(sb, "GET", repo, undefined, "access")).status, 200);
    assertEquals(sb.budgetOf(sb.credentials.accessToken), { remaining: 2, limit: 3 });
  }, { now: () => now, rateLimit: 3 });
});

Deno.test("sandbox faults: status, rate_limit, latency, reset, malformed, fail_after", async () => {
  await withSandbox(async (sb) => {
    sb.faults.add({ kind: "status", status: 503, path: "/2.0/repositories" });
    const s = await call(sb, "GET", "/repositories/acme/widgets");
    assertBitbucketError(s, 503, "Sandbox fault");

    sb.faults.add({ kind: "rate_limit", retryAfter: 9 });
    const r = await call(sb, "GET", "/repositories/acme/widgets");
    assertBitbucketError(r, 429);
    assertEquals(r.headers.get("retry-after"), "9");
    assertEquals(r.headers.get("x-ratelimit-remaining"), "0");

    sb.faults.add({ kind: "latency", ms: 1 });
    assertEquals((await call(sb, "GET", "/repositories/acme/widgets")).status, 200);

    sb.faults.add({ kind: "reset" });
    const res = await fetch(`${sb.apiUrl}/repositories/acme/widgets`, { headers: headers(sb, "api") });
    await assertRejects(() => res.text());

    sb.faults.add({ kind: "malformed", method: "POST" });
    const m = await fetch(`${sb.apiUrl}${ISSUES}`, {
      method: "POST",
      headers: headers(sb, "api"),
      body: JSON.stringify({ title: "kept" }),
    });
    assertEquals(m.status, 200);
    assertFalse((await m.text()).startsWith("{"));

    sb.faults.add({ kind: "fail_after", method: "POST", path: /\/issues$/ });
    const f = await call(sb, "POST", ISSUES, { title: "written anyway" });
    assertBitbucketError(f, 502);
    assertEquals(sb.issueNumbers().map((n) => sb.readIssue(n)?.title), ["kept", "written anyway"]);

    assertEquals(sb.faults.pending, 0);
    assertEquals(sb.log.count({ status: 503 }), 1);
    assertEquals(sb.log.entries.filter((e) => e.faulted).length, 6);
  });
});

Deno.test("harness maps statuses both ways through Bitbucket states", async () => {
  await withSandbox(async (sb) => {
    const expected = {
      open: "new",
      in_progress: "open",
      blocked: "on hold",
      completed: "resolved",
      cancelled: "wontfix",
      failed: "wontfix",
    } as const;
    for (const [status, state] of Object.entries(expected)) {
      const n = await sb.remoteCreate({ title: status, status: status as keyof typeof expected });
      assertEquals(sb.rawIssue(n)?.state, state);
      assertEquals(sb.readIssue(n)?.status, status === "failed" ? "cancelled" : status);
    }
    const reads = {
      submitted: "open",
      closed: "completed",
      invalid: "cancelled",
      duplicate: "cancelled",
    } as const;
    const [n] = await sb.seedIssues(1);
    for (const [state, status] of Object.entries(reads)) {
      sb.setState(n!, state as keyof typeof reads);
      assertEquals(sb.readIssue(n!)?.status, status);
    }
  });
});

Deno.test("harness edits: one assignee, milestone, no labels; updated_on moves to the clock's now", async () => {
  let now = Date.parse("2026-08-01T09:00:00Z");
  await withSandbox(async (sb) => {
    const n = await sb.remoteCreate({ title: "t", body: "b", assignees: ["bob"], milestone: "v2.0" });
    const bob = sb.accounts[1]!.account_id;
    assertEquals(sb.readIssue(n)?.assignees, [bob]);
    assertEquals(sb.readIssue(n)?.milestone, "v2.0");
    assertEquals(sb.readIssue(n)?.labels, []);
    now += 5_000;
    await sb.remoteEdit(n, { body: "new body", assignees: [], milestone: null, labels: [] });
    const held = sb.readIssue(n)!;
    assertEquals([held.body, held.assignees, held.milestone], ["new body", [], null]);
    assertEquals(held.updated_at, "2026-08-01T09:00:05.000000+00:00");
    await assertRejects(() => sb.remoteEdit(n, { labels: ["bug"] }), "no labels");
    await assertRejects(() => sb.remoteEdit(n, { assignees: [bob, "carol"] }), "one assignee");
    await assertRejects(() => sb.remoteEdit(n, { milestone: "v9" }), "milestone");
    await assertRejects(() => sb.remoteEdit(999, { title: "x" }), "No issue");
  }, { now: () => now });
});

Deno.test("harness seeds distinct, increasing, past timestamps", async () => {
  const now = Date.parse("2026-09-01T00:00:00Z");
  await withSandbox(async (sb) => {
    const numbers = await sb.seedIssues(50);
    assertEquals(numbers, Array.from({ length: 50 }, (_, i) => i + 1));
    const stamps = numbers.map((n) => parseMicros(sb.readIssue(n)!.updated_at)!);
    for (let i = 1; i < stamps.length; i++) assert(stamps[i]! > stamps[i - 1]!);
    assert(stamps[49]! < now * 1000, "seeded timestamps lie in the past");
    const more = await sb.seedIssues(2, (i) => ({ title: `more ${i}`, status: "blocked" }));
    assert(parseMicros(sb.readIssue(more[0]!)!.updated_at)! > stamps[49]!);
    assertEquals(sb.readIssue(more[1]!)?.title, "more 1");
    assertEquals(sb.readIssue(more[1]!)?.status, "blocked");
  }, { now: () => now });
});

Deno.test("sandbox scales to thousands of issues", async () => {
  await withSandbox(async (sb) => {
    await sb.seedIssues(3000);
    const mid = sb.rawIssue(2001)!.updated_on as string;
    sb.log.reset();
    let next: string | undefined = `${sb.apiUrl}${ISSUES}?q=${
      q(`updated_on >= ${mid}`)
    }&sort=updated_on&pagelen=100`;
    let count = 0;
    while (next !== undefined) {
      const page: Answer = await call(sb, "GET", next);
      count += page.json.values.length;
      next = page.json.next;
    }
    assertEquals(count, 1000);
    assertEquals(sb.log.count({ method: "GET" }), 10);
  });
});
