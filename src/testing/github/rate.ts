/**
 * GitHub's primary rate limits as the sandbox keeps them: a budget per resource (`core`: 5,000
 * an hour; `search`: 30 a minute) with a fixed window that starts at the first request, the
 * `x-ratelimit-*` headers every answer carries, and weak ETags over the body.
 *
 * @module
 */

/** One rate-limit budget. */
export class Budget {
  readonly resource: string;
  readonly limit: number;
  readonly windowMs: number;
  #remaining: number;
  #resetAt: number | null = null;
  readonly #now: () => number;

  constructor(resource: string, limit: number, windowMs: number, now: () => number) {
    this.resource = resource;
    this.limit = limit;
    this.windowMs = windowMs;
    this.#remaining = limit;
    this.#now = now;
  }

  #roll(): number {
    const now = this.#now();
    if (this.#resetAt === null || now >= this.#resetAt) {
      if (this.#resetAt !== null) this.#remaining = this.limit;
      this.#resetAt = Math.floor((now + this.windowMs) / 1000) * 1000;
    }
    return this.#resetAt;
  }

  /** Requests left in the current window. */
  get remaining(): number {
    this.#roll();
    return this.#remaining;
  }

  /** Sets what is left in the current window (tests: `setBudget(0)` exhausts it). */
  set(remaining: number): void {
    this.#roll();
    this.#remaining = Math.max(0, Math.min(this.limit, Math.floor(remaining)));
  }

  /** Spends one request. */
  spend(): void {
    this.#roll();
    if (this.#remaining > 0) this.#remaining -= 1;
  }

  /** Epoch seconds when the window resets. */
  get resetSeconds(): number {
    return Math.floor(this.#roll() / 1000);
  }

  /** The `x-ratelimit-*` headers. */
  headers(): Record<string, string> {
    const remaining = this.remaining;
    return {
      "x-ratelimit-limit": String(this.limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(this.resetSeconds),
      "x-ratelimit-used": String(this.limit - remaining),
      "x-ratelimit-resource": this.resource,
    };
  }

  /** The `rate_limit` endpoint's view of this budget. */
  json(): { limit: number; used: number; remaining: number; reset: number } {
    const remaining = this.remaining;
    return { limit: this.limit, used: this.limit - remaining, remaining, reset: this.resetSeconds };
  }
}

/** A weak ETag over `body`, as GitHub sends on every GET: `W/"<sha-256 hex>"`. */
export async function weakEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return `W/"${Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/** Whether an `If-None-Match` header value matches `etag` (weak comparison, lists and `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined || ifNoneMatch.trim() === "") return false;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  const want = strip(etag);
  return ifNoneMatch.split(",").some((t) => t.trim() === "*" || strip(t) === want);
}
