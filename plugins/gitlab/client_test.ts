import { Issues } from "@gitbeaker/rest";
import { Effect, Option, Stream } from "effect";
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { REMOTE_STATUSES, type RemoteIssue, type RepoRef } from "../../src/platform/mod.ts";
import { createGitLabSandbox } from "../../src/testing/gitlab_sandbox.ts";
import gitlab from "./mod.ts";
import { collect, envFor, fail, run, withRig } from "./test_support.ts";

const repoOf = (path: string) => gitlab.parseRepository(path) as RepoRef;

Deno.test("connect() without a token fails Unauthorized naming the token variable", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    const e = await fail(
      gitlab.connect(envFor(sandbox, [], { token: undefined, tokenVariable: "ACME_GITLAB_TOKEN" })),
    );
    assertEquals(e.reason, "Unauthorized");
    assertStringIncludes(e.message, "ACME_GITLAB_TOKEN");
    const bad = await fail(gitlab.connect(envFor(sandbox, [], { apiUrl: "gitlab.example.com" })));
    assertEquals(bad.reason, "Invalid");
    assertStringIncludes(bad.message, '"gitlab.example.com"');
  } finally {
    await sandbox.close();
  }
});

Deno.test("verify() reports the project and write access, through env.fetch only", () =>
  withRig(async ({ sandbox, client, repo, sent }) => {
    const info = await run(client.verify(repo));
    assertEquals(info, {
      path: "forgesync/platform/widgets",
      url: `${sandbox.url}/forgesync/platform/widgets`,
      can_write: true,
    });
    assert(sent.length >= 1 && sent.every((u) => u.startsWith(`${sandbox.apiUrl}/`)));
    assertEquals(sent.length, sandbox.log.entries.length, "every request went through env.fetch");
    // A numeric project id works as well.
    assertEquals(
      (await run(client.verify(repoOf(String(sandbox.project.id))))).path,
      "forgesync/platform/widgets",
    );
  }));

Deno.test("verify() says a read_api Reporter token cannot write", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    const client = await run(gitlab.connect(envFor(sandbox, [], { token: sandbox.tokens.read })));
    assertEquals((await run(client.verify(repoOf(sandbox.repository)))).can_write, false);
  } finally {
    await sandbox.close();
  }
});

Deno.test("verify() maps an invisible project, a bad token and disabled issues", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    const outsider = await run(gitlab.connect(envFor(sandbox, [], { token: sandbox.tokens.none })));
    const hidden = await fail(outsider.verify(repoOf(sandbox.repository)));
    assertEquals(hidden.reason, "NotFound");
    assertEquals(
      hidden.message,
      'GitLab project "forgesync/platform/widgets" was not found or the token in GITLAB_TOKEN cannot see it.',
    );
    const wrong = await run(gitlab.connect(envFor(sandbox, [], { token: "glpat-not-a-real-token" })));
    const denied = await fail(wrong.verify(repoOf(sandbox.repository)));
    assertEquals(denied.reason, "Unauthorized");
    assertStringIncludes(denied.message, "GITLAB_TOKEN");
    assertFalse(denied.message.includes("glpat-not-a-real-token"));
    sandbox.project.issues_enabled = false;
    const writer = await run(gitlab.connect(envFor(sandbox, [])));
    const disabled = await fail(writer.verify(repoOf(sandbox.repository)));
    assertEquals(disabled.reason, "Invalid");
    assertStringIncludes(disabled.message, "Issues are disabled");
  } finally {
    await sandbox.close();
  }
});

