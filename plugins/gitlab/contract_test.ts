/**
 * Contract tests: every request the GitLab plugin sends while driven through all its operations
 * (and through the conformance kit), and every answer of the sandbox, checked against the best
 * published definitions of GitLab's API on npm: Gitbeaker's typings (see
 * src/testing/contract/gitlab.ts for what they cover).
 */
import { assertEquals } from "../../src/testing/assert.ts";
import { driveClient } from "../../src/testing/contract/drive.ts";
import { checkGitLabExchanges } from "../../src/testing/contract/gitlab.ts";
import { formatProblems } from "../../src/testing/contract/github.ts";
import { withRig } from "./test_support.ts";

Deno.test("GitLab plugin: every request it sends and every sandbox answer match Gitbeaker's typings of GitLab", async () => {
  await withRig(async ({ sandbox, client, repo }) => {
    sandbox.log.record();
    const report = await driveClient(client, repo, sandbox);
    assertEquals(report.operations.length, 16);
    assertEquals(sandbox.log.exchanges.length > 20, true);
    assertEquals(formatProblems(await checkGitLabExchanges(sandbox.log.exchanges)), "");
  });
});
