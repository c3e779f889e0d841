import { Effect, Option, Redacted } from "effect";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { DEFAULT_STATUS_LABELS, REMOTE_STATUSES, type RemoteStatus } from "../../src/platform/mod.ts";
import plugin from "./mod.ts";
import { failure, run, withPlugin } from "./test_support.ts";

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;

Deno.test("connect() without a token fails Unauthorized naming the variable and BITBUCKET_EMAIL", async () => {
  const error = await failure(plugin.connect({
    fetch,
    apiUrl: "http://127.0.0.1:9/2.0",
    token: undefined,
    tokenVariable: "MY_BB_TOKEN",
    env: () => undefined,
    userAgent: "t",
    statusLabels: DEFAULT_STATUS_LABELS,
  }));
  assertEquals(error.reason, "Unauthorized");
  assertStringIncludes(error.message, "MY_BB_TOKEN");
  assertStringIncludes(error.hint ?? "", "BITBUCKET_EMAIL");
  assertStringIncludes(error.hint ?? "", "access token");
});

Deno.test("verify() answers the repository and whether the token can write, in both auth modes", async () => {
  const cases = [
    ["basic", true],
    ["basic-readonly", false],
    ["bearer", true],
    ["bearer-readonly", false],
  ] as const;
  for (const [mode, canWrite] of cases) {
    await withPlugin(async ({ client, repo, sb, fetched }) => {
      const info = await run(client.verify(repo));
      assertEquals(info, {
        path: "acme/widgets",
        url: "https://bitbucket.org/acme/widgets",
        can_write: canWrite,
      }, mode);
      // Every request went through env.fetch.
      assertEquals(fetched(), sb.log.entries.length);
      assert(fetched() >= 1);
    }, mode);
  }
});

Deno.test("an access token with BITBUCKET_EMAIL set is sent as Basic, and Bitbucket refuses it", async () => {
  await withPlugin(async ({ sb, env }) => {
    const client = await run(plugin.connect({
      ...env,
      token: Redacted.make(sb.credentials.accessToken),
      env: (name) => (name === "BITBUCKET_EMAIL" ? sb.credentials.email : undefined),
    }));
    const error = await failure(client.verify({ platform: "bitbucket", path: "acme/widgets" }));
    assertEquals(error.reason, "Unauthorized");
    assertStringIncludes(error.message, "BITBUCKET_TOKEN");
    assertStringIncludes(error.hint ?? "", "BITBUCKET_EMAIL");
  });
});

Deno.test("verify() of a repository whose issue tracker is off fails Invalid, saying how to turn it on", async () => {
  await withPlugin(async ({ client, sb }) => {
    const error = await failure(client.verify({ platform: "bitbucket", path: sb.trackerOffRepository }));
    assertEquals(error.reason, "Invalid");
    assertStringIncludes(error.message, "issue tracker");
    assertStringIncludes(error.message, "is off");
    assertStringIncludes(error.message, sb.trackerOffRepository);
    assertStringIncludes(error.hint ?? "", "Repository settings → Features → Issue tracker");
  });
});

Deno.test("issue calls on a tracker that is off fail NotFound saying so, never 'no such issue'", async () => {
  await withPlugin(async ({ client, sb }) => {
    const off = { platform: "bitbucket", path: sb.trackerOffRepository };
    const calls = [
      client.getIssue(off, 1),
      client.createIssue(off, { title: "x", body: "" }),
      client.updateIssue(off, 1, { title: "x" }),
      client.findByMarker(off, "<!-- forgesync:task=1 -->", null),
      client.listMilestones!(off),
    ];
    for (const call of calls) {
      const error = await failure(call);
      assertEquals(error.reason, "NotFound");
      assertStringIncludes(error.message, "issue tracker");
      assertStringIncludes(error.hint ?? "", "Repository settings → Features → Issue tracker");
    }
  });
});

Deno.test("createIssue() writes every field and answers the normalized issue", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const bob = sb.users[1]!;
    const issue = await run(client.createIssue(repo, {
      title: "Crash on save ✓",
      body: "Steps\n\n<!-- forgesync:task=T1 -->",
      status: "in_progress",
      labels: [],
      assignees: [bob],
      milestone: "v1.1",
    }));
    assertEquals(issue.number, 1);
    assertEquals(issue.id, "1");
    assertEquals(issue.url, "https://bitbucket.org/acme/widgets/issues/1");
    assertEquals(
      [issue.title, issue.body, issue.status, issue.labels, issue.assignees, issue.milestone],
      ["Crash on save ✓", "Steps\n\n<!-- forgesync:task=T1 -->", "in_progress", [], [bob], "v1.1"],
    );
    assertMatch(issue.updated_at, STAMP);
    assertMatch(issue.created_at, STAMP);
    assertEquals(sb.rawIssue(1)?.state, "open");
    const plain = await run(client.createIssue(repo, { title: "plain", body: "" }));
    assertEquals([plain.status, plain.assignees, plain.milestone, plain.body], ["open", [], null, ""]);
    assertEquals(sb.rawIssue(plain.number)?.state, "new");
  });
});

