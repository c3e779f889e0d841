/**
 * The plumbing every GitHub sandbox endpoint shares: authentication (`Authorization: token X` or
 * `Bearer X`), repository access (private repositories are invisible — 404 — to tokens without
 * access; read-only tokens get 403 on writes), primary rate limits with their headers, ETags and
 * conditional GETs (a 304 spends no budget), `link` headers, and GitHub's error bodies.
 *
 * @module
 */
import type { Context } from "hono";
import { DOCS, errorJson, type Urls } from "./json.ts";
import type { RepoRec } from "./model.ts";
import { type Budget, etagMatches, weakEtag } from "./rate.ts";
import { ApiError, type GitHubState, notFound } from "./state.ts";

/** What a token may do. `none`: valid, but without access to the sandbox's private repositories. */
export type Access = "write" | "read" | "none";

/** A token the sandbox accepts. */
export interface TokenGrant {
  readonly login: string;
  readonly access: Access;
  /**
   * The kind of personal access token (default `classic`). A classic token's reach is its scopes;
   * a fine-grained token's, its permissions — and it has none for projects owned by a user.
   */
  readonly kind?: "classic" | "fine_grained";
  /** A classic token's scopes (default `repo`, `project`): sent as `x-oauth-scopes`. */
  readonly scopes?: readonly string[];
  /** A fine-grained token's organization permission "Projects" (default `none`). */
  readonly orgProjects?: "none" | "read" | "write";
}

/** Everything the endpoints need. */
export interface ServerConfig {
  readonly state: GitHubState;
  readonly tokens: ReadonlyMap<string, TokenGrant>;
  readonly core: Budget;
  readonly search: Budget;
  /** Budget of requests without a token (60 an hour on GitHub). */
  readonly anonymous: Budget;
  /** Milliseconds after creation before an issue is searchable. */
  readonly searchDelayMs: () => number;
  /** `/api/v3` (GHES-like) or "" (api.github.com-like). */
  readonly basePath: string;
}

/** An endpoint's answer before headers and conditional handling. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly link?: string;
  readonly location?: string;
}

/** The request as an endpoint sees it. */
export interface Call {
  readonly c: Context;
  readonly url: URL;
  readonly urls: Urls;
  /** null for requests without a token. */
  readonly viewer: TokenGrant | null;
  /** A query parameter. */
  readonly query: (name: string) => string | undefined;
}

/** The scopes of a classic token unless told otherwise. */
export const DEFAULT_SCOPES: readonly string[] = ["repo", "project"];

const RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api";
let requestCounter = 0;

function parseAuthorization(header: string | undefined): string | null | undefined {
  if (header === undefined || header.trim() === "") return null;
  const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header.trim());
  return m === null ? undefined : m[1];
}

/** The JSON of a request body; 400 "Problems parsing JSON" when it is not a JSON object. */
export async function readObject(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {
    // answered below
  }
  throw new ApiError(400, errorJson(400, "Problems parsing JSON", DOCS));
}

/**
 * Resolves `{owner}/{repo}` (or `/repositories/{id}`) for `call`, enforcing access as GitHub:
 * invisible private repositories are 404, writes need a token with push access.
 */
export function repoFor(
  config: ServerConfig,
  call: Call,
  ref: { owner: string; name: string } | { id: number },
  need: "read" | "write",
): RepoRec {
  const repo = "id" in ref ? config.state.reposById.get(ref.id) : config.state.repo(ref.owner, ref.name);
  if (repo === undefined) throw notFound("https://docs.github.com/rest/repos/repos#get-a-repository");
  const access = call.viewer?.access ?? null;
  if (repo.private && (access === null || access === "none")) {
    throw notFound("https://docs.github.com/rest/repos/repos#get-a-repository");
  }
  if (need === "write") {
    if (access === null) throw new ApiError(401, errorJson(401, "Requires authentication", DOCS));
    if (access !== "write") {
      throw new ApiError(403, errorJson(403, "Resource not accessible by personal access token", DOCS));
    }
  }
  return repo;
}

/** The viewer's permissions on `repo`. */
export function permissionsOf(call: Call): { admin: boolean; push: boolean; pull: boolean } {
  const write = call.viewer?.access === "write";
  return { admin: write, push: write, pull: true };
}

