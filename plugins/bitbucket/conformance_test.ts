import plugin from "./mod.ts";
import { createBitbucketSandbox } from "../../src/testing/bitbucket_sandbox.ts";
import { runConformance } from "../../src/testing/conformance.ts";

Deno.test("Bitbucket plugin conforms", (t) =>
  runConformance(t, { plugin, harness: () => createBitbucketSandbox() }));