Deno.test("every status round-trips through Bitbucket states (failed reads back as cancelled)", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    for (const status of REMOTE_STATUSES) {
      const created = await run(client.createIssue(repo, { title: status, body: "", status }));
      const expected: RemoteStatus = status === "failed" ? "cancelled" : status;
      assertEquals(created.status, expected, status);
      assertEquals(sb.readIssue(created.number)?.status, expected);
    }
    const [n] = await sb.seedIssues(1);
    for (
      const [state, status] of [
        ["submitted", "open"],
        ["closed", "completed"],
        ["invalid", "cancelled"],
        ["duplicate", "cancelled"],
        ["on hold", "blocked"],
      ] as const
    ) {
      sb.setState(n!, state);
      const got = await run(client.getIssue(repo, n!));
      assertEquals(Option.getOrThrow(got).status, status, state);
    }
  }, "bearer");
});

Deno.test("updateIssue() sends only the fields present and keeps the rest", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const carol = sb.users[2]!;
    const created = await run(client.createIssue(repo, {
      title: "Before",
      body: "body",
      assignees: [carol],
      milestone: "v1.0",
    }));
    sb.state.repo("acme/widgets")!.issues.get(created.number)!.kind = "enhancement";
    const updated = await run(client.updateIssue(repo, created.number, { title: "After" }));
    assertEquals([updated.title, updated.body, updated.assignees, updated.milestone], [
      "After",
      "body",
      [carol],
      "v1.0",
    ]);
    assertEquals(sb.rawIssue(created.number)?.kind, "enhancement");
    assert(updated.updated_at > created.updated_at);
    const cleared = await run(
      client.updateIssue(repo, created.number, {
        assignees: [],
        milestone: null,
        status: "completed",
        labels: [],
      }),
    );
    assertEquals([cleared.assignees, cleared.milestone, cleared.status, cleared.title], [
      [],
      null,
      "completed",
      "After",
    ]);
    assertEquals(sb.rawIssue(created.number)?.state, "resolved");
    // An empty patch reads the issue and writes nothing.
    sb.log.reset();
    const same = await run(client.updateIssue(repo, created.number, {}));
    assertEquals(same.updated_at, cleared.updated_at);
    assertEquals(sb.log.entries.map((e) => e.method), ["GET"]);
    const missing = await failure(client.updateIssue(repo, 999, { title: "x" }));
    assertEquals(missing.reason, "NotFound");
    assertStringIncludes(missing.message, "Issue #999");
  });
});

Deno.test("labels and several assignees fail Unsupported with a hint, before any request", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const [n] = await sb.seedIssues(1);
    sb.log.reset();
    const calls = [
      client.createIssue(repo, { title: "x", body: "", labels: ["bug"] }),
      client.updateIssue(repo, n!, { status: "blocked", labels: ["status: blocked", "ui"] }),
      client.createIssue(repo, { title: "x", body: "", assignees: [sb.users[0]!, sb.users[1]!] }),
      client.updateIssue(repo, n!, { assignees: [sb.users[0]!, sb.users[1]!] }),
    ];
    const reasons = [];
    for (const call of calls) {
      const error = await failure(call);
      reasons.push(error.reason);
      assert((error.hint ?? "").length > 0);
    }
    assertEquals(reasons, ["Unsupported", "Unsupported", "Unsupported", "Unsupported"]);
    assertStringIncludes((await failure(calls[0]!)).hint ?? "", "no labels");
    assertEquals(sb.log.entries.length, 0);
  });
});

Deno.test("getIssue() answers the issue, none for a missing or deleted one, an error for a missing repository", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    const [a, b] = await sb.seedIssues(2, (i) => ({ title: `seeded ${i}`, body: `body ${i}` }));
    const got = Option.getOrThrow(await run(client.getIssue(repo, a!)));
    assertEquals([got.number, got.title, got.body, got.status], [a, "seeded 0", "body 0", "open"]);
    assertEquals(got.updated_at, sb.readIssue(a!)?.updated_at);
    assert(Option.isNone(await run(client.getIssue(repo, 12345))));
    await sb.deleteIssue(b!);
    assert(Option.isNone(await run(client.getIssue(repo, b!))));
    const nope = await failure(client.getIssue({ platform: "bitbucket", path: "acme/nope" }, 1));
    assertEquals(nope.reason, "NotFound");
    assertStringIncludes(nope.message, "acme/nope");
    assertStringIncludes(nope.message, "cannot see it");
  });
});

