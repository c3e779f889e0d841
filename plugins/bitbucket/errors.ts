/**
 * Bitbucket answers → {@link PlatformError}: 401 `Unauthorized` naming the token's variable (and,
 * by the auth mode, what kind of token it must be), 403 `Forbidden` with the scopes, 404 `NotFound`
 * telling a missing repository from a missing issue and from an issue tracker that is off, 410
 * `Gone`, 400/409/422 `Invalid` with Bitbucket's field errors, 429 `RateLimited` waiting as the
 * contract's `rateLimitWaitSeconds` reads the headers, 5xx/408 `Transient` (with a `Retry-After`
 * when given). Messages never carry the token (the contract's `redactError`).
 *
 * @module
 */
import {
  PlatformError,
  rateLimitWaitSeconds,
  redactError,
  retryAfterSeconds,
} from "../../src/platform/mod.ts";

/** What a request is about, for error messages. */
export interface Subject {
  /** The repository, canonical `workspace/repo_slug`. */
  readonly repo: string;
  /** What was asked for, e.g. `issue #12` (default: the repository). */
  readonly what?: string;
}

/** What error messages may name and must not: the token's variable, the auth mode, the secrets. */
export interface ErrorContext {
  readonly tokenVariable: string;
  /** `basic` (Atlassian API token + `BITBUCKET_EMAIL`) or `bearer` (access token). */
  readonly authMode: "basic" | "bearer";
  /** The token and what is derived from it (the Basic credential), to redact. */
  readonly secrets: readonly string[];
  /** The clock, epoch ms (for rate-limit headers). */
  readonly now?: () => number;
}

/** An answer of the API, its body parsed as JSON (null when empty). */
export interface BitbucketAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** How a 404 answer reads. */
export type NotFoundKind = "tracker_off" | "repository" | "other";

/** Classifies a 404 by Bitbucket's error message. */
export function notFoundKind(body: unknown): NotFoundKind {
  const message = errorMessage(body) ?? "";
  if (/no issue tracker|issue tracker is (not enabled|disabled|off)/i.test(message)) return "tracker_off";
  if (/repository/i.test(message) && /not found/i.test(message)) return "repository";
  return "other";
}

/** `error.message` of a Bitbucket error body, if any. */
export function errorMessage(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown } } | null)?.error;
  return typeof error?.message === "string" ? error.message : undefined;
}

