/**
 * Octokit failures → {@link PlatformError}, following GitHub's rate-limit documentation:
 * - 401 → `Unauthorized`, naming the token's variable (never its value);
 * - 403/429 with `retry-after` → `RateLimited` for that many seconds;
 * - 403/429 with `x-ratelimit-remaining: 0` → `RateLimited` until `x-ratelimit-reset`;
 * - 403 about a secondary rate limit without either header → `RateLimited` for 60 s;
 * - other 403 → `Forbidden`; 404 → `NotFound`; 410 → `Gone`; 400/422 → `Invalid` with GitHub's
 *   `errors[]` summarized;
 * - 5xx, network failures, resets and timeouts → `Transient` (with `retry-after` when given).
 *
 * Waits are read from the headers by the contract's rules (`retryAfterSeconds`, `resetSeconds`), and
 * every message is redacted by the contract's `redactError`: the token, anything shaped like a
 * token, `Authorization` header values.
 *
 * @module
 */
import {
  DEFAULT_RATE_LIMIT_WAIT_SECONDS,
  type HeaderSource,
  headerValue,
  PlatformError,
  reasonForStatus,
  redactError,
  resetSeconds,
  retryAfterSeconds,
} from "../../src/platform/mod.ts";

/** What error messages may name. */
export interface ErrorContext {
  /** The variable holding the token (`GITHUB_TOKEN`). */
  readonly tokenVariable: string;
  /** The token itself, only to scrub it from messages. */
  readonly token?: string;
  /** The clock, epoch ms (for `x-ratelimit-reset`). */
  readonly now?: () => number;
}

interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly response?: {
    readonly headers?: Record<string, string | number | undefined>;
    readonly data?: unknown;
  };
  readonly cause?: unknown;
}

function asHttpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  return typeof e.status === "number" && typeof e.message === "string"
    ? (e as unknown as HttpFailure)
    : undefined;
}

function summarize(data: unknown): string {
  if (typeof data !== "object" || data === null) return "";
  const d = data as { message?: unknown; errors?: unknown };
  const message = typeof d.message === "string" ? d.message : "";
  const errors = Array.isArray(d.errors)
    ? d.errors.map((e) => {
      if (typeof e === "string") return e;
      if (typeof e !== "object" || e === null) return String(e);
      const x = e as Record<string, unknown>;
      if (typeof x.message === "string" && x.message !== "") return x.message;
      const where = [x.resource, x.field].filter((p) => typeof p === "string").join(".");
      const value = x.value !== undefined ? ` ${JSON.stringify(x.value)}` : "";
      return `${where} ${String(x.code ?? "invalid")}${value}`.trim();
    })
    : [];
  return errors.length > 0 ? `${message}: ${errors.join("; ")}` : message;
}

function cutHtml(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 160 ? `${oneLine.slice(0, 160)}…` : oneLine;
}

/**
 * Maps a failed Octokit call made while doing `what` (e.g. `creating an issue in o/r`) to a
 * {@link PlatformError}. A `PlatformError` passes through unchanged.
 */
