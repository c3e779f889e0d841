/**
 * The plugin conformance kit (src/testing/conformance.ts) run against the GitHub plugin and
 * the GitHub sandbox.
 */
import github from "./mod.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { runConformance } from "../../src/testing/conformance.ts";

Deno.test("GitHub plugin passes the conformance kit", (t) =>
  runConformance(t, { plugin: github, harness: () => createGitHubSandbox() }));
