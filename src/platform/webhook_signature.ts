/**
 * Constant-time checks of webhook signatures and tokens, for plugins (exported through `./plugin`):
 * an HMAC-SHA256 of the raw body given as hex (GitHub `X-Hub-Signature-256`, Bitbucket
 * `X-Hub-Signature`) and a shared token (GitLab `X-Gitlab-Token`).
 *
 * @module
 */
import { WebhookPayloadError } from "./webhooks.ts";

const encoder = new TextEncoder();
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Compares two strings in time that depends only on their lengths, never on where they differ.
 *
 * @example
 * ```ts
 * import { constantTimeEqual } from "./webhook_signature.ts";
 * constantTimeEqual("s3cret", "s3cret"); // true
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.max(x.length, y.length, 1);
  let diff = x.length ^ y.length;
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Whether `header` (`sha256=<64 hex digits>`, the prefix as the forge spells it) is the HMAC-SHA256
 * of `body` under `secret`. The comparison is WebCrypto's `verify`, in constant time; a header of
 * the wrong form is refused without computing anything.
 *
 * @example
 * ```ts
 * import { verifySha256Signature } from "./webhook_signature.ts";
 * const body = new TextEncoder().encode("{}");
 * await verifySha256Signature(body, "secret", "sha256=00"); // false: not 64 hex digits
 * ```
 */
export async function verifySha256Signature(
  body: Uint8Array,
  secret: string,
  header: string | null | undefined,
  prefix = "sha256=",
): Promise<boolean> {
  if (header === null || header === undefined || secret === "") return false;
  const value = header.trim();
  if (!value.toLowerCase().startsWith(prefix)) return false;
  const hex = value.slice(prefix.length);
  if (!HEX_SHA256.test(hex)) return false;
  const signature = new Uint8Array(32);
  for (let i = 0; i < 32; i++) signature[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  return await crypto.subtle.verify("HMAC", key, signature, body as Uint8Array<ArrayBuffer>);
}

/**
 * The body of a delivery as a JSON object; throws a {@link WebhookPayloadError} when it is not one.
 *
 * @example
 * ```ts
 * import { readJsonBody } from "./webhook_signature.ts";
 * readJsonBody(new TextEncoder().encode('{"a":1}')); // { a: 1 }
 * ```
 */
export function readJsonBody(body: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new WebhookPayloadError("The webhook body is not a JSON object.");
  }
  return value as Record<string, unknown>;
}
