import { Option } from "effect";
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { REMOTE_STATUSES, type RepoRef } from "../../src/platform/mod.ts";
import { createGitLabSandbox } from "../../src/testing/gitlab_sandbox.ts";
import gitlab from "./mod.ts";
import { envFor, fail, run, withRig } from "./test_support.ts";

const repoOf = (path: string) => gitlab.parseRepository(path) as RepoRef;
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
