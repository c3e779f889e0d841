import { Effect, Redacted, Stream } from "effect";
import { assert, assertEquals, assertFalse, assertStringIncludes } from "../../src/testing/assert.ts";
import { DEFAULT_STATUS_LABELS, type PlatformError, type PluginEnv } from "../../src/platform/mod.ts";
import plugin from "./mod.ts";
import { failure, run, withPlugin } from "./test_support.ts";

const REPO = { platform: "bitbucket", path: "acme/widgets" };

function noSecrets(error: PlatformError, ...secrets: string[]): void {
  const text = `${error.message} ${error.hint ?? ""}`;
  for (const s of secrets) assertFalse(text.includes(s), `the error carries a secret: ${text}`);
}

/** An env whose fetch answers from `handler` (no server). */
function fakeEnv(
  handler: (url: string, init?: RequestInit) => Response,
  token = "tok-SECRET-123",
): PluginEnv {
  return {
    fetch: (input, init) => Promise.resolve(handler(String(input), init)),
    apiUrl: "https://api.bitbucket.test/2.0",
    token: Redacted.make(token),
    tokenVariable: "BITBUCKET_TOKEN",
    env: (name) => (name === "BITBUCKET_EMAIL" ? "me@example.com" : undefined),
    userAgent: "t",
    statusLabels: DEFAULT_STATUS_LABELS,
  };
}

Deno.test("401: Unauthorized naming the variable, in both auth modes, without the token", async () => {
  for (const mode of ["basic", "bearer"] as const) {
    await withPlugin(async ({ sb, env }) => {
      const client = await run(plugin.connect({ ...env, token: Redacted.make("wrong-token-value") }));
      const error = await failure(client.verify(REPO));
      assertEquals([error.reason, error.status], ["Unauthorized", 401]);
      assertStringIncludes(error.message, "BITBUCKET_TOKEN");
      assertStringIncludes(error.hint ?? "", "BITBUCKET_EMAIL");
      noSecrets(error, "wrong-token-value", sb.credentials.apiToken);
    }, mode);
  }
});

Deno.test("403: Forbidden for a read-only token writing and for a token without access", async () => {
  await withPlugin(async ({ client, sb }) => {
    const error = await failure(client.createIssue(REPO, { title: "x", body: "" }));
    assertEquals([error.reason, error.status], ["Forbidden", 403]);
    assertStringIncludes(error.message, "privilege scopes");
    assertStringIncludes(error.hint ?? "", "issue:write");
    assertEquals(sb.issueNumbers(), []);
  }, "bearer-readonly");
  await withPlugin(async ({ client }) => {
    assertEquals((await failure(client.verify(REPO))).reason, "Forbidden");
  }, "bearer-noaccess");
});

Deno.test("404: NotFound naming the repository and that the token may not see it", async () => {
  await withPlugin(async ({ client }) => {
    const nope = { platform: "bitbucket", path: "acme/nope" };
    for (const call of [client.verify(nope), client.createIssue(nope, { title: "x", body: "" })]) {
      const error = await failure(call);
      assertEquals([error.reason, error.status], ["NotFound", 404]);
      assertStringIncludes(error.message, "acme/nope");
      assertStringIncludes(error.message, "cannot see it");
    }
  });
});

Deno.test("400: Invalid with Bitbucket's message; an unknown assignee hints at account ids", async () => {
  await withPlugin(async ({ client, sb }) => {
    const milestone = await failure(client.createIssue(REPO, { title: "x", body: "", milestone: "v9" }));
    assertEquals([milestone.reason, milestone.status], ["Invalid", 400]);
    assertStringIncludes(milestone.message, 'No milestone named \\"v9\\"'.replaceAll("\\", ""));
    const assignee = await failure(client.createIssue(REPO, { title: "x", body: "", assignees: ["bob"] }));
    assertEquals(assignee.reason, "Invalid");
    assertStringIncludes(assignee.message, "assignee");
    assertStringIncludes(assignee.hint ?? "", "account_id");
    assertEquals(sb.issueNumbers(), []);
  });
});

Deno.test("faults map to reasons: 410 Gone, 422 Invalid, 5xx/reset/malformed Transient, 429 RateLimited", async () => {
  await withPlugin(async ({ client, sb }) => {
    const [n] = await sb.seedIssues(1);
    const cases: Array<[() => void, string, number | undefined]> = [
      [() => sb.faults.add({ kind: "status", status: 410 }), "Gone", undefined],
      [() => sb.faults.add({ kind: "status", status: 422 }), "Invalid", undefined],
      [() => sb.faults.add({ kind: "status", status: 500 }), "Transient", undefined],
      [() => sb.faults.add({ kind: "status", status: 502 }), "Transient", undefined],
      [
        () => sb.faults.add({ kind: "status", status: 503, headers: { "retry-after": "30" } }),
        "Transient",
        30,
      ],
      [() => sb.faults.add({ kind: "reset" }), "Transient", undefined],
      [() => sb.faults.add({ kind: "malformed" }), "Transient", undefined],
      [() => sb.faults.add({ kind: "rate_limit", retryAfter: 7 }), "RateLimited", 7],
    ];
    for (const [arm, reason, wait] of cases) {
      arm();
      const error = await failure(client.getIssue(REPO, n!));
      assertEquals([error.reason, error.retryAfterSeconds], [reason, wait], reason);
      noSecrets(error, sb.credentials.apiToken);
    }
    // A write whose answer was lost is Transient (the core then looks for the marker).
    sb.faults.add({ kind: "fail_after", method: "POST" });
    assertEquals((await failure(client.createIssue(REPO, { title: "lost", body: "" }))).reason, "Transient");
    sb.faults.add({ kind: "malformed", method: "PUT" });
    assertEquals((await failure(client.updateIssue(REPO, n!, { title: "garbled" }))).reason, "Transient");
    // Listings fail the stream the same way.
    sb.faults.add({ kind: "status", status: 503 });
    assertEquals((await failure(Stream.runCollect(client.listChanged(REPO, null)))).reason, "Transient");
  });
});

