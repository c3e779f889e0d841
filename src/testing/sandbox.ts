/**
 * What every sandbox forge shares: a request log, scriptable faults, and serving a Hono app on a
 * loopback port (so that the real SDKs, and server processes started by tests, reach it over HTTP).
 *
 * Faults are rules matched against each request in order; a rule fires a number of times and then
 * retires. Kinds:
 * - `status`: answer with a status, body and headers instead of handling the request (5xx, 401, …);
 * - `rate_limit`: a 429 (or 403 secondary limit) with `retry-after` and a drained budget;
 * - `latency`: wait before handling (with a client timeout, this is a timeout);
 * - `reset`: handle nothing and break the connection mid-response;
 * - `malformed`: handle the request, then answer 200 with a body that is not JSON;
 * - `fail_after`: handle the request (the write happens!) and then answer 502, like a proxy that
 *   lost the upstream answer. This is the fault that makes naive retries create duplicates.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";

/** Which requests a fault applies to. */
export interface FaultMatch {
  /** HTTP method, upper case. */
  readonly method?: string;
  /** A path prefix or a regular expression tested against the path. */
  readonly path?: string | RegExp;
}

/** One scripted fault. */
export type Fault =
  & FaultMatch
  & {
    readonly times?: number;
    /** Matching requests let through before the fault fires (default 0): a fault in the middle of a run. */
    readonly after?: number;
  }
  & (
    | {
      readonly kind: "status";
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
    | { readonly kind: "rate_limit"; readonly status?: 429 | 403; readonly retryAfter?: number }
    | { readonly kind: "latency"; readonly ms: number }
    | { readonly kind: "reset" }
    | { readonly kind: "malformed" }
    | { readonly kind: "fail_after"; readonly status?: number }
  );

/** One handled request, as the log keeps it. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  /** True when a fault answered instead of the sandbox. */
  readonly faulted: boolean;
}

/**
 * One request with both bodies, as a recording log keeps it (see {@link RequestLog.record}): what
 * contract tests check against the forges' published definitions.
 */
export interface RecordedExchange extends LoggedRequest {
  /** The request's `content-type` header, or "" when it had none. */
  readonly requestType: string;
  /** The request body as sent ("" when none). */
  readonly requestBody: string;
  /** The answer's `content-type` header, or "" when it had none. */
  readonly responseType: string;
  /** The answer body as sent ("" when none). */
  readonly responseBody: string;
}

/** The request log of a sandbox. */
export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  /** Requests with their bodies, kept only while {@link recording} is on. */
  readonly exchanges: RecordedExchange[] = [];
  /** Whether bodies are kept in {@link exchanges} (off by default: it costs a copy of each body). */
  recording = false;
  /** Starts keeping every request and answer body in {@link exchanges}. */
  record(): this {
    this.recording = true;
    return this;
  }
  /** Number of logged requests matching `match` (all when omitted). */
  count(match: FaultMatch & { readonly status?: number } = {}): number {
    return this.entries.filter((e) =>
      matches(match, e.method, e.path) && (match.status === undefined || match.status === e.status)
    ).length;
  }
  /** Forgets every entry (and every recorded exchange). */
  reset(): void {
    this.entries.length = 0;
    this.exchanges.length = 0;
  }
}

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? path.startsWith(match.path) : match.path.test(path);
}

/** The scripted faults of a sandbox. */
export class Faults {
  #rules: Array<{ fault: Fault; left: number; skip: number }> = [];

  /**
   * Adds a fault (fires `times` times, default 1; `Infinity` until cleared), after letting `after`
   * matching requests through.
   */
  add(fault: Fault): this {
    this.#rules.push({ fault, left: fault.times ?? 1, skip: fault.after ?? 0 });
    return this;
  }

  /** Removes every fault. */
  clear(): void {
    this.#rules = [];
  }

  /** Faults still armed. */
  get pending(): number {
    return this.#rules.length;
  }

  /** Takes the first armed fault matching the request, if any. */
  take(method: string, path: string): Fault | undefined {
    const index = this.#rules.findIndex((r) => matches(r.fault, method, path));
    if (index < 0) return undefined;
    const rule = this.#rules[index]!;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return undefined;
    }
    rule.left -= 1;
    if (rule.left <= 0) this.#rules.splice(index, 1);
    return rule.fault;
  }
}

