/**
 * A fetch pinned to one origin: the client of a configuration carries its token on every request,
 * so no request may leave for another host — not a next-page link, not an address found in an
 * answer, not a redirect. Requests to another origin are refused before anything is sent; redirects
 * are followed only within the origin (a redirect elsewhere is handed back as the 3xx answer it is).
 *
 * @module
 */

/** A request refused because it would have left the configured API origin. */
export class ForeignHostError extends Error {
  override readonly name = "ForeignHostError";
  /**
   * @param url the refused address (its query is dropped from the message)
   * @param origin the configured API origin
   */
  constructor(url: string, readonly origin: string) {
    super(
      `forgesync refused to send a request to ${safeOrigin(url)}: this repository's token is only sent to ` +
        `${origin}. Nothing was sent.`,
    );
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "an address that is not a URL";
  }
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** The most redirects followed for one request. */
export const MAX_REDIRECTS = 5;

/**
 * Wraps `base` so that every request goes to `origin` only.
 *
 * @example
 * ```ts ignore
 * const f = pinnedFetch(fetch, "https://api.github.com");
 * await f("https://attacker.example/x"); // throws ForeignHostError, nothing sent
 * ```
 */
export function pinnedFetch(base: typeof fetch, origin: string): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const first = new Request(input, init);
    const body = first.body === null ? undefined : new Uint8Array(await first.arrayBuffer());
    let url = first.url;
    let method = first.method;
    let payload = body;
    for (let hop = 0;; hop++) {
      if (safeOrigin(url) !== origin) throw new ForeignHostError(url, origin);
      const response = await base(
        new Request(url, {
          method,
          headers: first.headers,
          body: payload,
          signal: first.signal,
          redirect: "manual",
        }),
      );
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || location === null || hop >= MAX_REDIRECTS) return response;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        return response;
      }
      if (next.origin !== origin) return response;
      await response.body?.cancel();
      // As fetch does: 303, and 301/302 after a POST, continue as a GET without a body.
      if (
        response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")
      ) {
        method = method === "HEAD" ? "HEAD" : "GET";
        payload = undefined;
      }
      url = next.href;
    }
  };
}
