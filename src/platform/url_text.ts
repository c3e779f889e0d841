/**
 * Safe decoding of the percent-escapes in a URL's path. `decodeURIComponent` throws a `URIError`
 * on a malformed escape (`%ZZ`, a truncated UTF-8 sequence); a repository string or an address a
 * caller pastes must be refused as bad input, never crash the call. Plugins parse with this.
 *
 * @module
 */

/**
 * Decodes the percent-escapes of one URL path segment (or a whole path), or returns undefined
 * when an escape is malformed.
 *
 * @example
 * ```ts
 * import { decodeUrlPart } from "./url_text.ts";
 * decodeUrlPart("caf%C3%A9"); // "café"
 * decodeUrlPart("o/%ZZ"); // undefined
 * ```
 */
export function decodeUrlPart(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Decodes every segment of a path split on `/`, or returns undefined when any escape is malformed.
 *
 * @example
 * ```ts
 * import { decodeUrlSegments } from "./url_text.ts";
 * decodeUrlSegments(["acme", "wid%20gets"]); // ["acme", "wid gets"]
 * ```
 */
export function decodeUrlSegments(segments: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const segment of segments) {
    const decoded = decodeUrlPart(segment);
    if (decoded === undefined) return undefined;
    out.push(decoded);
  }
  return out;
}
