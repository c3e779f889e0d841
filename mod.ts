/**
 * forgesync: a local-first MCP server linking a task orchestrator's features and tasks (in libSQL)
 * to GitHub, GitLab and Bitbucket issues.
 *
 * As a library it exports the configuration, the application runtime and the MCP server factory;
 * the plugin contract is `./plugin` and the sandbox forges and conformance kit are `./testing`.
 * Run directly, it is the CLI: `deno run … mod.ts mcp|serve|sync|init|status`.
 *
 * @module
 */
export { type AppConfig, ConfigError, loadConfig, type Tier, TIERS } from "./src/config.ts";
export { appLayer, type AppRuntime, type AppServices, makeRuntime } from "./src/app.ts";
export { createMcpServer, VERSION } from "./src/mcp/server.ts";
export { allTools } from "./src/mcp/tools/mod.ts";
export { createHttpApp } from "./src/http/app.ts";
export { AppError, ERROR_CODES, type ErrorCode } from "./src/domain/errors.ts";
export type { Task, TaskStatus } from "./src/domain/task.ts";
export type { Feature, FeatureStatus } from "./src/domain/feature.ts";
export { main } from "./src/cli/main.ts";

import { main } from "./src/cli/main.ts";

if (import.meta.main) {
  const code = await main(Deno.args);
  if (code !== 0) Deno.exit(code);
}
