/**
 * Configuration from the environment (SPEC §3), read once at start-up. Secrets stay `Redacted`
 * so that they never print; tokens for forges are not read here at all: only the *name* of their
 * variable is stored, and the value is read when a client connects.
 *
 * @module
 */
import { Context, Redacted } from "effect";

/** Git integration tiers, each including the ones before it. */
export const TIERS = ["disabled", "basic", "project", "full"] as const;
/** One of {@link TIERS}. */
export type Tier = typeof TIERS[number];

/** The process configuration. */
export interface AppConfig {
  /** The effective tier: `disabled` unless `MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true`. */
  readonly tier: Tier;
  readonly dbUrl: string;
  readonly dbSyncUrl: string | undefined;
  readonly dbAuthToken: Redacted.Redacted<string> | undefined;
  readonly dbSyncInterval: number | undefined;
  /** Seconds between background reconciliation passes. */
  readonly syncIntervalSeconds: number;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly httpToken: Redacted.Redacted<string> | undefined;
  /**
   * Origins (`https://host[:port]`, or `http://…` when listed with that scheme) a tool call may set
   * as `api_url`, besides each platform's public API and `<PLATFORM>_API_URL` (FORGESYNC_ALLOWED_API_HOSTS).
   */
  readonly allowedApiOrigins: readonly string[];
  /** Variable names a tool call may set as `api_token_name`, besides each platform's default (FORGESYNC_TOKEN_VARIABLES). */
  readonly tokenVariables: readonly string[];
  /** FORGESYNC_READ_ONLY: only read actions are accepted, no background sync. */
  readonly readOnly: boolean;
  /** Seconds after which an idle MCP-over-HTTP session is closed. */
  readonly httpSessionIdleSeconds: number;
  /** The most MCP-over-HTTP sessions kept open; the least recently used closes first. */
  readonly httpMaxSessions: number;
  /**
   * Values of the environment that are secrets by their variable's name (`…_TOKEN`, `…_SECRET`,
   * `…_PASSWORD`, `…_KEY`) or listed in FORGESYNC_TOKEN_VARIABLES: registered for redaction at start-up.
   */
  readonly secretValues: readonly Redacted.Redacted<string>[];
  /** Reads any environment variable (token variables named in the configuration). */
  readonly env: (name: string) => string | undefined;
}

/** The configuration service. */
export class Config extends Context.Service<Config, AppConfig>()("forgesync/Config") {}

/** The part of the configuration that decides where tokens may go (`src/platform/api_access.ts`). */
export function accessPolicy(config: AppConfig): {
  readonly allowedApiOrigins: readonly string[];
  readonly tokenVariables: readonly string[];
  readonly env: (name: string) => string | undefined;
} {
  return {
    allowedApiOrigins: config.allowedApiOrigins,
    tokenVariables: config.tokenVariables,
    env: config.env,
  };
}

/** A configuration value that cannot be used, with the variable and the fix. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The default database URL. */
export const DEFAULT_DB_URL = "file:.forgesync/forgesync.db";

/** Whether `tier` includes everything of `needed`. */
export function tierIncludes(tier: Tier, needed: Tier): boolean {
  return TIERS.indexOf(tier) >= TIERS.indexOf(needed);
}

/**
 * Reads and checks the configuration. Throws a {@link ConfigError} naming the variable and the
 * accepted values when one is wrong.
 *
 * @example
 * ```ts
 * import { loadConfig } from "./config.ts";
 * const config = loadConfig({ MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true" });
 * console.log(config.tier); // "full"
 * ```
 */
