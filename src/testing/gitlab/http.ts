/**
 * HTTP helpers of the GitLab sandbox: GitLab-shaped error answers, offset pagination with GitLab's
 * headers, parameter parsing (query, JSON and form bodies, `a[]` arrays), authentication and the
 * rate-limit budget with its `RateLimit-*` headers.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import type { FaultStyle } from "../sandbox.ts";
import type { GitLabState, GitLabToken } from "./state.ts";

/** Who is calling: the token (undefined when anonymous). */
export interface Caller {
  readonly token: GitLabToken | undefined;
  readonly userId: number | undefined;
}

/** Hono environment of the sandbox app. */
export interface GitLabEnv {
  Variables: { caller: Caller };
}

const PHRASES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `404 Not found`, `401 Unauthorized`…: the `message` GitLab sends for a bare status. */
export function statusMessage(status: number): string {
  return `${status} ${PHRASES[status] ?? "Error"}`;
}

/** A JSON answer. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** `{"message": …}` error (a string such as `404 Project Not Found`, or field errors). */
export function messageError(status: number, message: unknown = statusMessage(status)): Response {
  return json({ message }, status);
}

/** `{"error": …}` error, as Grape's parameter validation answers. */
export function paramError(error: string, status = 400): Response {
  return json({ error: error }, status);
}

/** GitLab's 403 for a token lacking the `api` scope. */
export function insufficientScope(): Response {
  return json({
    error: "insufficient_scope",
    error_description: "The request requires higher privileges than provided by the access token.",
    scope: "api",
  }, 403);
}

/** The fault style of GitLab: `{"message":"502 Bad Gateway"}` and `RateLimit-*` headers. */
export function gitLabFaultStyle(budget: RateBudget): FaultStyle {
  return {
    errorBody: (status) => ({ message: statusMessage(status) }),
    rateLimitHeaders: (retryAfter) => budget.headers(retryAfter),
    onRateLimit: () => budget.drain(),
  };
}

/** The per-minute request budget of the sandbox (GitLab.com: 2,000 a minute per user). */
export class RateBudget {
  #windowStart: number;
  #observed = 0;

  constructor(readonly limit: number, readonly enforce: boolean, readonly now: () => number) {
    this.#windowStart = now();
  }

