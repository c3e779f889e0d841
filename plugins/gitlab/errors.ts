/**
 * Mapping GitLab failures to the contract's `PlatformError`: 401 Unauthorized (naming the token
 * variable), 403 Forbidden (with the `insufficient_scope` case spelled out), 404 NotFound, 410 Gone,
 * 400/409/422 Invalid with GitLab's own message, 429 RateLimited (waiting `Retry-After`, else
 * `RateLimit-Reset` − now, else 60 s), 5xx / network / reset / timeout / malformed JSON Transient.
 * Messages never contain the token.
 *
 * @module
 */
import { PlatformError, reasonForStatus } from "../../src/platform/mod.ts";
import { GitLabHttpError, GitLabTransportError } from "./requester.ts";

/** What was being done, for messages. */
export interface ErrorContext {
  /** What the call was doing, e.g. `create an issue in "acme/widgets"`. */
  readonly action: string;
  /** The project path, for the 404 message. */
  readonly project: string;
  /** The message for a 404 that is not about the project (e.g. a missing issue). */
  readonly notFound?: string;
  /** The token variable (GITLAB_TOKEN). */
  readonly tokenVariable: string;
  /** The token, to make sure it never leaks into a message. */
  readonly token?: string;
  /** The clock (epoch ms), for `RateLimit-Reset`. */
  readonly now?: () => number;
}

/** Seconds to wait when GitLab says neither `Retry-After` nor `RateLimit-Reset`. */
export const DEFAULT_RATE_LIMIT_WAIT = 60;

/** GitLab's error text from a body: `message` (string or field errors), `error` (+ description), or text. */
export function gitLabMessage(body: unknown): string {
  if (typeof body === "string") return body.trim().slice(0, 300);
  if (body === null || typeof body !== "object") return "";
  const b = body as Record<string, unknown>;
  if (typeof b.message === "string") return b.message;
  if (b.message && typeof b.message === "object") {
    return Object.entries(b.message as Record<string, unknown>)
      .map(([field, errors]) =>
        Array.isArray(errors)
          ? errors.map((e) => `${field} ${String(e)}`).join("; ")
          : `${field} ${String(errors)}`
      )
      .join("; ");
  }
  if (typeof b.error === "string") {
    return typeof b.error_description === "string" ? `${b.error}: ${b.error_description}` : b.error;
  }
  return "";
}

/** Seconds from `Retry-After` (seconds or an HTTP date). */
function retryAfter(headers: Headers, now: number): number | undefined {
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Seconds until `RateLimit-Reset` (epoch seconds). */
function untilReset(headers: Headers, now: number): number | undefined {
  const value = headers.get("ratelimit-reset");
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(1, Number(value.trim()) - Math.floor(now / 1000));
}

function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join("[redacted]") : text;
}

function fromHttp(e: GitLabHttpError, ctx: ErrorContext): PlatformError {
  const now = (ctx.now ?? Date.now)();
  const said = gitLabMessage(e.body);
  const status = e.status;
  const variable = ctx.tokenVariable;
  const tail = said ? `: ${said}` : "";
  switch (status) {
    case 401:
      return new PlatformError({
        reason: "Unauthorized",
        status,
        message: `GitLab rejected the token in ${variable} (401 Unauthorized) when trying to ${ctx.action}.`,
        hint: `Set ${variable} to a valid GitLab personal access token with the "api" scope ` +
          `(for an OAuth token, also set GITLAB_AUTH=bearer).`,
      });
    case 403: {
      const scope = typeof e.body === "object" && e.body !== null &&
        (e.body as Record<string, unknown>).error === "insufficient_scope";
      return new PlatformError({
        reason: "Forbidden",
        status,
        message: scope
          ? `The token in ${variable} lacks the "api" scope needed to ${ctx.action} (403 insufficient_scope).`
          : `GitLab refused to ${ctx.action} (403 Forbidden)${said && said !== "403 Forbidden" ? tail : ""}.`,
        hint: scope
          ? `Create a token with the "api" scope and put it in ${variable}.`
          : `The account of the token in ${variable} needs at least the Reporter role (Developer for releases) ` +
            `on "${ctx.project}", and the project must have issues enabled.`,
      });
    }
    case 404: {
      const projectMissing = said === "404 Project Not Found" || ctx.notFound === undefined;
      return new PlatformError({
        reason: "NotFound",
        status,
        message: projectMissing
          ? `GitLab project "${ctx.project}" was not found or the token in ${variable} cannot see it.`
          : ctx.notFound!,
        hint: projectMissing
          ? `Check the repository (group/sub/project or a numeric id) and that the token's account is a member.`
          : undefined,
      });
    }
    case 410:
      return new PlatformError({
        reason: "Gone",
        status,
        message: `GitLab answered 410 Gone when trying to ${ctx.action}${tail}.`,
      });
    case 429: {
      const wait = retryAfter(e.headers, now) ?? untilReset(e.headers, now) ?? DEFAULT_RATE_LIMIT_WAIT;
      return new PlatformError({
        reason: "RateLimited",
        status,
        message: `GitLab rate limit reached when trying to ${ctx.action}; retry in ${wait} s.`,
        retryAfterSeconds: wait,
      });
    }
  }
  const reason = reasonForStatus(status);
  if (reason === "Transient") {
    const wait = retryAfter(e.headers, now);
    return new PlatformError({
      reason,
      status,
      message: `GitLab answered ${status} when trying to ${ctx.action}${tail}.`,
      hint: "A temporary server error: the request will be retried.",
      ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
    });
  }
  return new PlatformError({
    reason,
    status,
    message: `GitLab refused to ${ctx.action} (${status})${tail}.`,
  });
}

/**
 * Maps anything a Gitbeaker call threw to a {@link PlatformError}. A `PlatformError` passes
 * through unchanged.
 *
 * @example
 * ```ts
 * import { toPlatformError } from "./errors.ts";
 * const e = toPlatformError(new TypeError("fetch failed"), {
 *   action: "read issue #1", project: "acme/widgets", tokenVariable: "GITLAB_TOKEN",
 * });
 * console.log(e.reason); // "Transient"
 * ```
 */
export function toPlatformError(error: unknown, ctx: ErrorContext): PlatformError {
  if (error instanceof PlatformError) return error;
  let mapped: PlatformError;
  if (error instanceof GitLabHttpError) {
    mapped = fromHttp(error, ctx);
  } else if (error instanceof GitLabTransportError) {
    mapped = new PlatformError({
      reason: "Transient",
      message: `Could not ${ctx.action}: ${error.message}.`,
      hint: "A network or proxy problem: the request will be retried.",
    });
  } else {
    const name = error instanceof Error ? error.name : "Error";
    const text = error instanceof Error ? error.message : String(error);
    mapped = new PlatformError({
      reason: "Transient",
      message: `Could not ${ctx.action}: ${name}: ${text}.`,
    });
  }
  if (!ctx.token || (!mapped.message.includes(ctx.token) && !(mapped.hint ?? "").includes(ctx.token))) {
    return mapped;
  }
  return new PlatformError({
    reason: mapped.reason,
    message: redact(mapped.message, ctx.token),
    ...(mapped.hint === undefined ? {} : { hint: redact(mapped.hint, ctx.token) }),
    ...(mapped.status === undefined ? {} : { status: mapped.status }),
    ...(mapped.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: mapped.retryAfterSeconds }),
  });
}
