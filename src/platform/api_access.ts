/**
 * Where a repository configuration may send its requests, and with which token (SPEC §12). A tool
 * caller may be a prompt-injected assistant: it must not be able to send a token to a server of
 * its choosing, nor pick an arbitrary environment variable as "the token".
 *
 * - `api_url` may only point at the platform's public API, at the URL in the platform's variable
 *   (`GITHUB_API_URL`, …) or at an origin listed in `FORGESYNC_ALLOWED_API_HOSTS`;
 * - `api_token_name` may only be the platform's default variable (`GITHUB_TOKEN`, …) or a name
 *   listed in `FORGESYNC_TOKEN_VARIABLES`.
 *
 * The same decision is made when a configuration is saved and every time a client connects (a row
 * saved by an older forgesync, or before the environment changed, is refused the same way), and
 * the connected client's fetch is pinned to the decided origin (`pinned_fetch.ts`).
 *
 * @module
 */
import { AppError } from "../domain/errors.ts";
import type { PlatformPlugin } from "./types.ts";

/** What the environment allows, besides each platform's own defaults. */
export interface AccessPolicy {
  /** Extra origins (`https://host[:port]`) from FORGESYNC_ALLOWED_API_HOSTS. */
  readonly allowedApiOrigins: readonly string[];
  /** Extra variable names from FORGESYNC_TOKEN_VARIABLES. */
  readonly tokenVariables: readonly string[];
  /** Reads the environment (the platform's API URL variable). */
  readonly env: (name: string) => string | undefined;
}

/** The parts of a plugin the decision needs. */
export type PlatformDefaults = Pick<
  PlatformPlugin,
  "id" | "name" | "defaultApiUrl" | "apiUrlVariable" | "defaultTokenVariable"
>;

/** Where a configuration's requests go, and the variable its token comes from. */
export interface Destination {
  readonly apiUrl: string;
  /** The only origin the token may be sent to. */
  readonly origin: string;
  readonly tokenVariable: string;
}

/** The origin of an http(s) URL without user information, or undefined. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return undefined;
    if (parsed.username !== "" || parsed.password !== "") return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}

/** The API base used when a configuration names none: `<PLATFORM>_API_URL`, else the public API. */
export function defaultApiUrl(plugin: PlatformDefaults, env: AccessPolicy["env"]): string {
  const fromEnv = env(plugin.apiUrlVariable)?.trim();
  return fromEnv === undefined || fromEnv === "" ? plugin.defaultApiUrl : fromEnv;
}

/** The origins a configuration of `plugin` may send requests to. */
export function allowedOrigins(plugin: PlatformDefaults, policy: AccessPolicy): string[] {
  const own = [plugin.defaultApiUrl, policy.env(plugin.apiUrlVariable) ?? ""].map(originOf);
  return [...new Set([...own.filter((o): o is string => o !== undefined), ...policy.allowedApiOrigins])];
}

/** FORBIDDEN when `apiUrl` is not an allowed API of `plugin`; undefined when it is. */
export function checkApiUrl(
  plugin: PlatformDefaults,
  apiUrl: string,
  policy: AccessPolicy,
): AppError | undefined {
  const shown = apiUrl.slice(0, 200);
  const origin = originOf(apiUrl);
  if (origin === undefined) {
    return AppError.validation(
      `api_url "${shown}" is not an http(s) URL without credentials.`,
      `Give the API base of the ${plugin.name} instance, e.g. ${plugin.defaultApiUrl}.`,
    );
  }
  if (allowedOrigins(plugin, policy).includes(origin)) return undefined;
  const host = new URL(origin).host;
  return AppError.forbidden(
    `api_url "${shown}" is not an allowed ${plugin.name} API: forgesync sends tokens only to ` +
      `${plugin.defaultApiUrl}, to ${plugin.apiUrlVariable} and to hosts listed in FORGESYNC_ALLOWED_API_HOSTS. ` +
      "Nothing was stored or sent.",
    `If you trust ${host} with your tokens, add it to FORGESYNC_ALLOWED_API_HOSTS ` +
      `(e.g. FORGESYNC_ALLOWED_API_HOSTS=${origin.startsWith("http:") ? origin : host}) in forgesync's ` +
      `environment, or set ${plugin.apiUrlVariable}, and restart forgesync.`,
  );
}

/** FORBIDDEN when `name` may not be used as the token variable of `plugin`; undefined when it may. */
export function checkTokenVariable(
  plugin: PlatformDefaults,
  name: string,
  policy: AccessPolicy,
): AppError | undefined {
  if (name === plugin.defaultTokenVariable || policy.tokenVariables.includes(name)) return undefined;
  return AppError.forbidden(
    `api_token_name "${name.slice(0, 100)}" is not a token variable forgesync may use for ` +
      `${plugin.name}: only ${plugin.defaultTokenVariable} and the names listed in FORGESYNC_TOKEN_VARIABLES ` +
      "are. Nothing was stored or sent.",
    `To use ${name.slice(0, 100)}, add it to FORGESYNC_TOKEN_VARIABLES in forgesync's environment ` +
      `(e.g. FORGESYNC_TOKEN_VARIABLES=${
        name.slice(0, 100)
      }) and restart forgesync; or leave api_token_name ` +
      `out to use ${plugin.defaultTokenVariable}.`,
  );
}

/**
 * Where a configuration sends its requests and which variable holds its token, or the error that
 * refuses it (FORBIDDEN naming the variable to set, VALIDATION_ERROR for a malformed URL).
 *
 * @example
 * ```ts ignore
 * const to = destination(github, { api_url: null, api_token_name: null }, policy);
 * // { apiUrl: "https://api.github.com", origin: "https://api.github.com", tokenVariable: "GITHUB_TOKEN" }
 * ```
 */
export function destination(
  plugin: PlatformDefaults,
  config: { readonly api_url: string | null; readonly api_token_name: string | null },
  policy: AccessPolicy,
): Destination | AppError {
  const apiUrl = config.api_url ?? defaultApiUrl(plugin, policy.env);
  if (config.api_url !== null) {
    const refused = checkApiUrl(plugin, config.api_url, policy);
    if (refused !== undefined) return refused;
  }
  const tokenVariable = config.api_token_name ?? plugin.defaultTokenVariable;
  const refused = checkTokenVariable(plugin, tokenVariable, policy);
  if (refused !== undefined) return refused;
  // The default URL comes from the operator's environment: trusted as it is, if it is a URL at all.
  return { apiUrl, origin: originOf(apiUrl) ?? apiUrl, tokenVariable };
}
