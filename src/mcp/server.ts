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
import {
  type CallContext,
  decodeCall,
  inputJsonSchema,
  onlyReads,
  outputJsonSchema,
  publishedAnnotations,
  readActions,
  type Tool,
} from "./tool.ts";
import { errorResult, exitToResult, type ToolResult } from "./to_result.ts";

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

/** The FORBIDDEN result of a write action in read-only mode, or undefined when the call may run. */
export function readOnlyRefusal(tool: Tool<unknown>, args: unknown): ToolResult | undefined {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return undefined;
  const { action: name, ...params } = args as Record<string, unknown>;
  if (typeof name !== "string" || !Object.hasOwn(tool.actions, name)) return undefined;
  if (onlyReads(tool.actions[name]!, params)) return undefined;
  const reads = readActions(tool);
  return errorResult({
    code: "FORBIDDEN",
    message:
      `${tool.name} action "${name}" writes, and this forgesync runs read-only (FORGESYNC_READ_ONLY=true): ` +
      "nothing was changed.",
    hint: `${
      reads.length > 0
        ? `Read actions of ${tool.name}: ${reads.join(", ")}. `
        : `${tool.name} has no read action. `
    }To make changes, restart forgesync without FORGESYNC_READ_ONLY (or with FORGESYNC_READ_ONLY=false).`,
  });
}

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
      capabilities: { tools: { listChanged: false } },
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
    // Before the parameters are checked: a write is refused whatever its parameters.
    const refused = readOnly
      ? readOnlyRefusal(tool as Tool<unknown>, request.params.arguments ?? {})
      : undefined;
    if (refused !== undefined) return refused as never;
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
