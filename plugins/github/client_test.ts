/**
 * The GitHub plugin's operations with the real Octokit against the GitHub sandbox.
 */
import { Effect, Option, Redacted } from "effect";
import { assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
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