export function toPlatformError(error: unknown, what: string, ctx: ErrorContext): PlatformError {
  if (error instanceof PlatformError) return error;
  const now = (ctx.now ?? Date.now)();
  const v = ctx.tokenVariable;
  const make = (fields: ConstructorParameters<typeof PlatformError>[0]) =>
    redactError(new PlatformError(fields), ctx.token === undefined ? [] : [ctx.token]);
  const failure = asHttpFailure(error);
  if (failure === undefined || failure.response === undefined) {
    // Network failures: Octokit wraps them as status 500 without a response.
    const cause = failure?.cause ?? error;
    const name = cause instanceof Error ? cause.name : "";
    const detail = cause instanceof Error ? cause.message : String(cause);
    const timedOut = name === "TimeoutError" || name === "AbortError" || /timed? ?out/i.test(detail);
    return make({
      reason: "Transient",
      message: timedOut
        ? `GitHub did not answer in time while ${what}.`
        : `Could not reach GitHub while ${what}: ${cutHtml(detail || "connection failed")}.`,
      hint: "Check the network and GITHUB_API_URL; the request will be retried.",
    });
  }
  const status = failure.status;
  if (status === 304) {
    return make({
      reason: "Transient",
      message: `GitHub answered 304 Not Modified while ${what}, but no cached answer was at hand.`,
      hint: "The conditional-request cache lost its entry; the request will be sent again.",
      status,
    });
  }
  const data = failure.response.data;
  const said = summarize(data) || (typeof data === "string" ? cutHtml(data) : "");
  const headers: HeaderSource = failure.response.headers ?? {};
  const retryAfter = retryAfterSeconds(headers, now);
  const remaining = headerValue(headers, "x-ratelimit-remaining");
  const label = `${status}${said !== "" ? ` ${said}` : ""}`;
  if (status === 403 || status === 429) {
    if (retryAfter !== undefined) {
      return make({
        reason: "RateLimited",
        message: `GitHub throttled ${what} (${label}); retry after ${retryAfter} s.`,
        hint: "forgesync waits and retries on its own; lower the sync frequency if this recurs.",
        status,
        retryAfterSeconds: retryAfter,
      });
    }
    if (remaining === "0") {
      const wait = resetSeconds(headers, now) ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
      return make({
        reason: "RateLimited",
        message:
          `GitHub's rate limit for the token in ${v} is used up while ${what} (${label}); it resets in ${wait} s.`,
        hint: "forgesync resumes when the budget resets; conditional requests keep passes cheap.",
        status,
        retryAfterSeconds: wait,
      });
    }
    if (status === 429 || /secondary rate limit|abuse/i.test(said)) {
      return make({
        reason: "RateLimited",
        message: `GitHub throttled ${what} (${label}).`,
        hint: "GitHub asks to wait at least a minute after a secondary rate limit.",
        status,
        retryAfterSeconds: DEFAULT_RATE_LIMIT_WAIT_SECONDS,
      });
    }
    return make({
      reason: "Forbidden",
      message: `GitHub refused ${what} (${label}).`,
      hint: `The token in ${v} lacks a permission: it needs push access — a classic token with the "repo" ` +
        `scope, or a fine-grained token with Issues: read and write on this repository.`,
      status,
    });
  }
  switch (status) {
    case 401:
      return make({
        reason: "Unauthorized",
        message: `GitHub rejected the token in ${v} (401 ${said || "Bad credentials"}) while ${what}.`,
        hint: `Set ${v} to a valid token: a classic personal access token with the "repo" scope, or a ` +
          `fine-grained token with Issues: read and write (GitHub → Settings → Developer settings).`,
        status,
      });
    case 404:
      return make({
        reason: "NotFound",
        message: `GitHub found nothing while ${what} (${label}).`,
        hint:
          `Check the repository and number; a private repository answers 404 when the token in ${v} cannot see it.`,
        status,
      });
    case 410:
      return make({
        reason: "Gone",
        message: `GitHub says the target is gone while ${what} (${label}).`,
        hint:
          "The issue was deleted or transferred, or issues were disabled; unlink it or link its new location.",
        status,
      });
    case 400:
    case 422:
      return make({
        reason: "Invalid",
        message: `GitHub refused ${what} (${label}).`,
        hint:
          "Fix the named field (labels, assignees and milestones must exist or be allowed) and try again.",
        status,
      });
  }
  if (status >= 500 || status === 408) {
    return make({
      reason: "Transient",
      message: `GitHub failed while ${what} (${label}).`,
      hint: "GitHub had a temporary problem; the request will be retried.",
      status,
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  return make({
    reason: reasonForStatus(status),
    message: `GitHub answered ${status} while ${what}${said !== "" ? ` (${said})` : ""}.`,
    status,
  });
}
