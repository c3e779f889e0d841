import { Effect, Redacted } from "effect";
import { assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { DEFAULT_STATUS_LABELS } from "../../src/platform/mod.ts";
import plugin from "./mod.ts";
import { failure, run, withPlugin } from "./test_support.ts";

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