function fieldErrors(body: unknown): string {
  const fields = (body as { error?: { fields?: unknown } } | null)?.error?.fields;
  if (typeof fields !== "object" || fields === null) return "";
  const parts = Object.entries(fields as Record<string, unknown>).map(([k, v]) =>
    `${k}: ${Array.isArray(v) ? v.join(" ") : String(v)}`
  );
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The message and hint of a tracker that is off. */
export function trackerOffError(
  repo: string,
  reason: "NotFound" | "Invalid",
  status?: number,
): PlatformError {
  return new PlatformError({
    reason,
    status,
    message: `The issue tracker of Bitbucket repository ${repo} is off, so it has no issues to sync.`,
    hint:
      `Turn it on in Bitbucket: open ${repo}, then Repository settings → Features → Issue tracker, choose Private or Public tracker, save, and verify again.`,
  });
}

/** The failure of a request that got no usable answer (network error, reset connection). */
export function unreachable(where: string, cause: unknown, apiUrl: string, ctx: ErrorContext): PlatformError {
  return redactError(
    new PlatformError({
      reason: "Transient",
      message: `Could not reach Bitbucket (${where}): ${
        cause instanceof Error ? cause.message : String(cause)
      }.`,
      hint: `Check the network and ${apiUrl}; the core retries this.`,
    }),
    ctx.secrets,
  );
}

/** An answer that is not what Bitbucket sends (a body that is not JSON, a foreign `next` link). */
export function malformed(what: string): PlatformError {
  return new PlatformError({
    reason: "Transient",
    message: `Bitbucket answered with ${what}.`,
    hint: "This is usually a proxy or an outage between forgesync and Bitbucket; the next attempt may work.",
  });
}

/** The error for a non-success answer. */
export function toPlatformError(answer: BitbucketAnswer, subject: Subject, ctx: ErrorContext): PlatformError {
  return redactError(fromAnswer(answer, subject, ctx), ctx.secrets);
}

function fromAnswer(answer: BitbucketAnswer, subject: Subject, ctx: ErrorContext): PlatformError {
  const { status, headers, body } = answer;
  const said = errorMessage(body);
  const quoted = said === undefined ? "" : ` Bitbucket said: "${said}".`;
  const what = subject.what ?? `repository ${subject.repo}`;
  const variable = ctx.tokenVariable;
  const now = (ctx.now ?? Date.now)();
  const make = (fields: Omit<ConstructorParameters<typeof PlatformError>[0], "status">) =>
    new PlatformError({ ...fields, status });
  switch (true) {
    case status === 401:
      return make({
        reason: "Unauthorized",
        message: `Bitbucket rejected the token in ${variable} (401).${quoted}`,
        hint: ctx.authMode === "basic"
          ? `Set ${variable} to a valid Atlassian API token and BITBUCKET_EMAIL to the email of its Atlassian account (app passwords no longer work).`
          : `Set ${variable} to a valid repository, project or workspace access token, or to an Atlassian API token together with BITBUCKET_EMAIL (your Atlassian account email).`,
      });
    case status === 403:
      return make({
        reason: "Forbidden",
        message: `The token in ${variable} may not do this on ${what} (403).${quoted}`,
        hint:
          `Give the token the scopes it needs (issue:write to create and edit issues, repository to read the repository), or write access to ${subject.repo}.`,
      });
    case status === 404: {
      const kind = notFoundKind(body);
      if (kind === "tracker_off") return trackerOffError(subject.repo, "NotFound", status);
      if (kind === "repository" || subject.what === undefined) {
        return make({
          reason: "NotFound",
          message:
            `Bitbucket repository ${subject.repo} was not found, or the token in ${variable} cannot see it (404).${quoted}`,
          hint: `Check the workspace and slug, and that the token has access to ${subject.repo}.`,
        });
      }
      return make({
        reason: "NotFound",
        message: `${capitalize(what)} was not found in Bitbucket repository ${subject.repo} (404).${quoted}`,
        hint: "It may have been deleted.",
      });
    }
    case status === 410:
      return make({
        reason: "Gone",
        message: `${capitalize(what)} of ${subject.repo} is gone (410).${quoted}`,
        hint: "It was deleted or moved; unlink it.",
      });
    case status === 429: {
      const wait = rateLimitWaitSeconds(headers, now);
      return make({
        reason: "RateLimited",
        retryAfterSeconds: wait,
        message: `Bitbucket's rate limit was reached (429); retry in ${wait} s.${quoted}`,
        hint: "Bitbucket allows about 1,000 API requests an hour per user or access token.",
      });
    }
    case status === 400 || status === 409 || status === 422:
      return make({
        reason: "Invalid",
        message: `Bitbucket refused the request on ${what} (${status}): ${said ?? "invalid request"}${
          fieldErrors(body)
        }.`,
        hint: /assignee/i.test(JSON.stringify(body ?? ""))
          ? "Bitbucket assignees are Atlassian account ids (account_id, e.g. 557058:…) of users with access to the repository."
          : "Correct the value Bitbucket names and try again.",
      });
    case status >= 500 || status === 408: {
      // Only Retry-After: a rate-limit reset says when the budget refills, which a 5xx is not about.
      const wait = retryAfterSeconds(headers, now);
      return make({
        reason: "Transient",
        ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
        message: `Bitbucket failed to answer on ${what} (${status}).${quoted}`,
        hint: "Bitbucket or a proxy is having trouble; the core retries this.",
      });
    }
    default:
      return make({
        reason: "Invalid",
        message: `Bitbucket answered ${status} on ${what}.${quoted}`,
      });
  }
}
