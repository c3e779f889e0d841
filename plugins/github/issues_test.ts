/**
 * The GitHub plugin's operations with the real Octokit against the GitHub sandbox.
 */
import { Option, Redacted } from "effect";
import { REMOTE_STATUSES } from "../../src/platform/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { connectTo, failure, run } from "./test_helpers.ts";

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
