/**
 * Running one tool call — the read-only refusal, the parameters decoded, the action run on the
 * runtime, its exit turned into a result — the same way for the MCP server, the dashboard's forms and
 * the `import` command, so that each of them answers exactly as the tool would.
 *
 * @module
 */
import type { ManagedRuntime } from "effect";
import { type CallContext, decodeCall, onlyReads, readActions, type Tool } from "./tool.ts";
import { errorResult, exitToResult, type ToolResult } from "./to_result.ts";
import { Effect } from "effect";

/** A call context that reports nothing. */
export const NO_PROGRESS: CallContext = { progress: () => Effect.void };

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

/** How a call runs. */
export interface InvokeOptions<R> {
  readonly runtime: ManagedRuntime.ManagedRuntime<R, never>;
  /** FORGESYNC_READ_ONLY: write actions are refused before anything runs. */
  readonly readOnly: boolean;
  readonly context?: CallContext;
  readonly signal?: AbortSignal;
}

/**
 * Runs `tool` with `args` (`{action, …parameters}`) and returns its result: a refusal in read-only
 * mode, VALIDATION_ERROR for bad parameters, else the action's outcome.
 */
export async function invokeTool<R>(
  tool: Tool<R>,
  args: unknown,
  options: InvokeOptions<R>,
): Promise<ToolResult> {
  // Before the parameters are checked: a write is refused whatever its parameters.
  const refused = options.readOnly ? readOnlyRefusal(tool as Tool<unknown>, args) : undefined;
  if (refused !== undefined) return refused;
  const decoded = decodeCall(tool, args);
  if (!decoded.ok) {
    return errorResult({ code: "VALIDATION_ERROR", message: decoded.message, hint: decoded.hint });
  }
  const exit = await options.runtime.runPromiseExit(
    decoded.action.run(decoded.input, options.context ?? NO_PROGRESS),
    options.signal === undefined ? undefined : { signal: options.signal },
  );
  return exitToResult(tool.name, exit);
}