  #roll(): void {
    if (this.now() >= this.#windowStart + 60_000) {
      this.#windowStart = this.now();
      this.#observed = 0;
    }
  }

  /** Counts one request; false when the budget is exhausted and enforcement is on. */
  take(): boolean {
    this.#roll();
    this.#observed += 1;
    return !(this.enforce && this.#observed > this.limit);
  }

  /** Empties the budget for the rest of the window. */
  drain(): void {
    this.#roll();
    this.#observed = Math.max(this.#observed, this.limit);
  }

  /** Requests left in this window. */
  get remaining(): number {
    this.#roll();
    return Math.max(0, this.limit - this.#observed);
  }

  /** Seconds until the window resets (at least 1). */
  get resetIn(): number {
    return Math.max(1, Math.ceil((this.#windowStart + 60_000 - this.now()) / 1000));
  }

  /** `RateLimit-*` headers; `resetIn` overrides the window's reset (rate-limit faults). */
  headers(resetIn = this.resetIn): Record<string, string> {
    const reset = Math.floor(this.now() / 1000) + resetIn;
    return {
      "ratelimit-limit": String(this.limit),
      "ratelimit-observed": String(Math.min(this.#observed, this.limit)),
      "ratelimit-remaining": String(this.remaining),
      "ratelimit-reset": String(reset),
      "ratelimit-resettime": new Date(reset * 1000).toUTCString(),
    };
  }
}

/**
 * Authenticates (`PRIVATE-TOKEN` for personal tokens, `Authorization: Bearer` for any token),
 * refuses writes by `read_api` tokens, counts the request against the budget and adds the
 * `RateLimit-*` headers to the answer.
 */
export function authAndBudget(state: GitLabState, budget: RateBudget): MiddlewareHandler<GitLabEnv> {
  return async (c, next) => {
    const privateToken = c.req.header("private-token");
    const authorization = c.req.header("authorization");
    let token: GitLabToken | undefined;
    if (privateToken !== undefined) {
      token = state.tokens.get(privateToken);
      if (token === undefined || token.kind !== "personal") return messageError(401);
    } else if (authorization !== undefined) {
      const match = /^Bearer\s+(.+)$/i.exec(authorization);
      token = match ? state.tokens.get(match[1]!.trim()) : undefined;
      if (token === undefined) return messageError(401);
    }
    if (!budget.take()) {
      return new Response("Retry later\n", {
        status: 429,
        headers: { "content-type": "text/plain", "retry-after": String(budget.resetIn), ...budget.headers() },
      });
    }
    const method = c.req.method.toUpperCase();
    if (token && method !== "GET" && method !== "HEAD" && !token.scopes.includes("api")) {
      return withHeaders(insufficientScope(), budget.headers());
    }
    c.set("caller", { token, userId: token?.userId });
    await next();
    c.res = withHeaders(c.res, budget.headers());
  };
}

function withHeaders(res: Response, headers: Record<string, string>): Response {
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(headers)) out.headers.set(k, v);
  return out;
}

/** Parameters of a request: the query string merged with a JSON or form body. */
export type Params = Record<string, unknown>;

/** Reads the parameters of a request; a malformed JSON body gives a 400 answer. */
export async function readParams(c: Context): Promise<Params | Response> {
  const url = new URL(c.req.url);
  const params: Params = {};
  addSearchParams(params, url.searchParams);
  const method = c.req.method.toUpperCase();
  if (method === "GET" || method === "HEAD") return params;
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = await c.req.text();
  if (text.trim() === "") return params;
  if (type === "application/x-www-form-urlencoded") {
    addSearchParams(params, new URLSearchParams(text));
    return params;
  }
  try {
    const body = JSON.parse(text);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return messageError(400, "400 Bad request - The request body must be a JSON object");
    }
    Object.assign(params, body);
    return params;
  } catch {
    return messageError(400, "400 Bad request - Malformed JSON body");
  }
}

function addSearchParams(params: Params, search: URLSearchParams): void {
  for (const [rawKey, value] of search) {
    if (rawKey.endsWith("[]")) {
      const key = rawKey.slice(0, -2);
      const list = Array.isArray(params[key]) ? params[key] as unknown[] : [];
      list.push(value);
      params[key] = list;
    } else {
      params[rawKey] = value;
    }
  }
}

/** A string parameter (numbers are accepted as text); "invalid" for other types. */
export function stringParam(params: Params, key: string): string | undefined | "invalid" {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null) return "";
  return "invalid";
}

/** An integer parameter; null for an explicit empty/null value; "invalid" when not an integer. */
export function intParam(params: Params, key: string): number | null | undefined | "invalid" {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === null || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : "invalid";
}

/** A list of integers (`a[]=1&a[]=2`, JSON array, or comma-separated text); "invalid" otherwise. */
export function intListParam(params: Params, key: string): number[] | undefined | "invalid" {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === null || v === "") return [];
  const items = Array.isArray(v)
    ? v
    : typeof v === "string"
    ? v.split(",")
    : typeof v === "number"
    ? [v]
    : null;
  if (items === null) return "invalid";
  const out: number[] = [];
  for (const item of items) {
    if (item === "" || item === null) continue;
    const n = typeof item === "number"
      ? item
      : typeof item === "string" && /^\d+$/.test(item.trim())
      ? Number(item)
      : NaN;
    if (!Number.isSafeInteger(n)) return "invalid";
    out.push(n);
  }
  return out;
}

/** Labels: comma-separated text or an array of names. */
export function labelsParam(params: Params, key: string): string[] | undefined | "invalid" {
  const v = params[key];
  if (v === undefined) return undefined;
  if (v === null) return [];
  if (typeof v === "string") return v.split(",");
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) {
    return (v as string[]).flatMap((x) => x.split(","));
  }
  return "invalid";
}

/** A time parameter (ISO-8601); "invalid" when it does not parse. */
export function timeParam(params: Params, key: string): number | undefined | "invalid" {
  const v = params[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") return "invalid";
  const t = Date.parse(v);
  return Number.isNaN(t) ? "invalid" : t;
}

/** More than this many records: GitLab leaves out the totals (x-total, x-total-pages, rel="last"). */
export const TOTALS_LIMIT = 10_000;

/**
 * Answers one page of `items` with GitLab's offset-pagination headers: `x-page`, `x-per-page`,
 * `x-next-page`, `x-prev-page` (empty when none), `x-total` and `x-total-pages` (left out above
 * 10,000 records), and a `Link` header (`prev`, `next`, `first`, `last`).
 */
export function paginate<T>(
  c: Context,
  params: Params,
  items: readonly T[],
  render: (item: T) => unknown,
): Response {
  const perPageRaw = intParam(params, "per_page");
  const pageRaw = intParam(params, "page");
  if (perPageRaw === "invalid") return paramError("per_page is invalid");
  if (pageRaw === "invalid") return paramError("page is invalid");
  const perPage = perPageRaw === undefined || perPageRaw === null || perPageRaw < 1
    ? 20
    : Math.min(perPageRaw, 100);
  const page = pageRaw === undefined || pageRaw === null || pageRaw < 1 ? 1 : pageRaw;
  const total = items.length;
  const start = (page - 1) * perPage;
  const slice = items.slice(start, start + perPage);
  const hasNext = start + perPage < total;
  const totalsKnown = total <= TOTALS_LIMIT;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const url = new URL(c.req.url);
  const link = (p: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set("page", String(p));
    u.searchParams.set("per_page", String(perPage));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (hasNext) links.push(link(page + 1, "next"));
  links.push(link(1, "first"));
  if (totalsKnown) links.push(link(totalPages, "last"));
  const headers: Record<string, string> = {
    "x-page": String(page),
    "x-per-page": String(perPage),
    "x-next-page": hasNext ? String(page + 1) : "",
    "x-prev-page": page > 1 ? String(page - 1) : "",
    link: links.join(", "),
  };
  if (totalsKnown) {
    headers["x-total"] = String(total);
    headers["x-total-pages"] = String(totalPages);
  }
  return json(slice.map(render), 200, headers);
}
