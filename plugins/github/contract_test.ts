/**
 * Contract tests: every request the GitHub plugin sends while driven through all its operations
 * (and through the conformance kit), and every answer of the sandbox, checked against GitHub's
 * published definitions — REST against its OpenAPI description, GraphQL against its public schema.
 */
import { assertEquals } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { driveClient } from "../../src/testing/contract/drive.ts";
import { checkGitHubExchanges, formatProblems, isGraphql } from "../../src/testing/contract/github.ts";
import { connectTo } from "./test_helpers.ts";

Deno.test("GitHub plugin: every request it sends and every sandbox answer match GitHub's published definitions", async () => {
  const gh = await createGitHubSandbox();
  try {
    gh.log.record();
    const { client, repo } = await connectTo(gh);
    const report = await driveClient(client, repo, gh);
    const exchanges = gh.log.exchanges;
    // Both APIs were exercised: the checks below are not vacuous.
    assertEquals(exchanges.filter(isGraphql).length > 8, true);
    assertEquals(exchanges.filter((e) => !isGraphql(e)).length > 15, true);
    assertEquals(report.operations.length, 20);
    const problems = await checkGitHubExchanges(exchanges);
    assertEquals(formatProblems(problems), "");
  } finally {
    await gh.close();
  }
});
