/**
 * The plugin conformance kit (src/testing/conformance.ts) run against the GitLab plugin and the
 * GitLab sandbox (Premium edition: the plugin declares `multiple_assignees`, which GitLab Free
 * lacks; client_test.ts covers Free); every exchange it caused is then checked against Gitbeaker's typings of GitLab
 * (see contract_test.ts).
 */
import gitlab from "./mod.ts";
import { assertEquals } from "../../src/testing/assert.ts";
import { createGitLabSandbox } from "../../src/testing/gitlab_sandbox.ts";
import { runConformance } from "../../src/testing/conformance.ts";
import { checkGitLabExchanges } from "../../src/testing/contract/gitlab.ts";
import { formatProblems } from "../../src/testing/contract/github.ts";
import type { RequestLog } from "../../src/testing/sandbox.ts";

Deno.test("GitLab plugin passes the conformance kit, every exchange matching Gitbeaker's typings", async (t) => {
  const logs: RequestLog[] = [];
  await runConformance(t, {
    plugin: gitlab,
    harness: async () => {
      // Premium: the edition where several assignees hold, as the plugin's capabilities say.
      const gl = await createGitLabSandbox({ edition: "premium" });
      logs.push(gl.log.record());
      return gl;
    },
  });
  assertEquals(formatProblems(await checkGitLabExchanges(logs.flatMap((l) => l.exchanges))), "");
});
