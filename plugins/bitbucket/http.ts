/**
 * The small adapter between the Bitbucket plugin and Bitbucket Cloud's REST API 2.0: typed
 * requests through the core's `fetch` (always `env.fetch`, never the global one), authentication,
 * `next`-link paging, and the mapping of every failure to a {@link PlatformError}.
 *
 * No retry, no throttling, no caching here: the core wraps the client with them.
 *
 * @module
 */
import { Effect, Option, Redacted } from "effect";
import { PlatformError, type PluginEnv } from "../../src/platform/mod.ts";

/** An answer of the API, its body parsed as JSON (null when empty). */
export interface BitbucketAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** The paging envelope of collection endpoints. */
export interface Paged<T> {
  readonly values: readonly T[];
  readonly next?: string;
  readonly pagelen?: number;
  readonly size?: number;
  readonly page?: number;
}

/** What a request is about, for error messages. */
export interface Subject {
  /** The repository, canonical `workspace/repo_slug`. */
  readonly repo: string;
  /** What was asked for, e.g. `issue #12` (default: the repository). */
  readonly what?: string;
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

/** Seconds to wait before retrying a rate-limited or unavailable answer. */
export function retryAfterSeconds(headers: Headers, nowMs: number = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(1, Math.ceil((date - nowMs) / 1000));
  }
  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  if (Number.isFinite(reset) && reset > 0) {
    // An epoch in seconds (Bitbucket) or, defensively, a number of seconds from now.
    return reset > 1_000_000_000 ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : Math.ceil(reset);
  }
  return undefined;
}

/** The adapter. */
export class BitbucketHttp {
  readonly #env: PluginEnv;
  readonly #authorization: string;
  readonly #secrets: readonly string[];
  readonly #base: URL;
  /** `basic` (Atlassian API token + `BITBUCKET_EMAIL`) or `bearer` (access token). */
  readonly authMode: "basic" | "bearer";

  constructor(env: PluginEnv, token: Redacted.Redacted<string>, email: string | undefined) {
    this.#env = env;
    const secret = Redacted.value(token);
    if (email !== undefined && email !== "") {
      this.authMode = "basic";
      const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${email}:${secret}`)));
      this.#authorization = `Basic ${basic}`;
      this.#secrets = [secret, basic];
    } else {
      this.authMode = "bearer";
      this.#authorization = `Bearer ${secret}`;
      this.#secrets = [secret];
    }
    this.#base = new URL(env.apiUrl.replace(/\/+$/, ""));
  }

  /** Removes the token from a text that may echo it. */
  redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) if (s.length >= 4) out = out.split(s).join("[redacted]");
    return out;
  }

  /** The URL of an API path (`/repositories/…`) with a query; values are percent-encoded. */
  url(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): string {
    const search = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    return `${this.#base.href.replace(/\/+$/, "")}${path}${search === "" ? "" : `?${search}`}`;
  }

  /** The path of a repository: `/repositories/{workspace}/{slug}`. */
  repoPath(repo: string): string {
    const [workspace = "", slug = ""] = repo.split("/");
    return `/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}`;
  }

  /**
   * A `next` link of a page, kept on the configured API origin so the token never leaves it.
   * Fails when the link points elsewhere.
   */
  nextUrl(next: string): Effect.Effect<string, PlatformError> {
    return Effect.suspend(() => {
      let url: URL;
      try {
        url = new URL(next);
      } catch {
        return Effect.fail(this.#malformed(`a "next" link that is not a URL`));
      }
      const basePath = this.#base.pathname.replace(/\/+$/, "");
      if (url.origin !== this.#base.origin || !url.pathname.startsWith(`${basePath}/`)) {
        return Effect.fail(this.#malformed(`a "next" link outside ${this.#base.origin}${basePath}`));
      }
      return Effect.succeed(url.href);
    });
  }

  #malformed(what: string): PlatformError {
    return new PlatformError({
      reason: "Transient",
      message: `Bitbucket answered with ${what}.`,
      hint:
        "This is usually a proxy or an outage between forgesync and Bitbucket; the next attempt may work.",
    });
  }

  /**
   * Sends a request and returns the answer whatever its status; fails only when there is no
   * usable answer (network error, reset connection, a success whose body is not JSON).
   */
  send(method: string, url: string, body?: unknown): Effect.Effect<BitbucketAnswer, PlatformError> {
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: this.#authorization,
      "user-agent": this.#env.userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const where = `${method} ${new URL(url).pathname}`;
    return Effect.tryPromise({
      try: async () => {
        const res = await this.#env.fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, headers: res.headers, text: await res.text() };
      },
      catch: (cause) =>
        new PlatformError({
          reason: "Transient",
          message: this.redact(
            `Could not reach Bitbucket (${where}): ${
              cause instanceof Error ? cause.message : String(cause)
            }.`,
          ),
          hint: `Check the network and ${this.#env.apiUrl}; the core retries this.`,
        }),
    }).pipe(
      Effect.flatMap(({ status, headers, text }) => {
        if (text.trim() === "") return Effect.succeed({ status, headers, body: null });
        try {
          return Effect.succeed({ status, headers, body: JSON.parse(text) as unknown });
        } catch {
          if (status >= 200 && status < 300) {
            return Effect.fail(this.#malformed(`a body that is not JSON (${where})`));
          }
          return Effect.succeed({ status, headers, body: null });
        }
      }),
    );
  }

  /** The error for a non-success answer. */
  failure(answer: BitbucketAnswer, subject: Subject): PlatformError {
    const { status, headers, body } = answer;
    const said = errorMessage(body);
    const quoted = said === undefined ? "" : ` Bitbucket said: "${said}".`;
    const what = subject.what ?? `repository ${subject.repo}`;
    const variable = this.#env.tokenVariable;
    const make = (fields: ConstructorParameters<typeof PlatformError>[0]) =>
      new PlatformError({
        ...fields,
        status,
        message: this.redact(fields.message),
        ...(fields.hint === undefined ? {} : { hint: this.redact(fields.hint) }),
      });
    switch (true) {
      case status === 401:
        return make({
          reason: "Unauthorized",
          message: `Bitbucket rejected the token in ${variable} (401).${quoted}`,
          hint: this.authMode === "basic"
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
          message: `${
            capitalize(what)
          } was not found in Bitbucket repository ${subject.repo} (404).${quoted}`,
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
        const wait = retryAfterSeconds(headers) ?? 60;
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
        const wait = retryAfterSeconds(headers);
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

  /** Sends a request and fails on anything but a 2xx answer. */
  request<T>(
    method: string,
    url: string,
    subject: Subject,
    body?: unknown,
  ): Effect.Effect<{ readonly body: T; readonly headers: Headers }, PlatformError> {
    return this.send(method, url, body).pipe(
      Effect.flatMap((answer) =>
        answer.status >= 200 && answer.status < 300
          ? Effect.succeed({ body: answer.body as T, headers: answer.headers })
          : Effect.fail(this.failure(answer, subject))
      ),
    );
  }

  /** Every value of a collection, following `next` links. */
  all<T>(url: string, subject: Subject): Effect.Effect<T[], PlatformError> {
    return Effect.gen({ self: this }, function* () {
      const out: T[] = [];
      let next: Option.Option<string> = Option.some(url);
      while (Option.isSome(next)) {
        const { body } = yield* this.request<Paged<T>>("GET", next.value, subject);
        out.push(...(body?.values ?? []));
        next = typeof body?.next === "string" ? Option.some(yield* this.nextUrl(body.next)) : Option.none();
      }
      return out;
    });
  }
}