Deno.test("OAuth tokens go as Bearer (by their look or GITLAB_AUTH=bearer); PRIVATE-TOKEN otherwise", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    const repo = repoOf(sandbox.repository);
    const oauth = await run(gitlab.connect(envFor(sandbox, [], { token: sandbox.tokens.oauth })));
    assertEquals((await run(oauth.verify(repo))).can_write, true);
    const forced = await run(
      gitlab.connect(envFor(sandbox, [], { token: sandbox.tokens.write, vars: { GITLAB_AUTH: "bearer" } })),
    );
    assertEquals((await run(forced.verify(repo))).can_write, true);
    // An OAuth token sent as PRIVATE-TOKEN is refused by GitLab: the setting is honoured.
    const wrongHeader = await run(
      gitlab.connect(
        envFor(sandbox, [], { token: sandbox.tokens.oauth, vars: { GITLAB_AUTH: "private-token" } }),
      ),
    );
    assertEquals((await fail(wrongHeader.verify(repo))).reason, "Unauthorized");
  } finally {
    await sandbox.close();
  }
});

Deno.test("a self-hosted GITLAB_API_URL is used for every request", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    for (const apiUrl of ["https://gitlab.example.com/api/v4", "https://gitlab.example.com/"]) {
      const sent: string[] = [];
      const env = envFor(sandbox, sent, {
        apiUrl,
        rewrite: (url) => url.replace("https://gitlab.example.com", sandbox.url),
      });
      const client = await run(gitlab.connect(env));
      const repo = repoOf("https://gitlab.example.com/forgesync/platform/widgets.git");
      const created = await run(client.createIssue(repo, { title: "Self-hosted", body: "b" }));
      assertEquals(
        (await run(client.getIssue(repo, created.number))).pipe(Option.map((i) => i.title)),
        Option.some("Self-hosted"),
      );
      assert(sent.length >= 2);
      for (const url of sent) {
        assert(
          url.startsWith("https://gitlab.example.com/api/v4/projects/forgesync%2Fplatform%2Fwidgets/"),
          url,
        );
      }
    }
  } finally {
    await sandbox.close();
  }
});

Deno.test("createIssue() writes every field and reads back a normalized issue", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const issue = await run(client.createIssue(repo, {
      title: "Ship the widget",
      body: "Body\n<!-- forgesync:feature=F-1 -->",
      status: "in_progress",
      labels: ["kind: feature", "ui"],
      assignees: ["bob", "alice"],
      milestone: "v1.1",
    }));
    assertEquals(issue.number, 1);
    assert(issue.id !== "1" && /^\d+$/.test(issue.id), "id is the global id");
    assertEquals(issue.url, `${sandbox.url}/forgesync/platform/widgets/-/issues/1`);
    assertEquals([issue.title, issue.body], ["Ship the widget", "Body\n<!-- forgesync:feature=F-1 -->"]);
    assertEquals(issue.status, "in_progress");
    assertEquals(issue.labels, ["kind: feature", "ui"]);
    assertEquals(issue.assignees, ["alice", "bob"]);
    assertEquals(issue.milestone, "v1.1");
    assert(/\.\d{3}Z$/.test(issue.updated_at));
    const stored = sandbox.readIssue(1)!;
    assertEquals(
      [stored.status, stored.labels, stored.assignees, stored.milestone],
      ["in_progress", ["kind: feature", "ui"], ["alice", "bob"], "v1.1"],
    );
    assertEquals(sandbox.rawIssue(1)!.labels, ["kind: feature", "status: in progress", "ui"]);
    assertEquals(sandbox.log.count({ method: "POST" }), 1);
    // Users and milestones are resolved once per client.
    await run(
      client.createIssue(repo, { title: "Again", body: "", assignees: ["alice"], milestone: "v1.1" }),
    );
    assertEquals(sandbox.log.count({ path: "/api/v4/users" }), 2);
    assertEquals(sandbox.log.count({ path: /\/milestones$/ }), 1);
    assertEquals((await run(client.getIssue(repo, 2))).pipe(Option.map((i) => i.body)), Option.some(""));
  }, { edition: "premium" }));

Deno.test("createIssue() with a closed status creates then closes, with the status label", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const failed = await run(
      client.createIssue(repo, { title: "Broken", body: "", status: "failed", labels: ["x"] }),
    );
    assertEquals([failed.status, failed.labels], ["failed", ["x"]]);
    assertEquals(sandbox.rawIssue(failed.number)!.state, "closed");
    const done = await run(client.createIssue(repo, { title: "Done", body: "", status: "completed" }));
    assertEquals([done.status, sandbox.rawIssue(done.number)!.labels], ["completed", []]);
  }));

