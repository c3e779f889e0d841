/**
 * Reads a request body whole before the route sees it, within a size limit (413) and a time limit
 * (408): a client that sends its body too slowly is answered and its connection dropped, instead of
 * holding a handler forever. The route then reads the buffered body as usual.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";

/** The default deadline for a request body: 30 s. */
export const BODY_TIMEOUT_MS = 30_000;

/** What the server passes each request (as Hono's `c.env`), when it can drop connections. */
export interface ConnectionEnv {
  /** Drops the connection the request came on. */
  readonly dropConnection?: () => void;
}

/** Options of {@link bodyGuard}. */
export interface BodyGuardOptions {
  readonly maxBytes: number;
  readonly timeoutMs?: number;
  /** The answer to a body over `maxBytes`. */
  readonly tooLarge: (c: Context) => Response;
  /** The answer to a body not received within `timeoutMs`. */
  readonly tooSlow: (c: Context) => Response;
}

/**
 * The middleware.
 *
 * @example
 * ```ts ignore
 * app.post("/webhooks/:platform", bodyGuard({ maxBytes: 1 << 20, tooLarge, tooSlow }), handler);
 * ```
 */
export function bodyGuard(options: BodyGuardOptions): MiddlewareHandler {
  const timeoutMs = options.timeoutMs ?? BODY_TIMEOUT_MS;
  return async (c, next) => {
    const raw = c.req.raw;
    if (raw.body === null) return await next();
    const declared = raw.headers.get("content-length");
    if (declared !== null && !raw.headers.has("transfer-encoding") && Number(declared) > options.maxBytes) {
      await raw.body.cancel().catch(() => undefined);
      return options.tooLarge(c);
    }
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), timeoutMs));
    try {
      while (true) {
        const read = await Promise.race([reader.read(), late]);
        if (read === "late") {
          await reader.cancel().catch(() => undefined);
          // Answer, then drop the connection (the rest of the body would still be trickling in).
          const drop = (c.env as ConnectionEnv | undefined)?.dropConnection;
          if (drop !== undefined) setTimeout(drop, 1000).unref();
          c.header("connection", "close");
          return options.tooSlow(c);
        }
        if (read.done) break;
        size += read.value.length;
        if (size > options.maxBytes) {
          await reader.cancel().catch(() => undefined);
          return options.tooLarge(c);
        }
        chunks.push(read.value);
      }
    } finally {
      clearTimeout(timer);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    c.req.raw = new Request(raw, { body });
    return await next();
  };
}
