/**
 * The plugin conformance kit (src/testing/conformance.ts) run against the GitLab plugin and the
 * GitLab sandbox.
 */
import gitlab from "./mod.ts";
import { createGitLabSandbox } from "../../src/testing/gitlab_sandbox.ts";
import { runConformance } from "../../src/testing/conformance.ts";

Deno.test("GitLab plugin passes the conformance kit", (t) =>
  runConformance(t, { plugin: gitlab, harness: () => createGitLabSandbox() }));
