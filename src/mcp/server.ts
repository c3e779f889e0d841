/**
 * The MCP server: the low-level SDK `Server` with `tools/list` and `tools/call` handlers over the
 * tool definitions, so that Effect Schema is the one schema system (the SDK's `registerTool` takes
 * zod shapes only).
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/index"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { Effect, type ManagedRuntime } from "effect";
import { type Tier, tierIncludes } from "../config.ts";
import { type CallContext, decodeCall, inputJsonSchema, outputJsonSchema, type Tool } from "./tool.ts";
import { errorResult, exitToResult } from "./to_result.ts";

import { VERSION } from "../version.ts";

/** The forgesync version reported in `initialize`. */
export { VERSION };

/** The tools a tier lists. */
export function toolsForTier<R>(tools: readonly Tool<R>[], tier: Tier): Tool<R>[] {
  return tools.filter((t) => t.tier === "core" || tierIncludes(tier, t.tier));
}

/** The `tools/list` entry of a tool. */
export function describeTool(tool: Tool<unknown>): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.annotations.title,
    description: tool.description,
    inputSchema: inputJsonSchema(tool),
    outputSchema: outputJsonSchema(tool),
    annotations: tool.annotations,
  };
}

/** Options of {@link createMcpServer}. */
export interface McpServerOptions<R> {
  readonly runtime: ManagedRuntime.ManagedRuntime<R, never>;
  readonly tools: readonly Tool<R>[];
  readonly tier: Tier;
}

/**
 * Creates an MCP server serving the tools of `tier`. One server per connection (stdio) or per
 * session (HTTP); they share the runtime and so the database.
 */
export function createMcpServer<R>(options: McpServerOptions<R>): Server {
  const tools = toolsForTier(options.tools, options.tier);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const listed = tools.map((t) => describeTool(t as Tool<unknown>));
  const server = new Server(
    { name: "forgesync", version: VERSION },
    {
      capabilities: { tools: { listChanged: false } },
      instructions:
        "forgesync keeps features and tasks in a local database and links them to GitHub, GitLab " +
        "and Bitbucket issues. Use orchestrator_feature and orchestrator_task for local work; " +
        (options.tier === "disabled"
          ? "the Git integration is disabled (set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to enable it)."
          : "orchestrator_git_integration configures a repository, creates issues and syncs status."),
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }) as never);

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (tool === undefined) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool "${request.params.name}". Available: ${[...byName.keys()].join(", ")}.`,
      );
    }
    const decoded = decodeCall(tool, request.params.arguments ?? {});
    if (!decoded.ok) {
      return errorResult({ code: "VALIDATION_ERROR", message: decoded.message, hint: decoded.hint }) as never;
    }
    const token = request.params._meta?.progressToken;
    const context: CallContext = {
      progress: (done, total, message) =>
        token === undefined ? Effect.void : Effect.promise(() =>
          extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: token, progress: done, total, ...(message ? { message } : {}) },
          }).catch(() => undefined)
        ),
    };
    const exit = await options.runtime.runPromiseExit(decoded.action.run(decoded.input, context), {
      signal: extra.signal,
    });
    return exitToResult(tool.name, exit) as never;
  });

  return server;
}
