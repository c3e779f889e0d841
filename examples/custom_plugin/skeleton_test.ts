import plugin from "./skeleton.ts";
import { runConformance } from "../../src/testing/conformance.ts";
import { createBitbucketSandbox } from "../../src/testing/bitbucket_sandbox.ts";

Deno.test("the skeleton plugin of docs/plugins.md passes the conformance kit", (t) =>
  runConformance(t, { plugin, harness: createBitbucketSandbox, numRuns: 6 }));