/** Per-platform shape of fault answers. */
export interface FaultStyle {
  /** The body of an error answer for `status`. */
  errorBody(status: number, message: string): unknown;
  /** Headers of a rate-limit answer (on top of `retry-after`). */
  rateLimitHeaders(retryAfter: number): Record<string, string>;
  /** Called when a rate-limit fault fires (drain the budget, for instance). */
  onRateLimit?(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Middleware logging every request and applying armed faults. Mount it first on a sandbox app.
 */
export function sandboxMiddleware(log: RequestLog, faults: Faults, style: FaultStyle): MiddlewareHandler {
  return async (c: Context, next) => {
    const url = new URL(c.req.url);
    const method = c.req.method.toUpperCase();
    const requestBody = log.recording ? await c.req.raw.clone().text() : "";
    const logged: LoggedRequest[] = [];
    const record = (status: number, faulted: boolean) => {
      const entry = { method, path: url.pathname, query: url.search, status, faulted };
      log.entries.push(entry);
      logged.push(entry);
    };
    const fault = faults.take(method, url.pathname);
    if (fault === undefined) {
      await next();
      record(c.res.status, false);
    } else {
      await applyFault(c, next, fault, style, record);
    }
    const entry = logged[0];
    if (log.recording && entry !== undefined) {
      log.exchanges.push({
        ...entry,
        requestType: c.req.header("content-type") ?? "",
        requestBody,
        responseType: c.res.headers.get("content-type") ?? "",
        responseBody: entry.status === 0 ? "" : await c.res.clone().text(),
      });
    }
  };
}

async function applyFault(
  c: Context,
  next: () => Promise<void>,
  fault: Fault,
  style: FaultStyle,
  record: (status: number, faulted: boolean) => void,
): Promise<void> {
  switch (fault.kind) {
    case "status": {
      record(fault.status, true);
      const body = fault.body ?? style.errorBody(fault.status, `Sandbox fault: ${fault.status}`);
      c.res = new Response(typeof body === "string" ? body : JSON.stringify(body), {
        status: fault.status,
        headers: { "content-type": "application/json; charset=utf-8", ...(fault.headers ?? {}) },
      });
      return;
    }
    case "rate_limit": {
      const status = fault.status ?? 429;
      const retryAfter = fault.retryAfter ?? 1;
      style.onRateLimit?.();
      record(status, true);
      c.res = new Response(
        JSON.stringify(style.errorBody(status, "You have exceeded a secondary rate limit. Please wait.")),
        {
          status,
          headers: {
            "content-type": "application/json; charset=utf-8",
            "retry-after": String(retryAfter),
            ...style.rateLimitHeaders(retryAfter),
          },
        },
      );
      return;
    }
    case "latency":
      await sleep(fault.ms);
      await next();
      record(c.res.status, true);
      return;
    case "reset": {
      record(0, true);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"partial":'));
          controller.error(new Error("sandbox connection reset"));
        },
      });
      c.res = new Response(body, { status: 200, headers: { "content-type": "application/json" } });
      return;
    }
    case "malformed":
      await next();
      record(c.res.status, true);
      c.res = new Response("<html>upstream garbage", {
        status: 200,
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      return;
    case "fail_after": {
      await next();
      const status = fault.status ?? 502;
      record(status, true);
      c.res = new Response(JSON.stringify(style.errorBody(status, "Bad Gateway")), {
        status,
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      return;
    }
  }
}

/** A sandbox served on a loopback port. */
export interface Listening {
  /** Base URL, e.g. `http://127.0.0.1:43125`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server. */
  readonly close: () => Promise<void>;
}

/** Serves `app` on 127.0.0.1 (port 0 picks a free one). */
export async function listen(app: Hono, port = 0): Promise<Listening> {
  const { promise, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen: (a) => resolve(a as Deno.NetAddr) },
    app.fetch,
  );
  const addr = await promise;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    port: addr.port,
    close: async () => {
      await server.shutdown();
    },
  };
}
