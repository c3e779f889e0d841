/**
 * HTTP guards: `Host` and `Origin` validation against DNS rebinding, and a bearer token compared
 * in constant time when `FORGESYNC_HTTP_TOKEN` is set.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Whether `host` is a loopback address or name. Only an IPv4 literal in 127.0.0.0/8 counts:
 * a name like `127.attacker.example` can resolve anywhere.
 */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  return LOOPBACK_HOSTS.has(name) ||
    (/^127(\.\d{1,3}){3}$/.test(name) && name.split(".").every((part) => Number(part) <= 255));
}

/**
 * Refuses browser requests from other origins: a page on another site must not reach a local
 * server through DNS rebinding. Requests without `Origin` (MCP clients, curl) pass; an `Origin`
 * passes when its host is loopback or equals the request's own host.
 */
export function originGuard(extraOrigins: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin !== undefined && origin !== "null") {
      let allowed = extraOrigins.includes(origin);
      try {
        const url = new URL(origin);
        const own = c.req.header("host");
        allowed ||= isLoopback(url.hostname) || (own !== undefined && url.host === own);
      } catch {
        allowed = false;
      }
      if (!allowed) {
        return c.json({ error: `Origin "${origin.slice(0, 200)}" is not allowed to call this server.` }, 403);
      }
    }
    await next();
  };
}

/**
 * Refuses requests whose `Host` is not a loopback name while the server listens on loopback only.
 * A DNS-rebinding page (attacker.test now resolving to 127.0.0.1) sends `Host: attacker.test` and
 * a matching `Origin`, which the Origin check alone accepts as "same host".
 */
export function hostGuard(bindHost: string): MiddlewareHandler {
  return async (c, next) => {
    if (isLoopback(bindHost)) {
      const host = c.req.header("host");
      let hostname: string | undefined;
      try {
        hostname = host === undefined ? undefined : new URL(`http://${host}`).hostname;
      } catch {
        hostname = undefined;
      }
      if (hostname !== undefined && !isLoopback(hostname)) {
        return c.json({
          error: `Host "${host!.slice(0, 200)}" is not allowed: this server answers on loopback names only.`,
        }, 403);
      }
    }
    await next();
  };
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    diff |= (x[i % x.length] ?? 0) ^ (y[i % y.length] ?? 0);
  }
  return diff === 0;
}

/** Requires `Authorization: Bearer <token>` when a token is configured. */
export function bearerGuard(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token !== undefined) {
      const header = c.req.header("authorization") ?? "";
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (match === null || !timingSafeEqual(match[1]!.trim(), token)) {
        c.header("WWW-Authenticate", 'Bearer realm="forgesync"');
        return c.json({
          error: "Missing or wrong bearer token: send Authorization: Bearer $FORGESYNC_HTTP_TOKEN.",
        }, 401);
      }
    }
    await next();
  };
}
