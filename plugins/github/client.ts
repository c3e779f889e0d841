/**
 * The Octokit client of the GitHub plugin and the one primitive every operation uses: send a
 * request through Octokit (hence through the core's `fetch`), check and read its answer, and map
 * any failure to a {@link PlatformError}. No retry, throttling or caching here: the core wraps
 * the client with them.
 *
 * @module
 */
import { Octokit } from "@octokit/rest";
import { Effect } from "effect";
import type { PlatformError, PluginEnv, RepoRef, StatusLabels } from "../../src/platform/mod.ts";
import { type ErrorContext, toPlatformError } from "./errors.ts";

/** What the operations share. */
export interface GitHubContext {
  readonly octokit: Octokit;
  readonly statusLabels: StatusLabels;
  readonly errors: ErrorContext;
}

/** An Octokit answer as the operations read it. */
export interface Answer {
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Builds the Octokit client: `baseUrl` from `env.apiUrl`, the token, the User-Agent, and the
 * core's `fetch` for every request. Octokit's own logging is silenced (stdout belongs to MCP).
 */
export function makeContext(env: PluginEnv, token: string): GitHubContext {
  const octokit = new Octokit({
    baseUrl: env.apiUrl.replace(/\/+$/, ""),
    auth: token,
    userAgent: env.userAgent,
    request: { fetch: env.fetch },
    log: silent,
  });
  return {
    octokit,
    statusLabels: env.statusLabels,
    errors: { tokenVariable: env.tokenVariable, token },
  };
}

/** `owner` and `repo` of a canonical `owner/repo` path. */
export function ownerRepo(repo: RepoRef): { owner: string; repo: string } {
  const slash = repo.path.indexOf("/");
  return { owner: repo.path.slice(0, slash), repo: repo.path.slice(slash + 1) };
}

/**
 * Sends a request and reads its answer. `what` names the operation in error messages
 * (`creating an issue in o/r`); `read` may throw a {@link PlatformError} for a malformed answer.
 */
export function call<A>(
  ctx: GitHubContext,
  what: string,
  send: (octokit: Octokit) => Promise<Answer>,
  read: (answer: Answer) => A,
): Effect.Effect<A, PlatformError> {
  return Effect.tryPromise({
    try: async () => read(await send(ctx.octokit)),
    catch: (error) => toPlatformError(error, what, ctx.errors),
  });
}

/** The URLs of a `link` header by relation (`next`, `last`, `prev`, `first`). */
export function parseLink(header: string | number | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof header !== "string") return out;
  for (const part of header.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part);
    if (m !== null) { for (const rel of m[2]!.split(/\s+/)) out[rel] = m[1]!; }
  }
  return out;
}

/** Fetches the page at an absolute `url` (a `link` header's target). */
export function getUrl(url: string): (octokit: Octokit) => Promise<Answer> {
  return (octokit) => octokit.request({ method: "GET", url });
}

/**
 * Every item of a paged listing: the first page from `first`, then each `link` rel="next",
 * at most `maxPages` pages.
 */
export function getAllPages<T>(
  ctx: GitHubContext,
  what: string,
  first: (octokit: Octokit) => Promise<Answer>,
  readItems: (data: unknown) => T[],
  maxPages = 100,
): Effect.Effect<T[], PlatformError> {
  return Effect.gen(function* () {
    const out: T[] = [];
    let send = first;
    for (let page = 0; page < maxPages; page++) {
      const { items, next } = yield* call(ctx, what, send, (a) => ({
        items: readItems(a.data),
        next: parseLink(a.headers.link).next,
      }));
      out.push(...items);
      if (next === undefined) break;
      send = getUrl(next);
    }
    return out;
  });
}
