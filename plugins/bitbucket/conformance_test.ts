/**
 * The plugin conformance kit run against the Bitbucket plugin and the Bitbucket sandbox; every
 * exchange it caused is then checked against Bitbucket's OpenAPI description (see contract_test.ts).
 */
import plugin from "./mod.ts";
import { assertEquals } from "../../src/testing/assert.ts";
import { createBitbucketSandbox } from "../../src/testing/bitbucket_sandbox.ts";
import { runConformance } from "../../src/testing/conformance.ts";
import { checkBitbucketExchanges } from "../../src/testing/contract/bitbucket.ts";
import { formatProblems } from "../../src/testing/contract/github.ts";
import type { RequestLog } from "../../src/testing/sandbox.ts";

Deno.test("Bitbucket plugin conforms, every exchange matching Bitbucket's OpenAPI description", async (t) => {
  const logs: RequestLog[] = [];
  await runConformance(t, {
    plugin,
    harness: async () => {
      const sb = await createBitbucketSandbox();
      logs.push(sb.log.record());
      return sb;
    },
  });
  assertEquals(formatProblems(await checkBitbucketExchanges(logs.flatMap((l) => l.exchanges))), "");
});