Deno.test("createIssue() refuses unknown milestones, unknown users and comma labels, creating nothing", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const milestone = await fail(client.createIssue(repo, { title: "x", body: "", milestone: "v9.9" }));
    assertEquals(milestone.reason, "Invalid");
    assertStringIncludes(milestone.message, '"v9.9"');
    const user = await fail(client.createIssue(repo, { title: "x", body: "", assignees: ["nobody"] }));
    assertEquals(user.reason, "Invalid");
    assertStringIncludes(user.message, '"nobody"');
    const label = await fail(client.createIssue(repo, { title: "x", body: "", labels: ["a,b"] }));
    assertEquals(label.reason, "Invalid");
    const blank = await fail(client.createIssue(repo, { title: "   ", body: "" }));
    assertEquals(blank.reason, "Invalid");
    assertStringIncludes(blank.message, "title can't be blank");
    assertEquals(sandbox.issueNumbers(), []);
  }));

Deno.test("createIssue() works on a numeric project id and a second nested project", () =>
  withRig(async ({ sandbox, client }) => {
    const deep = sandbox.state.addProject({ path: "acme/platform/team/api" });
    deep.members.set(sandbox.state.userByName("forgesync-bot")!.id, 30);
    const byPath = await run(
      client.createIssue(repoOf("acme/platform/team/api"), { title: "Deep", body: "" }),
    );
    const byId = await run(client.createIssue(repoOf(String(deep.id)), { title: "By id", body: "" }));
    assertEquals([byPath.number, byId.number], [1, 2]);
    assertEquals(deep.issues.map((i) => i.title), ["Deep", "By id"]);
    assertEquals(sandbox.issueNumbers(), [], "the harness project is untouched");
  }));

Deno.test("updateIssue() sends only the fields present, status and labels in one PUT", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const [n] = await sandbox.seedIssues(1, () => ({
      title: "Seed",
      body: "Body",
      labels: ["keep"],
      assignees: ["alice"],
      milestone: "v1.0",
    }));
    const titled = await run(client.updateIssue(repo, n!, { title: "Renamed" }));
    assertEquals([titled.title, titled.body, titled.labels, titled.assignees, titled.milestone], [
      "Renamed",
      "Body",
      ["keep"],
      ["alice"],
      "v1.0",
    ]);
    sandbox.log.reset();
    const moved = await run(client.updateIssue(repo, n!, { status: "blocked", labels: ["keep", "new"] }));
    assertEquals([moved.status, moved.labels], ["blocked", ["keep", "new"]]);
    assertEquals(sandbox.log.count({ method: "PUT" }), 1);
    assertEquals(sandbox.log.entries.length, 1, "no read before the write");
    const closed = await run(client.updateIssue(repo, n!, { status: "cancelled", labels: [] }));
    assertEquals([closed.status, closed.labels, sandbox.rawIssue(n!)!.state], ["cancelled", [], "closed"]);
    const reopened = await run(client.updateIssue(repo, n!, { status: "open", labels: ["keep"] }));
    assertEquals([reopened.status, sandbox.rawIssue(n!)!.labels], ["open", ["keep"]]);
    const cleared = await run(client.updateIssue(repo, n!, { assignees: [], milestone: null, body: "" }));
    assertEquals([cleared.assignees, cleared.milestone, cleared.body], [[], null, ""]);
    const assigned = await run(
      client.updateIssue(repo, n!, { assignees: ["carol", "bob"], milestone: "v1.1" }),
    );
    assertEquals([assigned.assignees, assigned.milestone], [["bob", "carol"], "v1.1"]);
  }, { edition: "premium" }));

