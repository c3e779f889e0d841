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
  /** Reads any environment variable (token variables named in the configuration). */
  readonly env: (name: string) => string | undefined;
}

/** The configuration service. */
export class Config extends Context.Service<Config, AppConfig>()("forgesync/Config") {}

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

function optionalInt(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} is "${value}"; set it to a whole number from ${min} to ${max}.`);
  }
  return n;
}
