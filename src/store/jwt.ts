/**
 * Ed25519 JWTs as sqld checks them (`--auth-jwt-key-file`): a key pair whose public half goes to
 * the server (URL-safe base64 of the raw key, one per line) and tokens signed with the private half
 * (`alg: EdDSA`). `deno task db-server --new-key` and the tests use it.
 *
 * @module
 */

/** A key pair for sqld's JWT authentication. */
export interface JwtKeys {
  /**
   * The public key as sqld reads it from its key file: URL-safe base64 of the 32 raw bytes. Write
   * it without a trailing newline: sqld refuses the file otherwise ("Invalid byte 10").
   */
  readonly publicKey: string;
  /** The private key as PKCS#8 DER in URL-safe base64 (to keep it and sign later tokens). */
  readonly privateKey: string;
  /** Signs a token with these claims (none: full access to every namespace). */
  sign(claims?: Record<string, unknown>): Promise<string>;
}

/** URL-safe base64 without padding. */
export function base64Url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const raw = atob(b64 + "=".repeat((4 - b64.length % 4) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function signer(key: CryptoKey): (claims?: Record<string, unknown>) => Promise<string> {
  const encode = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));
  return async (claims = {}) => {
    const unsigned = `${encode({ alg: "EdDSA", typ: "JWT" })}.${encode(claims)}`;
    const signature = await crypto.subtle.sign("Ed25519", key, new TextEncoder().encode(unsigned));
    return `${unsigned}.${base64Url(new Uint8Array(signature))}`;
  };
}

/**
 * A new Ed25519 key pair.
 *
 * @example
 * ```ts
 * import { makeJwtKeys } from "./jwt.ts";
 * const keys = await makeJwtKeys();
 * const token = await keys.sign();
 * console.log(token.split(".").length); // 3
 * ```
 */
export async function makeJwtKeys(): Promise<JwtKeys> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const publicKey = base64Url(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
  const privateKey = base64Url(new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey)));
  return { publicKey, privateKey, sign: signer(pair.privateKey) };
}

/** Signs tokens with a private key kept by {@link makeJwtKeys} (`privateKey`). */
export async function jwtSigner(
  privateKey: string,
): Promise<(claims?: Record<string, unknown>) => Promise<string>> {
  const key = await crypto.subtle.importKey("pkcs8", fromBase64Url(privateKey), { name: "Ed25519" }, false, [
    "sign",
  ]);
  return signer(key);
}