Deno.test("a 5xx waits for its Retry-After only, never for the rate-limit reset an answer carries", async () => {
  // The reset says when the request budget refills; a 503 is not about the budget. Read as a wait,
  // it made a 5xx ask for up to an hour, past the core's longest wait: the core did not retry it.
  const reset = String(Math.ceil(Date.now() / 1000) + 3600);
  const client = await run(
    plugin.connect(fakeEnv(() =>
      Response.json({ type: "error", error: { message: "Service unavailable" } }, {
        status: 503,
        headers: { "x-ratelimit-reset": reset, "x-ratelimit-limit": "1000", "x-ratelimit-remaining": "998" },
      })
    )),
  );
  const error = await failure(client.getIssue(REPO, 1));
  assertEquals([error.reason, error.retryAfterSeconds], ["Transient", undefined]);
});

Deno.test("429 without Retry-After: the X-RateLimit-Reset of access tokens, else 60 s", async () => {
  await withPlugin(
    async ({ client }) => {
      await run(client.verify(REPO));
      const error = await failure(client.verify(REPO));
      assertEquals(error.reason, "RateLimited");
      // The budget resets an hour after its first use (moments ago).
      const wait = error.retryAfterSeconds!;
      assert(wait > 3500 && wait <= 3601, `retryAfterSeconds ${wait}`);
    },
    "bearer",
    { rateLimit: 1 },
  );
  await withPlugin(
    async ({ client }) => {
      await run(client.getIssue(REPO, 1));
      const error = await failure(client.getIssue(REPO, 1));
      assertEquals([error.reason, error.retryAfterSeconds], ["RateLimited", 60]);
    },
    "basic",
    { rateLimit: 1 },
  );
});

Deno.test("an unreachable forge is Transient", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const client = await run(plugin.connect({
    ...fakeEnv(() => new Response()),
    fetch,
    apiUrl: `http://127.0.0.1:${port}/2.0`,
  }));
  const error = await failure(client.verify(REPO));
  assertEquals(error.reason, "Transient");
  noSecrets(error, "tok-SECRET-123");
});

Deno.test("a token echoed by the forge is redacted from messages", async () => {
  const basic = btoa("me@example.com:tok-SECRET-123");
  const client = await run(
    plugin.connect(
      fakeEnv(() =>
        Response.json({ type: "error", error: { message: `bad token tok-SECRET-123 (${basic})` } }, {
          status: 400,
        })
      ),
    ),
  );
  const error = await failure(client.getIssue(REPO, 1));
  assertEquals(error.reason, "Invalid");
  assertStringIncludes(error.message, "[REDACTED]");
  noSecrets(error, "tok-SECRET-123", basic);
});

Deno.test("the adapter follows next links only on the configured API origin", async () => {
  const asked: string[] = [];
  const issue = (id: number) => ({
    type: "issue",
    id,
    title: `t${id}`,
    content: { raw: "" },
    state: "new",
    created_on: "2026-01-01T00:00:00.000001+00:00",
    updated_on: "2026-01-01T00:00:00.000001+00:00",
  });
  const client = await run(plugin.connect(fakeEnv((url) => {
    asked.push(url);
    return Response.json({
      values: [issue(1)],
      pagelen: 100,
      next: "https://evil.example/2.0/repositories/acme/widgets/issues?page=2",
    });
  })));
  const error = await failure(
    Stream.runCollect(client.listChanged(REPO, '{"since":"2026-01-01T00:00:00.000001+00:00"}')),
  );
  assertEquals(error.reason, "Transient");
  assertStringIncludes(error.message, "next");
  assertEquals(asked.length, 1);
  assert(asked[0]!.startsWith("https://api.bitbucket.test/2.0/repositories/acme/widgets/issues?"));
  // Basic auth goes out as "email:token" (BITBUCKET_EMAIL is set in this env).
  let auth = "";
  const probe = await run(plugin.connect(fakeEnv((_, init) => {
    auth = new Headers(init?.headers).get("authorization") ?? "";
    return Response.json({ full_name: "acme/widgets", has_issues: true, links: { html: { href: "h" } } });
  })));
  await Effect.runPromise(Effect.result(probe.verify(REPO)));
  assertEquals(auth, `Basic ${btoa("me@example.com:tok-SECRET-123")}`);
});