export function loadConfig(
  source: Readonly<Record<string, string | undefined>> | ((name: string) => string | undefined),
): AppConfig {
  const env = typeof source === "function" ? source : (name: string) => source[name];
  const get = (name: string): string | undefined => {
    const value = env(name)?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const enabled = integrationEnabled(get("MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION"));
  const tierText = get("MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER")?.toLowerCase();
  if (tierText !== undefined && !(TIERS as readonly string[]).includes(tierText)) {
    throw new ConfigError(
      `MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER is "${tierText}", which is not a tier. ` +
        `Set it to one of ${TIERS.join(", ")}, or unset it for "full".`,
    );
  }
  const tier: Tier = enabled ? (tierText as Tier | undefined) ?? "full" : "disabled";
  const token = get("FORGESYNC_HTTP_TOKEN");
  const dbToken = get("FORGESYNC_DB_AUTH_TOKEN");
  const tokenVariables = variableNames("FORGESYNC_TOKEN_VARIABLES", get("FORGESYNC_TOKEN_VARIABLES"));
  return {
    tier,
    dbUrl: get("FORGESYNC_DB_URL") ?? DEFAULT_DB_URL,
    dbSyncUrl: get("FORGESYNC_DB_SYNC_URL"),
    dbAuthToken: dbToken === undefined ? undefined : Redacted.make(dbToken),
    dbSyncInterval: optionalInt("FORGESYNC_DB_SYNC_INTERVAL", get("FORGESYNC_DB_SYNC_INTERVAL"), 1, 86_400),
    syncIntervalSeconds: optionalInt("FORGESYNC_SYNC_INTERVAL", get("FORGESYNC_SYNC_INTERVAL"), 1, 86_400) ??
      60,
    httpHost: get("FORGESYNC_HTTP_HOST") ?? "127.0.0.1",
    httpPort: optionalInt("FORGESYNC_HTTP_PORT", get("FORGESYNC_HTTP_PORT"), 0, 65_535) ?? 8787,
    httpToken: token === undefined ? undefined : Redacted.make(token),
    allowedApiOrigins: apiOrigins("FORGESYNC_ALLOWED_API_HOSTS", get("FORGESYNC_ALLOWED_API_HOSTS")),
    tokenVariables,
    readOnly: parseBool("FORGESYNC_READ_ONLY", get("FORGESYNC_READ_ONLY")),
    httpSessionIdleSeconds: optionalInt(
      "FORGESYNC_HTTP_SESSION_IDLE_SECONDS",
      get("FORGESYNC_HTTP_SESSION_IDLE_SECONDS"),
      1,
      604_800,
    ) ?? 1800,
    httpMaxSessions:
      optionalInt("FORGESYNC_HTTP_MAX_SESSIONS", get("FORGESYNC_HTTP_MAX_SESSIONS"), 1, 100_000) ??
        100,
    secretValues: secretValues(source, tokenVariables, get),
    env: (name) => env(name),
  };
}

/**
 * Whether `MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION` enables the integration. As the task document
 * reads it (`.lower() == "true"`), only `true` enables it, in any letter case; `false` and an unset
 * or empty variable leave it off. Anything else (`yes`, `1`, `on`, a typo) is refused rather than
 * guessed: the document would silently read it as off, which is rarely what was meant.
 */
export function integrationEnabled(value: string | undefined): boolean {
  if (value === undefined || value.trim() === "") return false;
  const v = value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new ConfigError(
    `MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION is "${value}", which is neither "true" nor "false". ` +
      `Set it to "true" to enable the Git integration, or to "false" (or unset it) to keep it off.`,
  );
}

/** A true/false switch: only `true` or `false` (any case), unset or empty meaning false; else refused. */
function parseBool(name: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === "") return false;
  const v = value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new ConfigError(`${name} is "${value}", which is neither "true" nor "false". Set it to one of them.`);
}

function optionalInt(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} is "${value}"; set it to a whole number from ${min} to ${max}.`);
  }
  return n;
}

/** Variable names whose values are secrets (redacted wherever they could appear). */
const SECRET_NAME = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIALS?)$/i;

/** The shortest value registered by name: shorter ones would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;

function secretValues(
  source: Readonly<Record<string, string | undefined>> | ((name: string) => string | undefined),
  tokenVariables: readonly string[],
  get: (name: string) => string | undefined,
): Redacted.Redacted<string>[] {
  const names = new Set(tokenVariables);
  if (typeof source !== "function") {
    for (const name of Object.keys(source)) if (SECRET_NAME.test(name)) names.add(name);
  }
  const values: Redacted.Redacted<string>[] = [];
  for (const name of names) {
    const value = get(name);
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) values.push(Redacted.make(value));
  }
  return values;
}

function variableNames(name: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = names.find((n) => !/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(n));
  if (bad !== undefined) {
    throw new ConfigError(
      `${name} lists "${bad.slice(0, 100)}", which is not a variable name. ` +
        `List variable NAMES (letters, digits, _), comma-separated, e.g. ACME_GITHUB_TOKEN,GHE_TOKEN.`,
    );
  }
  return names;
}

/**
 * Reads `host[:port]` entries (https), or `http://host[:port]` for a plain-HTTP API, into origins.
 * A path, a user name or another scheme is refused: the entry names a host, nothing else.
 */
function apiOrigins(name: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const entry of value.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `https://${entry}`;
    let url: URL | undefined;
    try {
      url = new URL(withScheme);
    } catch {
      url = undefined;
    }
    if (
      url === undefined || !["https:", "http:"].includes(url.protocol) || url.username !== "" ||
      url.password !== "" || url.pathname.replace(/\/+$/, "") !== "" || url.search !== "" || url.hash !== ""
    ) {
      throw new ConfigError(
        `${name} lists "${entry.slice(0, 100)}", which is not a host. List hosts as host or host:port ` +
          `(https), or http://host:port for a plain-HTTP API, comma-separated, e.g. ghe.example.com,gitlab.example.com:8443.`,
      );
    }
    out.push(url.origin);
  }
  return out;
}