Deno.test("updateIssue() with status alone keeps labels; with labels alone keeps the status", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const [n] = await sandbox.seedIssues(1, () => ({ title: "S", labels: ["a", "b"], status: "blocked" }));
    const progressed = await run(client.updateIssue(repo, n!, { status: "in_progress" }));
    assertEquals([progressed.status, progressed.labels], ["in_progress", ["a", "b"]]);
    assertEquals(sandbox.rawIssue(n!)!.labels, ["a", "b", "status: in progress"]);
    const relabelled = await run(client.updateIssue(repo, n!, { labels: ["c"] }));
    assertEquals([relabelled.status, relabelled.labels], ["in_progress", ["c"]]);
    const done = await run(client.updateIssue(repo, n!, { status: "completed" }));
    assertEquals([done.status, done.labels, sandbox.rawIssue(n!)!.labels], ["completed", ["c"], ["c"]]);
  }));

Deno.test("updateIssue() with an empty patch reads; a missing issue is NotFound", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const [n] = await sandbox.seedIssues(1);
    sandbox.log.reset();
    assertEquals((await run(client.updateIssue(repo, n!, {}))).number, n);
    assertEquals(sandbox.log.count({ method: "PUT" }), 0);
    const missing = await fail(client.updateIssue(repo, 99, { title: "x" }));
    assertEquals(missing.reason, "NotFound");
    assertStringIncludes(missing.message, "#99");
    assertEquals((await fail(client.updateIssue(repo, 99, {}))).reason, "NotFound");
  }));

Deno.test("status maps both ways for every status", () =>
  withRig(async ({ sandbox, client, repo }) => {
    for (const status of REMOTE_STATUSES) {
      const created = await run(client.createIssue(repo, { title: status, body: "", status, labels: ["l"] }));
      assertEquals(sandbox.readIssue(created.number)!.status, status, `write ${status}`);
      assertEquals(sandbox.readIssue(created.number)!.labels, ["l"]);
    }
    const [n] = await sandbox.seedIssues(1);
    for (const status of REMOTE_STATUSES) {
      await sandbox.remoteEdit(n!, { status, labels: [] });
      const read = Option.getOrThrow(await run(client.getIssue(repo, n!)));
      assertEquals([read.status, read.labels], [status, []], `read ${status}`);
      const back = await run(client.updateIssue(repo, n!, { status: "open", labels: [] }));
      assertEquals(back.status, "open");
      const again = await run(client.updateIssue(repo, n!, { status, labels: ["z"] }));
      assertEquals(sandbox.readIssue(n!)!.status, status, `update to ${status}`);
      assertEquals(again.status, status);
    }
  }));

Deno.test("getIssue() is none for a missing or deleted issue, NotFound for a missing project", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const [n] = await sandbox.seedIssues(1);
    assert(Option.isSome(await run(client.getIssue(repo, n!))));
    assert(Option.isNone(await run(client.getIssue(repo, 999))));
    await sandbox.deleteIssue(n!);
    assert(Option.isNone(await run(client.getIssue(repo, n!))));
    const project = await fail(client.getIssue(repoOf("acme/missing"), 1));
    assertEquals(project.reason, "NotFound");
    assertStringIncludes(project.message, '"acme/missing"');
    // The global id is not an iid.
    const created = await run(client.createIssue(repo, { title: "x", body: "" }));
    assert(Option.isNone(await run(client.getIssue(repo, Number(created.id)))));
  }));

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

Deno.test("milestones: list, create, close by global id", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const listed = await run(client.listMilestones!(repo));
    assertEquals(listed.map((m) => m.title).sort(), ["v1.0", "v1.1"]);
    assert(listed.every((m) => m.state === "open" && /^\d+$/.test(m.id)));
    const created = await run(
      client.createMilestone!(repo, { title: "v2.0", description: "Next", due_on: "2026-12-31" }),
    );
    assertEquals([created.title, created.state, created.description, created.due_on], [
      "v2.0",
      "open",
      "Next",
      "2026-12-31",
    ]);
    const stored = sandbox.state.milestoneByTitle(sandbox.project, "v2.0")!;
    assertEquals(created.id, String(stored.id));
    assert(stored.id !== stored.iid);
    const closed = await run(client.closeMilestone!(repo, created.id));
    assertEquals([closed.state, stored.state], ["closed", "closed"]);
    // The new milestone can be used by title at once.
    const issue = await run(client.createIssue(repo, { title: "x", body: "", milestone: "v2.0" }));
    assertEquals(issue.milestone, "v2.0");
    const dup = await fail(client.createMilestone!(repo, { title: "v2.0" }));
    assertEquals(dup.reason, "Invalid");
    assertStringIncludes(dup.message, "has already been taken");
    assertEquals((await fail(client.closeMilestone!(repo, String(stored.iid)))).reason, "NotFound");
    assertEquals((await fail(client.closeMilestone!(repo, "v2.0"))).reason, "Invalid");
  }));

