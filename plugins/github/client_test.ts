/**
 * The GitHub plugin's operations with the real Octokit against the GitHub sandbox.
 */
import { Effect, Option, Redacted } from "effect";
import { REMOTE_STATUSES } from "../../src/platform/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import github from "./mod.ts";
import { connectTo, envFor, failure, run } from "./test_helpers.ts";

Deno.test("connect without a token fails Unauthorized, naming the variable and how to get one", async () => {
  const gh = await createGitHubSandbox();
  try {
    for (const token of [undefined, Redacted.make("  ")]) {
      const e = await failure(github.connect(envFor(gh, { token, tokenVariable: "MY_GH_TOKEN" })));
      assertEquals(e.reason, "Unauthorized");
      assertStringIncludes(e.message, "MY_GH_TOKEN");
      assertStringIncludes(e.message, '"repo" scope');
      assertStringIncludes(e.message, "Issues: read and write");
      assertStringIncludes(e.hint ?? "", "MY_GH_TOKEN");
    }
    const bad = await failure(github.connect(envFor(gh, { apiUrl: "not a url" })));
    assertEquals(bad.reason, "Invalid");
  } finally {
    await gh.close();
  }
});

Deno.test("every request goes through env.fetch with the token, User-Agent and base URL", async () => {
  const gh = await createGitHubSandbox();
  try {
    const seen: Array<{ url: string; auth: string | null; ua: string | null }> = [];
    const counting: typeof fetch = (input, init) => {
      const req = new Request(input, init);
      seen.push({ url: req.url, auth: req.headers.get("authorization"), ua: req.headers.get("user-agent") });
      return fetch(req);
    };
    const { client, repo } = await connectTo(gh, { fetch: counting, userAgent: "forgesync/9.9" });
    await run(client.verify(repo));
    assertEquals(seen.length, 1);
    assertEquals(seen[0]!.url, `${gh.apiUrl}/repos/${gh.repository}`);
    assertMatch(seen[0]!.auth ?? "", new RegExp(`^(token|bearer) ${gh.token}$`, "i"));
    assertMatch(seen[0]!.ua ?? "", /^forgesync\/9\.9/);
  } finally {
    await gh.close();
  }
});

Deno.test("verify reports write access, read-only tokens and repositories without issues", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    assertEquals(await run(client.verify(repo)), {
      path: gh.repository,
      url: `${gh.url}/${gh.repository}`,
      can_write: true,
    });
    const reader = await connectTo(gh, { token: Redacted.make(gh.tokens.read) });
    assertEquals((await run(reader.client.verify(repo))).can_write, false);
    const off = await failure(client.verify({ platform: "github", path: gh.noIssuesRepository }));
    assertEquals(off.reason, "Invalid");
    assertStringIncludes(off.message, "Issues are turned off");
    const none = await connectTo(gh, { token: Redacted.make(gh.tokens.none) });
    assertEquals((await failure(none.client.verify(repo))).reason, "NotFound");
  } finally {
    await gh.close();
  }
});

Deno.test("createIssue writes every field and every status in GitHub's representation", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    for (const status of REMOTE_STATUSES) {
      const made = await run(client.createIssue(repo, {
        title: `Ünïcode ${status} 🚀`,
        body: "body\n<!-- forgesync:task=t1 -->",
        status,
        labels: ["zeta", "alpha"],
        assignees: ["bob", "alice"],
        milestone: "v1.0",
      }));
      assertEquals(made.status, status);
      assertEquals(made.labels, ["alpha", "zeta"]);
      assertEquals(made.assignees, ["alice", "bob"]);
      assertEquals(made.milestone, "v1.0");
      assertMatch(made.id, /^I_/);
      assertEquals(made.url, `${gh.url}/${gh.repository}/issues/${made.number}`);
      const held = gh.readIssue(made.number)!;
      assertEquals([held.status, held.labels, held.milestone, held.title], [
        status,
        ["alpha", "zeta"],
        "v1.0",
        made.title,
      ]);
    }
    const plain = await run(client.createIssue(repo, { title: "plain", body: "" }));
    assertEquals([plain.status, plain.body, plain.labels, plain.milestone], ["open", "", [], null]);
  } finally {
    await gh.close();
  }
});

