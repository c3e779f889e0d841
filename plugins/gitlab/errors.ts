/**
 * Mapping GitLab failures to the contract's `PlatformError`: 401 Unauthorized (naming the token
 * variable), 403 Forbidden (with the `insufficient_scope` case spelled out), 404 NotFound, 410 Gone,
 * 400/409/422 Invalid with GitLab's own message, 429 RateLimited (waiting `Retry-After`, else
 * `RateLimit-Reset` − now, else 60 s: the contract's `rateLimitWaitSeconds`), 5xx / network /
 * reset / timeout / malformed JSON Transient. Messages never contain the token (the contract's
 * `redactError`).
 *
 * @module
 */
import {
  DEFAULT_RATE_LIMIT_WAIT_SECONDS,
  PlatformError,
  rateLimitWaitSeconds,
  reasonForStatus,
  redactError,
  retryAfterSeconds,
} from "../../src/platform/mod.ts";
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

/** Seconds to wait when GitLab says neither `Retry-After` nor `RateLimit-Reset` (the contract's default). */
export const DEFAULT_RATE_LIMIT_WAIT = DEFAULT_RATE_LIMIT_WAIT_SECONDS;

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
      const wait = rateLimitWaitSeconds(e.headers, now);
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
    const wait = retryAfterSeconds(e.headers, now);
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
  return redactError(mapped, ctx.token === undefined ? [] : [ctx.token]);
}
