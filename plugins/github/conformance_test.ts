/**
 * The plugin conformance kit (src/testing/conformance.ts) run against the GitHub plugin and
 * the GitHub sandbox; every exchange it caused is then checked against GitHub's published
 * definitions (see contract_test.ts).
 */
import github from "./mod.ts";
import { assertEquals } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { runConformance } from "../../src/testing/conformance.ts";
import { checkGitHubExchanges, formatProblems } from "../../src/testing/contract/github.ts";
import type { RequestLog } from "../../src/testing/sandbox.ts";

Deno.test("GitHub plugin passes the conformance kit, every exchange matching GitHub's definitions", async (t) => {
  const logs: RequestLog[] = [];
  await runConformance(t, {
    plugin: github,
    harness: async () => {
      const gh = await createGitHubSandbox();
      logs.push(gh.log.record());
      return gh;
    },
  });
  const problems = await checkGitHubExchanges(logs.flatMap((l) => l.exchanges));
  assertEquals(formatProblems(problems), "");
});
