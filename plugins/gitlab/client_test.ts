import { Issues } from "@gitbeaker/rest";
import { Option } from "effect";
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { type RepoRef } from "../../src/platform/mod.ts";
import { createGitLabSandbox } from "../../src/testing/gitlab_sandbox.ts";
import gitlab from "./mod.ts";
import { envFor, fail, run, withRig } from "./test_support.ts";

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