Deno.test("createRelease() tags the default branch unless a ref is given, with its milestone", () =>
  withRig(async ({ sandbox, client, repo }) => {
    const release = await run(client.createRelease!(repo, {
      tag: "v1.0.0",
      name: "One",
      body: "Notes",
      milestone: "v1.0",
    }));
    assertEquals(release, {
      tag: "v1.0.0",
      name: "One",
      body: "Notes",
      url: `${sandbox.url}/forgesync/platform/widgets/-/releases/v1.0.0`,
    });
    const stored = sandbox.project.releases.get("v1.0.0")!;
    assertEquals(stored.milestone_ids, [sandbox.state.milestoneByTitle(sandbox.project, "v1.0")!.id]);
    // The tag's release already exists (GitLab answers 409): it is that release, read back — a create
    // whose answer was lost landed — not a refusal that every later call would meet again.
    const again = await Effect.runPromise(
      client.createRelease!(repo, { tag: "v1.0.0", name: "Again", body: "", ref: "main" }),
    );
    assertEquals([again.tag, again.name, again.body], ["v1.0.0", "One", "Notes"]);
    assertEquals(sandbox.project.releases.size, 1);
    const missing = await fail(
      client.createRelease!(repo, { tag: "v2", name: "", body: "", milestone: "v9" }),
    );
    assertEquals(missing.reason, "Invalid");
    assertStringIncludes(missing.message, "Milestone(s) not found: v9");
  }));

Deno.test("Gitbeaker's retry is off: a POST answered 502 after the write leaves ONE issue", () =>
  withRig(async ({ sandbox, client, repo, sent }) => {
    sandbox.faults.add({ kind: "fail_after", method: "POST", path: /\/issues$/ });
    const e = await fail(client.createIssue(repo, { title: "Once", body: "<!-- forgesync:task=T-1 -->" }));
    assertEquals([e.reason, e.status], ["Transient", 502]);
    assertEquals(sandbox.issueNumbers(), [1]);
    assertEquals(sandbox.log.count({ method: "POST" }), 1);
    assertEquals(sent.length, 1);
    // The core would now look for the marker: it finds the one issue.
    const found = await run(
      client.findByMarker(repo, "<!-- forgesync:task=T-1 -->", new Date(Date.now() - 5000).toISOString()),
    );
    assertEquals(found.pipe(Option.map((i) => i.number)), Option.some(1));
  }));

Deno.test("contrast: Gitbeaker's default requester turns the same lost answer into a duplicate", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    sandbox.faults.add({ kind: "fail_after", method: "POST", path: /\/issues$/ });
    const issues = new Issues({ host: sandbox.url, token: sandbox.token });
    await issues.create(sandbox.repository, "Twice");
    assertEquals(sandbox.issueNumbers(), [1, 2], "this is why the plugin brings its own requester");
  } finally {
    await sandbox.close();
  }
});

Deno.test("429 and 502 are not re-sent by the plugin, for any method", () =>
  withRig(async ({ sandbox, client, repo }) => {
    sandbox.faults.add({ kind: "rate_limit", retryAfter: 7, method: "POST" });
    const limited = await fail(client.createIssue(repo, { title: "x", body: "" }));
    assertEquals([limited.reason, limited.retryAfterSeconds], ["RateLimited", 7]);
    sandbox.faults.add({ kind: "status", status: 502, method: "GET" });
    assertEquals((await fail(client.getIssue(repo, 1))).reason, "Transient");
    assertEquals(sandbox.log.entries.length, 2);
    assertEquals(sandbox.issueNumbers(), []);
  }));