Deno.test("createIssue with an unknown milestone fails Invalid, naming it, and creates nothing", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const e = await failure(client.createIssue(repo, { title: "x", body: "", milestone: "v9.9" }));
    assertEquals(e.reason, "Invalid");
    assertStringIncludes(e.message, '"v9.9"');
    assertStringIncludes(e.message, '"v1.0"');
    assertEquals(gh.issueNumbers(), []);
    assertEquals(gh.milestones, ["v1.0", "v2.0"], "no milestone was created silently");
  } finally {
    await gh.close();
  }
});

Deno.test("updateIssue sends only the fields present", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const n = await gh.remoteCreate({
      title: "before",
      body: "b",
      labels: ["keep"],
      assignees: ["carol"],
      milestone: "v1.0",
      status: "blocked",
    });
    const bodies: unknown[] = [];
    const spy = await connectTo(gh, {
      fetch: async (input, init) => {
        const req = new Request(input, init);
        if (req.method === "PATCH") bodies.push(await req.clone().json());
        return fetch(req);
      },
    });
    const after = await run(spy.client.updateIssue(repo, n, { title: "after" }));
    assertEquals(bodies, [{ title: "after" }]);
    assertEquals([after.title, after.body, after.status, after.labels, after.assignees, after.milestone], [
      "after",
      "b",
      "blocked",
      ["keep"],
      ["carol"],
      "v1.0",
    ]);
    const cleared = await run(client.updateIssue(repo, n, { milestone: null, assignees: [], body: "" }));
    assertEquals([cleared.milestone, cleared.assignees, cleared.body, cleared.status], [
      null,
      [],
      "",
      "blocked",
    ]);
    const unchanged = await run(client.updateIssue(repo, n, {}));
    assertEquals(unchanged.title, "after");
  } finally {
    await gh.close();
  }
});

Deno.test("status and labels: together in one request, or the missing one read first", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const n = await gh.remoteCreate({ title: "s", labels: ["a"], status: "in_progress" });
    const both = await run(client.updateIssue(repo, n, { status: "blocked", labels: ["b"] }));
    assertEquals([both.status, both.labels], ["blocked", ["b"]]);
    const onlyStatus = await run(client.updateIssue(repo, n, { status: "failed" }));
    assertEquals([onlyStatus.status, onlyStatus.labels], ["failed", ["b"]], "labels kept");
    const onlyLabels = await run(client.updateIssue(repo, n, { labels: ["c", "d"] }));
    assertEquals([onlyLabels.status, onlyLabels.labels], ["failed", ["c", "d"]], "status kept");
    assertEquals(gh.readIssue(n)!.status, "failed");
  } finally {
    await gh.close();
  }
});

Deno.test("updateIssue moves a closed issue between close reasons (GitHub needs a reopen)", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    for (
      const [from, to] of [["completed", "cancelled"], ["cancelled", "completed"], [
        "failed",
        "completed",
      ]] as const
    ) {
      const n = await gh.remoteCreate({ title: `${from}→${to}`, status: from });
      const done = await run(client.updateIssue(repo, n, { status: to, labels: [] }));
      assertEquals(done.status, to);
      assertEquals(gh.readIssue(n)!.status, to);
    }
    for (const from of REMOTE_STATUSES) {
      for (const to of REMOTE_STATUSES) {
        const n = await gh.remoteCreate({ title: "pair", status: from, labels: ["x"] });
        const done = await run(client.updateIssue(repo, n, { status: to, labels: ["x"] }));
        assertEquals([done.status, gh.readIssue(n)!.status, done.labels], [to, to, ["x"]], `${from} → ${to}`);
      }
    }
  } finally {
    await gh.close();
  }
});

Deno.test("getIssue: the issue, none for missing ones and pull requests, Gone for deleted ones", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const n = await gh.remoteCreate({ title: "here", body: "text", status: "cancelled" });
    const got = await run(client.getIssue(repo, n));
    assert(Option.isSome(got));
    assertEquals([got.value.title, got.value.body, got.value.status], ["here", "text", "cancelled"]);
    assert(Option.isNone(await run(client.getIssue(repo, 4242))));
    assert(Option.isNone(await run(client.getIssue(repo, 1))), "#1 is a pull request");
    await gh.deleteIssue(n);
    const gone = await failure(client.getIssue(repo, n));
    assertEquals([gone.reason, gone.status], ["Gone", 410]);
    assertEquals((await failure(client.updateIssue(repo, 4242, { title: "x" }))).reason, "NotFound");
  } finally {
    await gh.close();
  }
});

