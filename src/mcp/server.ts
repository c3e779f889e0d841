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
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { Effect, type ManagedRuntime } from "effect";
import { type Tier, tierIncludes } from "../config.ts";
import {
  type CallContext,
  inputJsonSchema,
  outputJsonSchema,
  publishedAnnotations,
  readActions,
  type Tool,
} from "./tool.ts";
import { invokeTool, readOnlyRefusal } from "./invoke.ts";
import { forwardLogs } from "./logging.ts";

import { VERSION } from "../version.ts";

/** The forgesync version reported in `initialize`. */
export { VERSION };

/** The tools a tier lists. */
export function toolsForTier<R>(tools: readonly Tool<R>[], tier: Tier): Tool<R>[] {
  return tools.filter((t) => t.tier === "core" || tierIncludes(tier, t.tier));
}

/** The `tools/list` entry of a tool; in read-only mode it says which actions are accepted. */
export function describeTool(tool: Tool<unknown>, readOnly = false): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.annotations.title,
    description: readOnly
      ? `${tool.description} Read-only mode (FORGESYNC_READ_ONLY=true): only ${
        readActions(tool).join(", ")
      } are accepted.`
      : tool.description,
    inputSchema: inputJsonSchema(tool),
    outputSchema: outputJsonSchema(tool),
    annotations: publishedAnnotations(tool, readOnly),
  };
}

const described = new WeakMap<Tool<unknown>, Map<boolean, Record<string, unknown>>>();

/**
 * {@link describeTool}, computed once per tool and mode: every MCP-over-HTTP session lists the same
 * tools, and generating their JSON Schemas per session costs time and memory for nothing.
 */
function describedOnce(tool: Tool<unknown>, readOnly: boolean): Record<string, unknown> {
  let byMode = described.get(tool);
  if (byMode === undefined) described.set(tool, byMode = new Map());
  let entry = byMode.get(readOnly);
  if (entry === undefined) byMode.set(readOnly, entry = describeTool(tool, readOnly));
  return entry;
}

/** Kept here for the callers that imported it from the server. */
export { readOnlyRefusal };

/** Options of {@link createMcpServer}. */
export interface McpServerOptions<R> {
  readonly runtime: ManagedRuntime.ManagedRuntime<R, never>;
  readonly tools: readonly Tool<R>[];
  readonly tier: Tier;
  /** FORGESYNC_READ_ONLY: tools annotated read-only, write actions refused with FORBIDDEN. */
  readonly readOnly?: boolean;
}

/**
 * Creates an MCP server serving the tools of `tier`. One server per connection (stdio) or per
 * session (HTTP); they share the runtime and so the database.
 */
export function createMcpServer<R>(options: McpServerOptions<R>): Server {
  const tools = toolsForTier(options.tools, options.tier);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const readOnly = options.readOnly === true;
  const listed = tools.map((t) => describedOnce(t as Tool<unknown>, readOnly));
  const server = new Server(
    { name: "forgesync", version: VERSION },
    {
      // logging: the process log (sync warnings among it) reaches the client as notifications/message
      // at the level it sets with logging/setLevel (see logging.ts).
      capabilities: { tools: { listChanged: false }, logging: {} },
      instructions:
        "forgesync keeps features and tasks in a local database and links them to GitHub, GitLab " +
        "and Bitbucket issues. Use orchestrator_feature and orchestrator_task for local work; " +
        (options.tier === "disabled"
          ? "the Git integration is disabled (set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to enable it)."
          : "orchestrator_git_integration configures a repository, creates issues and syncs status.") +
        (readOnly
          ? " This server runs read-only (FORGESYNC_READ_ONLY=true): only read actions are accepted."
          : ""),
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
    const token = request.params._meta?.progressToken;
    // Notifications in order, all sent before the result.
    let sent: Promise<unknown> = Promise.resolve();
    const context: CallContext = {
      progress: (done, total, message) =>
        token === undefined
          ? Effect.void
          : Effect.promise(() =>
            sent = sent.then(() =>
              extra.sendNotification({
                method: "notifications/progress",
                params: {
                  progressToken: token,
                  progress: done,
                  ...(total === undefined ? {} : { total }),
                  ...(message ? { message } : {}),
                },
              }).catch(() => undefined)
            )
          ),
    };
    const result = await invokeTool(tool, request.params.arguments ?? {}, {
      runtime: options.runtime,
      readOnly,
      context,
      signal: extra.signal,
    });
    await sent;
    return result as never;
  });

  const logs = forwardLogs(server);
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    logs.setLevel(request.params.level);
    return {};
  });

  return server;
}