Deno.test("error mapping through the wire: statuses, rate-limit headers, resets, garbage, refusals", () =>
  withRig(async ({ sandbox, client, repo }) => {
    await sandbox.seedIssues(1);
    const get = () => fail(client.getIssue(repo, 1));
    const expect = async (fault: Parameters<typeof sandbox.faults.add>[0], reason: string) => {
      sandbox.faults.add(fault);
      const e = await get();
      assertEquals(e.reason, reason, JSON.stringify(fault));
      assertFalse(e.message.includes(sandbox.token) || (e.hint ?? "").includes(sandbox.token));
      return e;
    };
    assertStringIncludes(
      (await expect({ kind: "status", status: 401 }, "Unauthorized")).message,
      "GITLAB_TOKEN",
    );
    await expect({ kind: "status", status: 403 }, "Forbidden");
    const gone = await expect({ kind: "status", status: 410, body: { message: "410 Gone" } }, "Gone");
    assertEquals(gone.status, 410);
    const invalid = await expect(
      { kind: "status", status: 422, body: { message: "Unprocessable thing" } },
      "Invalid",
    );
    assertStringIncludes(invalid.message, "Unprocessable thing");
    await expect({ kind: "status", status: 409, body: { message: "Conflict" } }, "Invalid");
    await expect({ kind: "status", status: 500 }, "Transient");
    await expect({ kind: "status", status: 503 }, "Transient");
    await expect({ kind: "reset" }, "Transient");
    await expect({ kind: "malformed" }, "Transient");
    const reset = Math.floor(Date.now() / 1000) + 40;
    const byReset = await expect(
      { kind: "status", status: 429, body: "Retry later\n", headers: { "ratelimit-reset": String(reset) } },
      "RateLimited",
    );
    assert(
      byReset.retryAfterSeconds! >= 38 && byReset.retryAfterSeconds! <= 40,
      String(byReset.retryAfterSeconds),
    );
    const bare = await expect({ kind: "status", status: 429 }, "RateLimited");
    assertEquals(bare.retryAfterSeconds, 60);
    const withHeader = await expect({ kind: "rate_limit", retryAfter: 3 }, "RateLimited");
    assertEquals(withHeader.retryAfterSeconds, 3);
    // A 400 validation answer from GitLab itself.
    const blank = await fail(client.updateIssue(repo, 1, { title: "" }));
    assertEquals([blank.reason, blank.status], ["Invalid", 400]);
    assertStringIncludes(blank.message, "title can't be blank");
    // A read-only token writing: insufficient scope.
    const reader = await run(gitlab.connect(envFor(sandbox, [], { token: sandbox.tokens.read })));
    const scope = await fail(reader.updateIssue(repo, 1, { title: "x" }));
    assertEquals(scope.reason, "Forbidden");
    assertStringIncludes(scope.message, '"api" scope');
  }));

Deno.test("a server that is gone is a Transient error", async () => {
  const sandbox = await createGitLabSandbox();
  const env = envFor(sandbox, []);
  await sandbox.close();
  const client = await run(gitlab.connect(env));
  const e = await fail(client.verify(repoOf(sandbox.repository)));
  assertEquals(e.reason, "Transient");
});

Deno.test("a timeout of the core's fetch is a Transient error", async () => {
  const sandbox = await createGitLabSandbox();
  try {
    sandbox.faults.add({ kind: "latency", ms: 300 });
    const env = envFor(sandbox, []);
    const client = await run(gitlab.connect({
      ...env,
      fetch: (input, init) => env.fetch(input, { ...init, signal: AbortSignal.timeout(5) }),
    }));
    const e = await fail(client.verify(repoOf(sandbox.repository)));
    assertEquals(e.reason, "Transient");
    assertStringIncludes(e.message, "TimeoutError");
  } finally {
    await sandbox.close();
  }
});
