import { Option } from "effect";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { REMOTE_STATUSES, type RemoteStatus } from "../../src/platform/mod.ts";
import { failure, run, withPlugin } from "./test_support.ts";

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;
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
