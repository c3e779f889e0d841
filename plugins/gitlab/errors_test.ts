import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { PlatformError } from "../../src/platform/mod.ts";
import { DEFAULT_RATE_LIMIT_WAIT, type ErrorContext, gitLabMessage, toPlatformError } from "./errors.ts";
import { GitLabHttpError, GitLabTransportError } from "./requester.ts";

const NOW = Date.parse("2026-11-25T19:24:07.000Z");
const TOKEN = "glpat-secret-value-123";
const ctx: ErrorContext = {
  action: 'create an issue in "acme/widgets"',
  project: "acme/widgets",
  notFound: 'GitLab issue #9 was not found in "acme/widgets".',
  tokenVariable: "MY_GITLAB_TOKEN",
  token: TOKEN,
  now: () => NOW,
};

function http(status: number, body: unknown, headers: Record<string, string> = {}): GitLabHttpError {
  return new GitLabHttpError(
    status,
    new Headers(headers),
    body,
    "POST",
    "/api/v4/projects/acme%2Fwidgets/issues",
  );
}

Deno.test("gitLabMessage() reads every GitLab error body shape", () => {
  assertEquals(gitLabMessage({ message: "404 Project Not Found" }), "404 Project Not Found");
  assertEquals(
    gitLabMessage({ message: { title: ["can't be blank", "is too short"], labels: ["is invalid"] } }),
    "title can't be blank; title is too short; labels is invalid",
  );
  assertEquals(gitLabMessage({ error: "title is missing" }), "title is missing");
  assertEquals(
    gitLabMessage({ error: "insufficient_scope", error_description: "Needs api." }),
    "insufficient_scope: Needs api.",
  );
  assertEquals(gitLabMessage("Retry later\n"), "Retry later");
  assertEquals(gitLabMessage(null), "");
});

Deno.test("toPlatformError() maps statuses to reasons with messages that say what to do", () => {
  const e401 = toPlatformError(http(401, { message: "401 Unauthorized" }), ctx);
  assertEquals([e401.reason, e401.status], ["Unauthorized", 401]);
  assertStringIncludes(e401.message, "MY_GITLAB_TOKEN");
  assertStringIncludes(e401.hint!, "MY_GITLAB_TOKEN");

  const e403 = toPlatformError(http(403, { message: "403 Forbidden" }), ctx);
  assertEquals(e403.reason, "Forbidden");
  assertStringIncludes(e403.hint!, "Reporter");
  const scope = toPlatformError(http(403, { error: "insufficient_scope", scope: "api" }), ctx);
  assertStringIncludes(scope.message, '"api" scope');

  const project = toPlatformError(http(404, { message: "404 Project Not Found" }), ctx);
  assertEquals(project.reason, "NotFound");
  assertEquals(
    project.message,
    'GitLab project "acme/widgets" was not found or the token in MY_GITLAB_TOKEN cannot see it.',
  );
  const issue = toPlatformError(http(404, { message: "404 Issue Not Found" }), ctx);
  assertEquals(issue.message, 'GitLab issue #9 was not found in "acme/widgets".');

  assertEquals(toPlatformError(http(410, { message: "410 Gone" }), ctx).reason, "Gone");
  for (const status of [400, 409, 422]) {
    const e = toPlatformError(http(status, { message: { title: ["can't be blank"] } }), ctx);
    assertEquals(e.reason, "Invalid", String(status));
    assertStringIncludes(e.message, "title can't be blank");
  }
  for (const status of [500, 502, 503, 504]) {
    assertEquals(toPlatformError(http(status, { message: `${status}` }), ctx).reason, "Transient");
  }
  const retry503 = toPlatformError(http(503, "", { "retry-after": "5" }), ctx);
  assertEquals(retry503.retryAfterSeconds, 5);
});

Deno.test("toPlatformError() waits Retry-After, else RateLimit-Reset − now, else 60 s on 429", () => {
  const after = toPlatformError(http(429, "Retry later\n", { "retry-after": "17" }), ctx);
  assertEquals([after.reason, after.retryAfterSeconds], ["RateLimited", 17]);
  const date = toPlatformError(
    http(429, "", { "retry-after": new Date(NOW + 30_000).toUTCString() }),
    ctx,
  );
  assertEquals(date.retryAfterSeconds, 30);
  const reset = toPlatformError(http(429, "", { "ratelimit-reset": String(NOW / 1000 + 42) }), ctx);
  assertEquals(reset.retryAfterSeconds, 42);
  const pastReset = toPlatformError(http(429, "", { "ratelimit-reset": String(NOW / 1000 - 5) }), ctx);
  assertEquals(pastReset.retryAfterSeconds, 1);
  const neither = toPlatformError(http(429, { message: "429 Too Many Requests" }), ctx);
  assertEquals(neither.retryAfterSeconds, DEFAULT_RATE_LIMIT_WAIT);
  assertEquals(DEFAULT_RATE_LIMIT_WAIT, 60);
});

Deno.test("toPlatformError() reads Retry-After by the contract's one rule: a fraction rounds up", () => {
  // The plugin used to take whole seconds only and wait the default 60 s for "1.5".
  const fraction = toPlatformError(http(429, "", { "retry-after": "1.5" }), ctx);
  assertEquals(fraction.retryAfterSeconds, 2);
  const garbage = toPlatformError(http(429, "", { "retry-after": "soon" }), ctx);
  assertEquals(garbage.retryAfterSeconds, DEFAULT_RATE_LIMIT_WAIT);
});

Deno.test("toPlatformError() makes transport failures and unknown errors Transient", () => {
  const reset = toPlatformError(
    new GitLabTransportError("network", "GET /x: the answer broke off", "GET", "/x"),
    ctx,
  );
  assertEquals(reset.reason, "Transient");
  const malformed = toPlatformError(new GitLabTransportError("malformed", "not JSON", "GET", "/x"), ctx);
  assertEquals(malformed.reason, "Transient");
  assertEquals(toPlatformError(new TypeError("fetch failed"), ctx).reason, "Transient");
  const passthrough = new PlatformError({ reason: "Invalid", message: "x" });
  assert(toPlatformError(passthrough, ctx) === passthrough);
});

Deno.test("toPlatformError() never lets the token into a message", () => {
  const echoed = toPlatformError(http(422, { message: `token ${TOKEN} is weird` }), ctx);
  assertFalse(echoed.message.includes(TOKEN));
  assertStringIncludes(echoed.message, "[REDACTED]");
  assertEquals(echoed.status, 422);
  const thrown = toPlatformError(new Error(`boom ${TOKEN}`), ctx);
  assertFalse(thrown.message.includes(TOKEN));
});
