/**
 * Error mapping: Octokit failures → PlatformError, unit by unit and end to end with the real
 * Octokit against the GitHub sandbox. No message may carry the token.
 */
import { Effect, Option, Redacted } from "effect";
import { type PlatformError, redact, retryAfterSeconds } from "../../src/platform/mod.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { toPlatformError } from "./errors.ts";
import { connectTo, failure, run } from "./test_helpers.ts";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
const ctx = { tokenVariable: "GITHUB_TOKEN", token: TOKEN, now: () => NOW };

function httpError(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(typeof data === "object" ? JSON.stringify(data) : String(data)), {
    name: "HttpError",
    status,
    response: { status, url: "https://api.github.com/x", headers, data },
  });
}

const map = (e: unknown) => toPlatformError(e, "reading issue #1 of o/r", ctx);

Deno.test("statuses map to reasons", () => {
  const cases: Array<[unknown, string, number | undefined]> = [
    [httpError(401, { message: "Bad credentials" }), "Unauthorized", undefined],
    [httpError(403, { message: "Resource not accessible by personal access token" }), "Forbidden", undefined],
    [httpError(404, { message: "Not Found" }), "NotFound", undefined],
    [httpError(410, { message: "This issue was deleted" }), "Gone", undefined],
    [httpError(422, { message: "Validation Failed" }), "Invalid", undefined],
    [httpError(400, { message: "Problems parsing JSON" }), "Invalid", undefined],
    [httpError(500, { message: "Server Error" }), "Transient", undefined],
    [httpError(502, "<html>Bad gateway</html>"), "Transient", undefined],
    [httpError(503, { message: "x" }, { "retry-after": "9" }), "Transient", 9],
    [httpError(429, { message: "slow down" }, { "retry-after": "7" }), "RateLimited", 7],
    [httpError(429, { message: "slow down" }), "RateLimited", 60],
    [
      httpError(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "30" }),
      "RateLimited",
      30,
    ],
    [
      httpError(403, { message: "You have exceeded a secondary rate limit. Please wait." }),
      "RateLimited",
      60,
    ],
    [
      httpError(403, { message: "API rate limit exceeded for user ID 1." }, {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(NOW / 1000 + 1234),
      }),
      "RateLimited",
      1234,
    ],
    [httpError(304, ""), "Transient", undefined],
  ];
  for (const [error, reason, retry] of cases) {
    const e = map(error);
    assertEquals(
      [e.reason, e.retryAfterSeconds],
      [reason, retry],
      JSON.stringify((error as { status: number }).status),
    );
    assertStringIncludes(e.message, "o/r");
  }
});

Deno.test("messages say what failed and what to do, naming the variable and never the token", () => {
  const unauthorized = map(httpError(401, { message: "Bad credentials" }));
  assertEquals(
    unauthorized.message,
    "GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials) while reading issue #1 of o/r.",
  );
  assertStringIncludes(unauthorized.hint ?? "", '"repo" scope');
  const invalid = map(httpError(422, {
    message: "Validation Failed",
    errors: [{ resource: "Issue", field: "assignees", code: "invalid", value: "mallory" }, {
      resource: "Issue",
      code: "custom",
      field: "title",
      message: "title is too long",
    }],
  }));
  assertStringIncludes(
    invalid.message,
    'Validation Failed: Issue.assignees invalid "mallory"; title is too long',
  );
  const leaky = map(httpError(403, { message: `nope for ${TOKEN} with Authorization: token ${TOKEN}` }));
  assert(!leaky.message.includes(TOKEN), leaky.message);
  assertStringIncludes(leaky.message, "[REDACTED]");
  const other = map(
    httpError(403, { message: "token github_pat_11ABCDEFG0123456789_abcdefghijklmnop leaked" }),
  );
  assert(!other.message.includes("github_pat_11"), other.message);
});

Deno.test("network failures, timeouts and non-HTTP errors are Transient", () => {
  const refused = Object.assign(new Error("fetch failed"), {
    name: "HttpError",
    status: 500,
    cause: new TypeError("Connection refused (os error 111)"),
  });
  const e1 = map(refused);
  assertEquals(e1.reason, "Transient");
  assertStringIncludes(e1.message, "Could not reach GitHub");
  const timeout = map(Object.assign(new Error("x"), {
    status: 500,
    cause: new DOMException("Signal timed out.", "TimeoutError"),
  }));
  assertEquals(timeout.reason, "Transient");
  assertStringIncludes(timeout.message, "did not answer in time");
  assertEquals(map(new TypeError("boom")).reason, "Transient");
  assertEquals(map("weird").reason, "Transient");
});

Deno.test("retry-after in seconds or as a date; the redaction removes secrets (the contract's, which the plugin uses)", () => {
  const wait = (value?: string) =>
    retryAfterSeconds(value === undefined ? {} : { "retry-after": value }, NOW);
  assertEquals(wait("12"), 12);
  assertEquals(wait(new Date(NOW + 5_000).toUTCString()), 5);
  assertEquals(wait("soon"), undefined);
  assertEquals(wait(undefined), undefined);
  assertEquals(redact(`a ${TOKEN} b`, [TOKEN]), "a [REDACTED] b");
  assertEquals(redact("authorization: bearer abc.def"), "authorization: [REDACTED]");
});

