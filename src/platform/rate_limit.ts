/**
 * How long a throttled answer asks to wait, read from its headers the one way every plugin uses
 * (exported through `./plugin`). The rules, from the forges' documentation (docs/plugins.md):
 *
 * - **`Retry-After`** (RFC 9110 §10.2.3; GitHub, GitLab; Bitbucket documents none): delay-seconds
 *   or an HTTP-date. Seconds are taken as given, a fraction rounded up (GitHub and GitLab send whole
 *   seconds; rounding up never waits less than asked). `0`, or a date already past, is 0: the forge
 *   says "now". A value that is neither (negative, text) is ignored.
 * - **The reset of the budget** (`x-ratelimit-reset` on GitHub, `RateLimit-Reset` on GitLab: UTC
 *   epoch seconds): the seconds until then, rounded up, and at least 1 — the budget refills *after*
 *   that second ("wait until after x-ratelimit-reset", GitHub). A small number (below 10⁹, a date
 *   before 2001) is read as delta-seconds, the form of the IETF RateLimit draft.
 * - A throttled answer that says neither waits {@link DEFAULT_RATE_LIMIT_WAIT_SECONDS} (GitHub asks
 *   for at least a minute after a secondary rate limit).
 *
 * A `Retry-After` on a 5xx is honoured too; the reset is not (it is when the *budget* refills, a
 * 503 is not about the budget).
 *
 * @module
 */

/** Seconds to wait when a forge throttles and says neither `Retry-After` nor when its budget resets. */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 60;

/** Response headers as a `Headers` object or a plain record (Octokit's `response.headers`). */
export type HeaderSource = Headers | Readonly<Record<string, string | number | null | undefined>>;

/** The value of header `name` (case-insensitive), or undefined. */
export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

/**
 * Seconds from a `Retry-After` header (delay-seconds or an HTTP-date), or undefined when there is
 * none or it cannot be read.
 *
 * @example
 * ```ts
 * import { retryAfterSeconds } from "./rate_limit.ts";
 * retryAfterSeconds(new Headers({ "retry-after": "12" })); // 12
 * retryAfterSeconds(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), Date.UTC(2026, 0, 1)); // 30
 * ```
 */
export function retryAfterSeconds(headers: HeaderSource, nowMs: number = Date.now()): number | undefined {
  const value = headerValue(headers, "retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (NUMBER.test(value)) {
    const seconds = Number(value);
    return seconds >= 0 ? Math.ceil(seconds) : undefined;
  }
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - nowMs) / 1000)) : undefined;
}

/** The reset headers, GitHub's and Bitbucket's first, then GitLab's. */
const RESET_HEADERS = ["x-ratelimit-reset", "ratelimit-reset"] as const;

/**
 * Seconds until the rate-limit budget resets (`x-ratelimit-reset` or `RateLimit-Reset`), at least
 * 1, or undefined when no reset header can be read.
 *
 * @example
 * ```ts
 * import { resetSeconds } from "./rate_limit.ts";
 * resetSeconds({ "x-ratelimit-reset": 1_767_225_690 }, Date.UTC(2026, 0, 1)); // 90
 * ```
 */
export function resetSeconds(headers: HeaderSource, nowMs: number = Date.now()): number | undefined {
  for (const name of RESET_HEADERS) {
    const value = headerValue(headers, name)?.trim();
    if (value === undefined || !NUMBER.test(value)) continue;
    const reset = Number(value);
    if (!(reset > 0)) continue;
    return reset >= 1_000_000_000 ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : Math.ceil(reset);
  }
  return undefined;
}

/**
 * The wait a throttled answer (429, or a 403 the forge says is a rate limit) asks for:
 * `Retry-After`, else the budget's reset, else {@link DEFAULT_RATE_LIMIT_WAIT_SECONDS}.
 *
 * @example
 * ```ts
 * import { rateLimitWaitSeconds } from "./rate_limit.ts";
 * rateLimitWaitSeconds(new Headers()); // 60
 * ```
 */
export function rateLimitWaitSeconds(headers: HeaderSource, nowMs: number = Date.now()): number {
  return retryAfterSeconds(headers, nowMs) ?? resetSeconds(headers, nowMs) ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
}
