import plugin from "./mod.ts";
import { runConformance } from "../../src/testing/conformance.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";

Deno.test("the custom ghes plugin passes the conformance kit", (t) =>
  runConformance(t, { plugin, harness: createGitHubSandbox, numRuns: 6 }));