async function expectReason(
  effect: Effect.Effect<unknown, PlatformError>,
  reason: string,
  token: string,
): Promise<PlatformError> {
  const e = await failure(effect);
  assertEquals(e.reason, reason, e.message);
  assert(!`${e.message} ${e.hint ?? ""}`.includes(token), `the token leaked: ${e.message}`);
  return e;
}

Deno.test("end to end with Octokit: 401, 403, 404, 410, 422", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const n = await gh.remoteCreate({ title: "x" });

    const bad = await connectTo(gh, { token: Redacted.make("ghp_wrongwrongwrongwrongwrongwrong0000") });
    const e401 = await expectReason(bad.client.verify(repo), "Unauthorized", "ghp_wrongwrong");
    assertStringIncludes(e401.message, "GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials)");

    const reader = await connectTo(gh, { token: Redacted.make(gh.tokens.read) });
    const e403 = await expectReason(
      reader.client.updateIssue(repo, n, { title: "y" }),
      "Forbidden",
      gh.tokens.read,
    );
    assertStringIncludes(e403.message, "Resource not accessible by personal access token");

    await expectReason(
      client.verify({ platform: "github", path: "sandbox-org/nothing" }),
      "NotFound",
      gh.token,
    );
    await gh.deleteIssue(n);
    await expectReason(client.getIssue(repo, n), "Gone", gh.token);
    const live = await gh.remoteCreate({ title: "live" });
    const e422 = await expectReason(
      client.updateIssue(repo, live, { assignees: ["mallory"] }),
      "Invalid",
      gh.token,
    );
    assertStringIncludes(e422.message, "assignees");
  } finally {
    await gh.close();
  }
});

Deno.test("end to end with Octokit: rate limits, primary and secondary", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    gh.setBudget(0);
    const primary = await expectReason(client.verify(repo), "RateLimited", gh.token);
    assert((primary.retryAfterSeconds ?? 0) > 3500, `waits for the reset: ${primary.retryAfterSeconds}`);
    assertStringIncludes(primary.message, "GITHUB_TOKEN");
    gh.setBudget(100);
    gh.faults.add({ kind: "rate_limit", status: 403, retryAfter: 17 });
    assertEquals((await expectReason(client.verify(repo), "RateLimited", gh.token)).retryAfterSeconds, 17);
    gh.faults.add({ kind: "rate_limit", status: 429, retryAfter: 4 });
    assertEquals((await expectReason(client.verify(repo), "RateLimited", gh.token)).retryAfterSeconds, 4);
    gh.faults.add({
      kind: "status",
      status: 403,
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    });
    assertEquals((await expectReason(client.verify(repo), "RateLimited", gh.token)).retryAfterSeconds, 60);
  } finally {
    gh.faults.clear();
    await gh.close();
  }
});

Deno.test("end to end with Octokit: 5xx, resets, malformed bodies, timeouts, refused connections", async () => {
  const gh = await createGitHubSandbox();
  try {
    const { client, repo } = await connectTo(gh);
    const n = await gh.remoteCreate({ title: "x" });
    for (const status of [500, 502, 503, 504]) {
      gh.faults.add({ kind: "status", status });
      const e = await expectReason(client.getIssue(repo, n), "Transient", gh.token);
      assertEquals(e.status, status);
    }
    gh.faults.add({ kind: "status", status: 503, headers: { "retry-after": "11" } });
    assertEquals((await expectReason(client.getIssue(repo, n), "Transient", gh.token)).retryAfterSeconds, 11);
    gh.faults.add({ kind: "reset" });
    await expectReason(client.getIssue(repo, n), "Transient", gh.token);
    gh.faults.add({ kind: "malformed" });
    assertStringIncludes(
      (await expectReason(client.getIssue(repo, n), "Transient", gh.token)).message,
      "malformed",
    );
    gh.faults.add({ kind: "malformed" });
    await expectReason(client.verify(repo), "Transient", gh.token);
    gh.faults.add({ kind: "fail_after", method: "PATCH" });
    await expectReason(client.updateIssue(repo, n, { title: "written" }), "Transient", gh.token);
    assertEquals(gh.readIssue(n)!.title, "written", "the write happened behind the 502");

    const impatient: typeof fetch = (input, init) =>
      fetch(new Request(input, { ...init, signal: AbortSignal.timeout(20) }));
    const slow = await connectTo(gh, { fetch: impatient });
    gh.faults.add({ kind: "latency", ms: 200 });
    const timeout = await expectReason(slow.client.getIssue(repo, n), "Transient", gh.token);
    assertMatch(timeout.message, /did not answer in time|Could not reach/);
    assert(Option.isSome(await run(client.getIssue(repo, n))), "the sandbox still answers");
  } finally {
    gh.faults.clear();
    await gh.close();
  }
  const { client, repo } = await connectTo(gh);
  const refused = await expectReason(client.verify(repo), "Transient", gh.token);
  assertStringIncludes(refused.message, "Could not reach GitHub");
});
