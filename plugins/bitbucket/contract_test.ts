/**
 * Contract tests: every request the Bitbucket plugin sends while driven through all its operations,
 * and every answer of the sandbox, checked against Bitbucket Cloud's OpenAPI description
 * (`@coderabbitai/bitbucket`).
 */
import { assertEquals } from "../../src/testing/assert.ts";
import { driveClient } from "../../src/testing/contract/drive.ts";
import { checkBitbucketExchanges } from "../../src/testing/contract/bitbucket.ts";
import { formatProblems } from "../../src/testing/contract/github.ts";
import { withPlugin } from "./test_support.ts";
import plugin from "./mod.ts";

Deno.test("Bitbucket plugin: every request it sends and every sandbox answer match Bitbucket's OpenAPI description", async () => {
  await withPlugin(async ({ sb, client, repo }) => {
    sb.log.record();
    const hash = sb.state.repo("acme/widgets")!.commits[0]!;
    const report = await driveClient(client, repo, sb, {
      tagTarget: hash,
      capabilities: plugin.capabilities,
    });
    assertEquals(report.operations, [
      "verify",
      "createIssue",
      "updateIssue",
      "getIssue",
      "listChanged",
      "findByMarker",
      "listMilestones",
      "createTag",
    ]);
    const exchanges = sb.log.exchanges;
    assertEquals(exchanges.length > 10, true);
    assertEquals(formatProblems(await checkBitbucketExchanges(exchanges)), "");
  });
});