/** Page parameters: `per_page` (default 30, at most 100) and `page` (from 1). */
export function pageParams(call: Call): { perPage: number; page: number } {
  const perPage = Number.parseInt(call.query("per_page") ?? "", 10);
  const page = Number.parseInt(call.query("page") ?? "", 10);
  return {
    perPage: Number.isFinite(perPage) && perPage > 0 ? Math.min(perPage, 100) : 30,
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/**
 * Slices `items` to the requested page and builds GitHub's `link` header (`prev`, `next`,
 * `last`, `first`) on `linkBase` with the request's own query, `page` replaced.
 */
export function paginate<T>(call: Call, items: readonly T[], linkBase: string): { page: T[]; link?: string } {
  const { perPage, page } = pageParams(call);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const href = (n: number) => {
    const params = new URLSearchParams(call.url.search);
    params.delete("page");
    params.append("page", String(n));
    return `<${linkBase}?${params.toString()}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${href(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${href(page + 1)}; rel="next"`, `${href(last)}; rel="last"`);
  if (page > 1) rels.push(`${href(1)}; rel="first"`);
  return rels.length > 0 ? { page: slice, link: rels.join(", ") } : { page: slice };
}

function rateLimited(config: ServerConfig, call: Call, budget: Budget): Response {
  const who = call.viewer === null
    ? `API rate limit exceeded for ${call.url.hostname}.`
    : `API rate limit exceeded for user ID ${config.state.user(call.viewer.login).id}.`;
  return new Response(JSON.stringify(errorJson(403, who, RATE_DOCS)), {
    status: 403,
    headers: { ...baseHeaders(), ...budget.headers() },
  });
}

function baseHeaders(): Record<string, string> {
  requestCounter += 1;
  return {
    "content-type": "application/json; charset=utf-8",
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "x-github-request-id": `5B1D:${requestCounter.toString(16).toUpperCase().padStart(6, "0")}:SANDBOX`,
    "access-control-expose-headers":
      "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset",
    vary: "Accept, Authorization, Cookie, X-GitHub-OTP",
  };
}

/** The URLs of the sandbox as the request reached it. */
export function urlsOf(config: ServerConfig, url: URL): Urls {
  return { api: `${url.origin}${config.basePath}`, html: url.origin };
}

/**
 * Turns an endpoint into a Hono handler with GitHub's authentication, rate limits, ETags and
 * error answers. `resource` picks the budget; `rate_limit` spends none (as on GitHub).
 */
export function endpoint(
  config: ServerConfig,
  resource: "core" | "search" | "rate_limit",
  handler: (call: Call) => Answer | Promise<Answer>,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const url = new URL(c.req.url);
    const token = parseAuthorization(c.req.header("authorization"));
    const grant = token === null ? null : token === undefined ? undefined : config.tokens.get(token);
    if (grant === undefined) {
      return new Response(JSON.stringify(errorJson(401, "Bad credentials", DOCS)), {
        status: 401,
        headers: { ...baseHeaders(), ...config.anonymous.headers() },
      });
    }
    const call: Call = { c, url, urls: urlsOf(config, url), viewer: grant, query: (n) => c.req.query(n) };
    const budget = grant === null ? config.anonymous : resource === "search" ? config.search : config.core;
    if (resource !== "rate_limit" && budget.remaining <= 0) return rateLimited(config, call, budget);
    let answer: Answer;
    let extra: Readonly<Record<string, string>> = {};
    try {
      answer = await handler(call);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { status: error.status, body: error.body };
      extra = error.headers;
    }
    const headers: Record<string, string> = { ...baseHeaders(), ...extra };
    if (grant !== null && (grant.kind ?? "classic") === "classic") {
      // GitHub tells a classic token its scopes on every answer; fine-grained tokens get no such header.
      headers["x-oauth-scopes"] = (grant.scopes ?? DEFAULT_SCOPES).join(", ");
      headers["x-accepted-oauth-scopes"] = "repo";
    }
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    if (answer.link !== undefined) headers.link = answer.link;
    if (answer.location !== undefined) headers.location = answer.location;
    if (c.req.method === "GET" && answer.status === 200) {
      const etag = await weakEtag(text);
      headers.etag = etag;
      headers["cache-control"] = "private, max-age=60, s-maxage=60";
      if (etagMatches(c.req.header("if-none-match"), etag)) {
        const { "content-type": _, ...rest } = headers;
        return new Response(null, {
          status: 304,
          headers: resource === "rate_limit" ? rest : { ...rest, ...budget.headers() },
        });
      }
    }
    if (resource !== "rate_limit") {
      budget.spend();
      Object.assign(headers, budget.headers());
    }
    return new Response(answer.body === undefined ? null : text, { status: answer.status, headers });
  };
}
