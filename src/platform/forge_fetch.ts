/**
 * The `fetch` every plugin request goes through. It adds what plugins must not do themselves:
 * - conditional GETs: the last answer per URL is kept with its ETag; the next GET sends
 *   `If-None-Match`, and a 304 is turned back into the cached 200 so SDKs never see it (marked
 *   with the {@link CACHED_ANSWER_HEADER} header);
 * - a request counter and the last rate-limit budget seen (GitHub `x-ratelimit-*`, GitLab
 *   `RateLimit-*`, Bitbucket `X-RateLimit-*`);
 * - a timeout per request.
 *
 * @module
 */
import { CACHED_ANSWER_HEADER } from "./types.ts";

/** A cached answer. */
export interface CachedAnswer {
  readonly url: string;
  readonly etag: string;
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

/** Where cached answers live (memory, or the database through {@link EtagCache}). */
export interface AnswerStore {
  get(url: string): Promise<CachedAnswer | undefined>;
  put(answer: CachedAnswer): void;
}

/** The rate-limit budget last reported by the forge. */
export interface RateBudget {
  readonly limit: number;
  readonly remaining: number;
  /** ISO time when the budget resets, if the forge said. */
  readonly reset_at: string | null;
  readonly resource: string | null;
}

/** Counters of one client. */
export interface ForgeStats {
  /** Requests sent (each retry counts). */
  requests: number;
  /** Requests answered 304 from the cache. */
  not_modified: number;
  /** The last budget seen, or null when the forge reports none. */
  rate_limit: RateBudget | null;
}

/** A fresh {@link ForgeStats}. */
export function newStats(): ForgeStats {
  return { requests: 0, not_modified: 0, rate_limit: null };
}

/** Options of {@link makeForgeFetch}. */
export interface ForgeFetchOptions {
  /** The underlying fetch (global fetch by default). */
  readonly base?: typeof fetch;
  /** Cached answers for conditional requests; none disables them. */
  readonly answers?: AnswerStore;
  readonly stats: ForgeStats;
  /** Milliseconds before a request is abandoned (default 30 s). */
  readonly timeoutMs?: number;
}

/** Reads the rate-limit headers of any of the three forges. */
export function readBudget(headers: Headers): RateBudget | null {
  const pick = (...names: string[]) => {
    for (const n of names) {
      const v = headers.get(n);
      if (v !== null && v !== "") return v;
    }
    return null;
  };
  const limit = pick("x-ratelimit-limit", "ratelimit-limit");
  const remaining = pick("x-ratelimit-remaining", "ratelimit-remaining");
  if (limit === null || remaining === null) return null;
  const reset = pick("x-ratelimit-reset", "ratelimit-reset");
  const resetNumber = reset === null ? NaN : Number(reset);
  return {
    limit: Number(limit),
    remaining: Number(remaining),
    reset_at: Number.isFinite(resetNumber) && resetNumber > 0
      ? new Date(resetNumber > 1e11 ? resetNumber : resetNumber * 1000).toISOString()
      : null,
    resource: pick("x-ratelimit-resource"),
  };
}

/**
 * Builds the plugin-facing fetch.
 *
 * @example
 * ```ts ignore
 * const stats = newStats();
 * const f = makeForgeFetch({ stats });
 * await f("https://api.github.com/repos/denoland/deno");
 * console.log(stats.requests); // 1
 * ```
 */
export function makeForgeFetch(options: ForgeFetchOptions): typeof fetch {
  const base = options.base ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { stats, answers } = options;
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
    const cacheable = answers !== undefined && request.method === "GET";
    const cached = cacheable ? await answers.get(request.url) : undefined;
    const headers = new Headers(request.headers);
    if (cached !== undefined && !headers.has("if-none-match")) headers.set("if-none-match", cached.etag);
    stats.requests += 1;
    const response = await base(new Request(request, { headers, signal }));
    const budget = readBudget(response.headers);
    if (budget !== null) stats.rate_limit = budget;
    if (response.status === 304 && cached !== undefined) {
      stats.not_modified += 1;
      await response.body?.cancel();
      const replay = new Headers(cached.headers as Array<[string, string]>);
      replay.set(CACHED_ANSWER_HEADER, "hit");
      for (const [name, value] of response.headers) {
        if (name.startsWith("x-ratelimit") || name.startsWith("ratelimit")) replay.set(name, value);
      }
      return new Response(cached.body, { status: cached.status, headers: replay });
    }
    const etag = response.headers.get("etag");
    if (!cacheable || etag === null || response.status !== 200) return response;
    const body = await response.text();
    // Only JSON is kept: a cached answer is replayed for every later 304, so a garbled 200 (a proxy's
    // error page, a truncated body carrying the upstream ETag) would fail every pass until it changed.
    if (isJson(body)) {
      answers.put({ url: request.url, etag, status: response.status, headers: [...response.headers], body });
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** An in-memory {@link AnswerStore} (tests, and the front of the persistent cache). */
export class MemoryAnswers implements AnswerStore {
  readonly #answers = new Map<string, CachedAnswer>();
  get(url: string): Promise<CachedAnswer | undefined> {
    return Promise.resolve(this.#answers.get(url));
  }
  put(answer: CachedAnswer): void {
    this.#answers.set(answer.url, answer);
  }
  /** Number of answers held. */
  get size(): number {
    return this.#answers.size;
  }
}
