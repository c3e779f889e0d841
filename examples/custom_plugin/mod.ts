/**
 * An example of a custom platform plugin, loaded with `FORGESYNC_PLUGINS=examples/custom_plugin/mod.ts`.
 *
 * It adds a platform `ghes` for a company's GitHub Enterprise Server with its own variables
 * (`GHES_TOKEN`, `GHES_API_URL`), so that github.com and the company server can be configured side by
 * side. It reuses the GitHub plugin for the API work: a plugin is just a default export that
 * implements the contract of `@forgesync/forgesync/plugin` — identity, capabilities, repository
 * parsing and `connect`. A plugin for another forge implements `connect` with its own client.
 *
 * @example
 * ```sh
 * FORGESYNC_PLUGINS=examples/custom_plugin/mod.ts GHES_API_URL=https://git.acme.internal/api/v3 \
 *   GHES_TOKEN=… deno task mcp
 * # then: orchestrator_git_integration {action:"configure", platform:"ghes", repository:"team/app"}
 * ```
 *
 * @module
 */
import type { PlatformPlugin } from "../../src/platform/mod.ts";
import github from "../../plugins/github/mod.ts";

const plugin: PlatformPlugin = {
  ...github,
  id: "ghes",
  name: "GitHub Enterprise Server (ACME)",
  defaultTokenVariable: "GHES_TOKEN",
  apiUrlVariable: "GHES_API_URL",
  defaultApiUrl: "https://git.acme.internal/api/v3",
  repositoryExamples: ["team/app", "https://git.acme.internal/team/app"],
  parseRepository(input) {
    const parsed = github.parseRepository(input);
    return "message" in parsed ? parsed : { platform: "ghes", path: parsed.path };
  },
};

export default plugin;