Deno.test("milestones: list, create with a due date, close by number or title", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const before = await run(client.listMilestones!(repo));
    assertEquals(before.map((m) => [m.title, m.state, m.due_on]), [["v1.0", "open", "2027-01-15"], [
      "v2.0",
      "open",
      null,
    ]]);
    const made = await run(
      client.createMilestone!(repo, { title: "v3.0", description: "Third", due_on: "2026-12-01" }),
    );
    assertEquals([made.title, made.due_on, made.description, made.state], [
      "v3.0",
      "2026-12-01",
      "Third",
      "open",
    ]);
    assertMatch(made.url ?? "", /\/milestone\/3$/);
    const dup = await failure(client.createMilestone!(repo, { title: "v3.0" }));
    assertEquals(dup.reason, "Invalid");
    assertStringIncludes(dup.message, "already_exists");
    assertEquals(
      (await failure(client.createMilestone!(repo, { title: "v4", due_on: "soon" }))).reason,
      "Invalid",
    );
    assertEquals((await run(client.closeMilestone!(repo, made.id))).state, "closed");
    assertEquals((await run(client.closeMilestone!(repo, "v1.0"))).state, "closed");
    const unknown = await failure(client.closeMilestone!(repo, "v8"));
    assertEquals(unknown.reason, "Invalid");
    assertStringIncludes(unknown.message, '"v8"');
    const all = await run(client.listMilestones!(repo));
    assertEquals(all.map((m) => `${m.title}:${m.state}`).sort(), ["v1.0:closed", "v2.0:open", "v3.0:closed"]);
    const closedTitle = await run(client.createIssue(repo, { title: "late", body: "", milestone: "v3.0" }));
    assertEquals(closedTitle.milestone, "v3.0", "closed milestones still resolve by title");
  } finally {
    await gh.close();
  }
});

Deno.test("milestones list every page", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    for (let i = 0; i < 105; i++) {
      await run(client.createMilestone!(repo, { title: `m${i}` }));
    }
    assertEquals((await run(client.listMilestones!(repo))).length, 107);
  } finally {
    await gh.close();
  }
});

Deno.test("releases and generated notes", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 2 });
  try {
    const { client, repo } = await connectTo(gh);
    const notes = await run(client.generateNotes!(repo, { tag: "v1.0.0" }));
    assertStringIncludes(notes, "Sandbox pull request 2");
    const release = await run(
      client.createRelease!(repo, { tag: "v1.0.0", name: "One", body: notes, ref: "main" }),
    );
    assertEquals([release.tag, release.name, release.body], ["v1.0.0", "One", notes]);
    assertMatch(release.url ?? "", /\/releases\/tag\/v1\.0\.0$/);
    // The tag's release already exists (422 already_exists): it is that release, read back — a create
    // whose answer was lost landed — not a refusal that every later call would meet again.
    const again = await run(client.createRelease!(repo, { tag: "v1.0.0", name: "", body: "" }));
    assertEquals([again.tag, again.name, again.url], ["v1.0.0", "One", release.url]);
    assertEquals(gh.repoRec.releases.length, 1);
    const next = await run(client.generateNotes!(repo, { tag: "v1.1.0", previous_tag: "v1.0.0" }));
    assertStringIncludes(next, "compare/v1.0.0...v1.1.0");
  } finally {
    await gh.close();
  }
});

Deno.test("the client holds no state between calls: two clients see each other's writes", async () => {
  const gh = await createGitHubSandbox();
  try {
    const a = await connectTo(gh);
    const b = await connectTo(gh);
    const made = await run(a.client.createIssue(a.repo, { title: "shared", body: "" }));
    await run(b.client.updateIssue(b.repo, made.number, { title: "changed by b" }));
    const seen = await Effect.runPromise(a.client.getIssue(a.repo, made.number));
    assertEquals(Option.getOrThrow(seen).title, "changed by b");
  } finally {
    await gh.close();
  }
});
