/**
 * Logging to stderr (stdout belongs to JSON-RPC in stdio mode) with secret redaction: every value
 * registered with {@link registerSecret}, and anything shaped like a forge token or an
 * `Authorization` header, is replaced before a line is written or an error leaves the process.
 *
 * @module
 */

const secrets = new Set<string>();

/** Registers a secret value (a token read from the environment) so that it is never printed. */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 4) secrets.add(value);
}

const TOKEN_SHAPES: readonly RegExp[] = [
  /\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
  /\bglpat-[A-Za-z0-9_-]{16,}\b/g,
  /\bATATT[A-Za-z0-9_=-]{20,}\b/g,
  /((?:authorization|private-token|x-gitlab-token)["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token)\s+)?[^\s"',}]+/gi,
];

/**
 * Removes registered secrets, the `secrets` given (a plugin's own token, say), and token-shaped
 * strings from `text`: the one redaction of forgesync, which plugins reach through the contract.
 * Values shorter than 4 characters are not secrets (ordinary text must survive).
 *
 * @example
 * ```ts
 * import { redact, registerSecret } from "./log.ts";
 * registerSecret("s3cr3t-value");
 * redact("token s3cr3t-value failed"); // "token [REDACTED] failed"
 * redact("key abcd-1234 refused", ["abcd-1234"]); // "key [REDACTED] refused"
 * ```
 */
export function redact(text: string, extra: Iterable<string> = []): string {
  let out = text;
  for (const secret of extra) if (secret.length >= 4) out = out.replaceAll(secret, "[REDACTED]");
  for (const secret of secrets) out = out.replaceAll(secret, "[REDACTED]");
  for (const shape of TOKEN_SHAPES) {
    out = out.replace(
      shape,
      (match, prefix?: string) =>
        typeof prefix === "string" && match.startsWith(prefix) && prefix !== match
          ? `${prefix}[REDACTED]`
          : "[REDACTED]",
    );
  }
  return out;
}

/**
 * A JSON value with {@link redact} applied to every string in it (keys included), for tool results.
 *
 * @example
 * ```ts
 * import { redactValue } from "./log.ts";
 * redactValue({ note: "ghp_0123456789abcdefghijABCDEFGHIJ" }); // { note: "[REDACTED]" }
 * ```
 */
export function redactValue<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactValue) as T;
  if (typeof value === "object" && value !== null) {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === "function") return redactValue(json.call(value)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[redact(key)] = redactValue(inner);
    return out as T;
  }
  return value;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;

function threshold(): number {
  try {
    const name = Deno.env.get("FORGESYNC_LOG_LEVEL")?.toLowerCase() ?? "info";
    return LEVELS[name as keyof typeof LEVELS] ?? LEVELS.info;
  } catch {
    return LEVELS.info;
  }
}

let minimum = threshold();
const encoder = new TextEncoder();

/** Sets the lowest level written (tests use "silent"). */
export function setLogLevel(level: keyof typeof LEVELS): void {
  minimum = LEVELS[level];
}

/** A log line as listeners receive it (already redacted). */
export interface LogEntry {
  readonly level: Level;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** A level of {@link LogEntry}. */
export type LogLevel = Level;

const sinks = new Set<(entry: LogEntry) => void>();
let inSink = false;

/**
 * Also sends every log line, whatever FORGESYNC_LOG_LEVEL says, to `listener` (the MCP server forwards
 * them to its client at the level the client set); returns a function that stops it. A line logged
 * while a listener runs is not passed to listeners again.
 */
export function onLog(listener: (entry: LogEntry) => void): () => void {
  sinks.add(listener);
  return () => void sinks.delete(listener);
}

function toSinks(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (sinks.size === 0 || inSink) return;
  inSink = true;
  try {
    const entry: LogEntry = {
      level,
      message: redact(message),
      ...(fields === undefined ? {} : { fields: redactValue(fields) }),
    };
    for (const sink of [...sinks]) {
      try {
        sink(entry);
      } catch {
        // a listener's fault is not the logger's
      }
    }
  } finally {
    inSink = false;
  }
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  toSinks(level, message, fields);
  if (LEVELS[level] < minimum) return;
  const extra = fields === undefined ? "" : " " + JSON.stringify(fields);
  const line = redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}\n`);
  try {
    Deno.stderr.writeSync(encoder.encode(line));
  } catch {
    // stderr closed: nothing to do
  }
}

/** The process logger; every line goes to stderr, redacted. */
export const log = {
  debug: (message: string, fields?: Record<string, unknown>): void => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>): void => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>): void => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>): void => write("error", message, fields),
};

/** Sends `console.log/info/debug` to stderr, keeping stdout for JSON-RPC (stdio mode). */
export function routeConsoleToStderr(): void {
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
}