Deno.test("findByMarker() reads recent issues first, then searches content.raw, confirming on the body", async () => {
  let now = Date.parse("2026-04-01T10:00:00Z");
  await withPlugin(
    async ({ client, repo, sb }) => {
      const marker = "<!-- forgesync:task=T1 -->";
      // An old issue carrying the marker, and a newer one carrying a longer id with the same prefix.
      const old = await sb.remoteCreate({ title: "old", body: `spec\n\n${marker}` });
      now += 60_000;
      const since = new Date(now).toISOString();
      now += 1;
      const other = await sb.remoteCreate({ title: "other", body: "<!-- forgesync:task=T12 -->" });
      sb.log.reset();
      const found = await run(client.findByMarker(repo, marker, null));
      assertEquals(Option.getOrThrow(found).number, old);
      assertEquals(sb.log.entries.length, 1);
      assertStringIncludes(decodeURIComponent(sb.log.entries[0]!.query), 'content.raw ~ "forgesync:task=T1"');
      // With a since after the old issue: the recent scan misses, the search finds it.
      sb.log.reset();
      assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, since))).number, old);
      assertEquals(sb.log.entries.length, 2);
      assertStringIncludes(decodeURIComponent(sb.log.entries[0]!.query), "created_on >=");
      assertStringIncludes(decodeURIComponent(sb.log.entries[0]!.query), "sort=-created_on");
      // A recent issue is found by the recent scan alone.
      sb.log.reset();
      const t12 = await run(client.findByMarker(repo, "<!-- forgesync:task=T12 -->", since));
      assertEquals(Option.getOrThrow(t12).number, other);
      assertEquals(sb.log.entries.length, 1);
      // A prefix of another marker is not that marker.
      assert(Option.isNone(await run(client.findByMarker(repo, "<!-- forgesync:task=T -->", since))));
      assert(Option.isNone(await run(client.findByMarker(repo, "<!-- forgesync:feature=F9 -->", null))));
      // Two issues with one marker (a duplicate): the lowest number wins among those read; with a
      // since, the recent issues answer without the search.
      now += 1;
      const dup = await sb.remoteCreate({ title: "dup", body: marker });
      const dup2 = await sb.remoteCreate({ title: "dup2", body: marker });
      assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, null))).number, old);
      assertEquals(Option.getOrThrow(await run(client.findByMarker(repo, marker, since))).number, dup);
      assert(dup2 > dup);
    },
    "basic",
    { now: () => now },
  );
});

Deno.test("findByMarker() pages through many candidates", async () => {
  await withPlugin(async ({ client, repo, sb }) => {
    await sb.seedIssues(230, (i) => ({ title: `t${i}`, body: `forgesync:task=X${i}` }));
    const target = await sb.remoteCreate({ title: "target", body: "<!-- forgesync:task=X -->" });
    const found = await run(client.findByMarker(repo, "<!-- forgesync:task=X -->", null));
    assertEquals(Option.getOrThrow(found).number, target);
  });
});

Deno.test("listMilestones() reads Bitbucket's milestones; writing them is not offered", async () => {
  await withPlugin(async ({ client, repo }) => {
    const milestones = await run(client.listMilestones!(repo));
    assertEquals(milestones.map((m) => [m.id, m.title, m.state, m.due_on]), [
      ["1", "v1.0", "open", null],
      ["2", "v1.1", "open", null],
      ["3", "v2.0", "open", null],
    ]);
    assertEquals(client.createMilestone, undefined);
    assertEquals(client.closeMilestone, undefined);
    assertEquals(client.createRelease, undefined);
    assertEquals(client.generateNotes, undefined);
  }, "bearer");
});

Deno.test("the plugin never touches the global fetch", async () => {
  const original = globalThis.fetch;
  let global = 0;
  globalThis.fetch = (input, init) => {
    global++;
    return original(input, init);
  };
  try {
    await withPlugin(async ({ client, repo, fetched }) => {
      // env.fetch itself calls the global fetch once per request; nothing else may.
      await run(client.verify(repo));
      await run(client.createIssue(repo, { title: "x", body: "" }));
      await run(Effect.all([client.getIssue(repo, 1), client.listMilestones!(repo)]));
      assertEquals(global, fetched());
    });
  } finally {
    globalThis.fetch = original;
  }
});
