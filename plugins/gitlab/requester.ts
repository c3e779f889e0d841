/**
 * The Gitbeaker requester of the GitLab plugin. `@gitbeaker/rest`'s own requester calls the global
 * `fetch` and RE-SENDS every request answered 429 or 502 up to ten times after 0.25–128 ms, POST
 * included and ignoring `Retry-After`: a create whose answer was lost behind a 502 becomes a
 * duplicate issue. This requester instead
 *
 * - sends every request through the core's fetch (`PluginEnv.fetch`: counting, budgets, redaction);
 * - sends each request exactly once (no retry of any kind: the core retries, and checks the hidden
 *   marker before re-creating an issue);
 * - ignores Gitbeaker's client-side rate limiter (the core throttles);
 * - turns answers into a `{ body, headers, status }` for Gitbeaker, or throws a
 *   {@link GitLabHttpError} (non-2xx, with status, headers and parsed body) or a
 *   {@link GitLabTransportError} (network failure, reset, malformed JSON) that `errors.ts` maps to
 *   `PlatformError`.
 *
 * It is built with `createRequesterFn` from `@gitbeaker/requester-utils`, the same way
 * `@gitbeaker/rest` builds its default requester, so Gitbeaker's option handling (decamelized JSON
 * bodies, `qs` query strings with `a[]` arrays, auth headers) is unchanged.
 *
 * @module
 */
import {
  createRequesterFn,
  type FormattedResponse,
  type RequesterType,
  type RequestOptions,
  type ResourceOptions,
  type ResponseBodyTypes,
} from "@gitbeaker/requester-utils";

/** A non-2xx answer from GitLab. */
export class GitLabHttpError extends Error {
  override readonly name = "GitLabHttpError";
  constructor(
    readonly status: number,
    readonly headers: Headers,
    /** The parsed JSON body, or the text when it is not JSON. */
    readonly body: unknown,
    readonly method: string,
    /** The request path (no query string, no credentials). */
    readonly path: string,
  ) {
    super(`GitLab answered ${status} to ${method} ${path}`);
  }
}

/** No usable answer: the connection failed or was reset, or the body was not the JSON expected. */
export class GitLabTransportError extends Error {
  override readonly name = "GitLabTransportError";
  constructor(
    readonly kind: "network" | "malformed",
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A Gitbeaker `requesterFn` sending every request once through `fetchFn`.
 *
 * @example
 * ```ts
 * import { Issues } from "@gitbeaker/rest";
 * import { gitLabRequesterFn } from "./requester.ts";
 * const issues = new Issues({
 *   host: "https://gitlab.example.com",
 *   token: "glpat-…",
 *   requesterFn: gitLabRequesterFn(fetch, "forgesync"),
 *   queryTimeout: null,
 *   rateLimits: {},
 * });
 * ```
 */
export function gitLabRequesterFn(
  fetchFn: typeof fetch,
  userAgent: string,
): (options: ResourceOptions) => RequesterType {
  return createRequesterFn(
    (_service, options: RequestOptions) =>
      Promise.resolve({ ...options, headers: { ...options.headers, "user-agent": userAgent } }),
    async (endpoint: string, raw?: Record<string, unknown>): Promise<FormattedResponse> => {
      const options = (raw ?? {}) as RequestOptions;
      const method = (options.method ?? "GET").toUpperCase();
      const prefix = options.prefixUrl ?? "";
      const url = new URL(endpoint, prefix.endsWith("/") ? prefix : `${prefix}/`);
      url.search = options.searchParams ?? "";
      const path = url.pathname;
      let response: Response;
      try {
        response = await fetchFn(url.toString(), {
          method,
          headers: options.headers,
          body: options.body,
          signal: options.signal,
        });
      } catch (error) {
        throw new GitLabTransportError(
          "network",
          `${method} ${path} failed: ${describe(error)}`,
          method,
          path,
        );
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw new GitLabTransportError(
          "network",
          `${method} ${path}: the answer broke off (${describe(error)})`,
          method,
          path,
        );
      }
      if (!response.ok) {
        throw new GitLabHttpError(response.status, response.headers, parseBody(text), method, path);
      }
      const headers = Object.fromEntries(response.headers.entries());
      if (response.status === 204 || text === "") return { body: null, headers, status: response.status };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new GitLabTransportError(
          "malformed",
          `${method} ${path}: GitLab answered ${response.status} with a body that is not JSON`,
          method,
          path,
        );
      }
      return { body: body as ResponseBodyTypes, headers, status: response.status };
    },
  );
}
