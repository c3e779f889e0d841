/**
 * The connection of the Bitbucket plugin to Bitbucket Cloud's REST API 2.0: typed requests through
 * the core's `fetch` (always `env.fetch`, never the global one), authentication, `next`-link
 * paging kept on the configured origin, and every failure mapped by `errors.ts`. The operations
 * (`issues.ts`, `listing.ts`, `marker.ts`, `milestones.ts`, `releases.ts`) take it as their context.
 *
 * No retry, no throttling, no caching here: the core wraps the client with them.
 *
 * @module
 */
import { Effect, Option, Redacted } from "effect";
import type { PlatformError, PluginEnv, RepoRef } from "../../src/platform/mod.ts";
import {
  type BitbucketAnswer,
  type ErrorContext,
  malformed,
  type Subject,
  toPlatformError,
  unreachable,
} from "./errors.ts";

export type { BitbucketAnswer, Subject };

/** The paging envelope of collection endpoints. */
export interface Paged<T> {
  readonly values: readonly T[];
  readonly next?: string;
  readonly pagelen?: number;
  readonly size?: number;
  readonly page?: number;
}

/** Issues, milestones… per request: Bitbucket's maximum `pagelen`. */
export const PAGE_SIZE = 100;

/** The web address of a repository on bitbucket.org (used when an answer lacks its own link). */
export const webUrl = (repo: RepoRef): string => `https://bitbucket.org/${repo.path}`;

/** The connection the operations share. */
export class BitbucketClient {
  readonly #env: PluginEnv;
  readonly #authorization: string;
  readonly #base: URL;
  /** What error messages may name and must not. */
  readonly errors: ErrorContext;
  /** `basic` (Atlassian API token + `BITBUCKET_EMAIL`) or `bearer` (access token). */
  readonly authMode: "basic" | "bearer";

  constructor(env: PluginEnv, token: Redacted.Redacted<string>, email: string | undefined) {
    this.#env = env;
    const secret = Redacted.value(token);
    let secrets: string[];
    if (email !== undefined && email !== "") {
      this.authMode = "basic";
      const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${email}:${secret}`)));
      this.#authorization = `Basic ${basic}`;
      secrets = [secret, basic];
    } else {
      this.authMode = "bearer";
      this.#authorization = `Bearer ${secret}`;
      secrets = [secret];
    }
    this.errors = { tokenVariable: env.tokenVariable, authMode: this.authMode, secrets };
    this.#base = new URL(env.apiUrl.replace(/\/+$/, ""));
  }

  /** The URL of an API path (`/repositories/…`) with a query; values are percent-encoded. */
  url(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): string {
    const search = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    return `${this.#base.href.replace(/\/+$/, "")}${path}${search === "" ? "" : `?${search}`}`;
  }

  /** The URL of a path under a repository (`/repositories/{workspace}/{slug}{path}`), with a query. */
  repoUrl(
    repo: RepoRef,
    path = "",
    query: Readonly<Record<string, string | number | undefined>> = {},
  ): string {
    const [workspace = "", slug = ""] = repo.path.split("/");
    return this.url(
      `/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}${path}`,
      query,
    );
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
        return Effect.fail(malformed(`a "next" link that is not a URL`));
      }
      const basePath = this.#base.pathname.replace(/\/+$/, "");
      if (url.origin !== this.#base.origin || !url.pathname.startsWith(`${basePath}/`)) {
        return Effect.fail(malformed(`a "next" link outside ${this.#base.origin}${basePath}`));
      }
      return Effect.succeed(url.href);
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
      catch: (cause) => unreachable(where, cause, this.#env.apiUrl, this.errors),
    }).pipe(
      Effect.flatMap(({ status, headers, text }) => {
        if (text.trim() === "") return Effect.succeed({ status, headers, body: null });
        try {
          return Effect.succeed({ status, headers, body: JSON.parse(text) as unknown });
        } catch {
          if (status >= 200 && status < 300) {
            return Effect.fail(malformed(`a body that is not JSON (${where})`));
          }
          return Effect.succeed({ status, headers, body: null });
        }
      }),
    );
  }

  /** The error for a non-success answer. */
  failure(answer: BitbucketAnswer, subject: Subject): PlatformError {
    return toPlatformError(answer, subject, this.errors);
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
