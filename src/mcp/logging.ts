/**
 * MCP logging (`logging` capability): the process log — sync warnings among it — goes to the client
 * as `notifications/message`, from the level the client set with `logging/setLevel` up
 * ({@link DEFAULT_CLIENT_LEVEL} until it sets one). Lines are redacted before they leave, like stderr's.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/server/index"
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { type LogEntry, type LogLevel, onLog } from "../log.ts";

/** The MCP log levels, least severe first (RFC 5424's, as the specification names them). */
export const MCP_LEVELS = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;
/** One of {@link MCP_LEVELS}. */
export type McpLevel = typeof MCP_LEVELS[number];

/** What a client hears before it sets a level: warnings and errors. */
export const DEFAULT_CLIENT_LEVEL: McpLevel = "warning";

const FROM_LOG: Readonly<Record<LogLevel, McpLevel>> = {
  debug: "debug",
  info: "info",
  warn: "warning",
  error: "error",
};

/** Whether a line at `level` reaches a client that set `minimum`. */
export function reaches(level: LogLevel, minimum: McpLevel): boolean {
  return MCP_LEVELS.indexOf(FROM_LOG[level]) >= MCP_LEVELS.indexOf(minimum);
}

/** The `notifications/message` parameters of a log line. */
export function logMessage(
  entry: LogEntry,
): { level: McpLevel; logger: string; data: Record<string, unknown> } {
  return {
    level: FROM_LOG[entry.level],
    logger: "forgesync",
    data: { message: entry.message, ...(entry.fields ?? {}) },
  };
}

/**
 * Forwards log lines to the client of `server` once it is initialized, until its connection closes.
 * Returns the setter `logging/setLevel` calls.
 */
export function forwardLogs(server: Server): { setLevel(level: McpLevel): void } {
  let minimum: McpLevel = DEFAULT_CLIENT_LEVEL;
  let stop: (() => void) | undefined;
  const initialized = server.oninitialized;
  server.oninitialized = () => {
    initialized?.();
    stop ??= onLog((entry) => {
      if (server.transport === undefined) {
        // Closed: the Protocol drops its transport.
        stop?.();
        return;
      }
      if (!reaches(entry.level, minimum)) return;
      server.notification({ method: "notifications/message", params: logMessage(entry) }).catch(() =>
        undefined
      );
    });
  };
  return { setLevel: (level) => void (minimum = level) };
}
