/**
 * Sign-in and form protection of the dashboard.
 *
 * A browser holds one cookie, `forgesync_session` (HttpOnly, SameSite=Strict, Path=/): a random
 * session id, an expiry and whether the holder gave the token, signed with HMAC-SHA256. It never holds
 * the token. The signing key comes from `FORGESYNC_HTTP_TOKEN` when it is set (sessions survive a
 * restart; changing the token signs everyone out), else it is random per process.
 *
 * - With a token: pages need a signed-in session or the bearer header (API clients); a browser
 *   without either is sent to `/login`, whose form posts the token once.
 * - Without a token: every page hands out a session, only for the forms' CSRF tokens.
 * - Every form carries a CSRF token, the HMAC of the session id: a POST is accepted with a valid
 *   session and its token, or with the bearer header (which a browser never sends on its own).
 *
 * @module
 */
import { timingSafeEqual } from "../middleware.ts";

/** The cookie's name. */
export const SESSION_COOKIE = "forgesync_session";
/** How long a session lasts (seconds). */
export const SESSION_SECONDS = 12 * 60 * 60;

/** A verified session. */
export interface Session {
  readonly id: string;
  /** Unix seconds. */
  readonly expires: number;
  /** The holder gave the token (always false without one). */
  readonly signedIn: boolean;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The signing of sessions and CSRF tokens for one server. */
export class DashboardAuth {
  readonly #key: Promise<CryptoKey>;
  readonly #token: string | undefined;
  readonly #now: () => number;

  /** `token` is FORGESYNC_HTTP_TOKEN (undefined when unset); `now` gives Unix milliseconds (tests). */
  constructor(token: string | undefined, now: () => number = Date.now) {
    this.#token = token;
    this.#now = now;
    const material = token === undefined
      ? crypto.getRandomValues(new Uint8Array(32))
      : encoder.encode(`forgesync-dashboard-v1:${token}`);
    this.#key = crypto.subtle.importKey("raw", material, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  }

  /** Whether a token is configured (sign-in needed). */
  get needsSignIn(): boolean {
    return this.#token !== undefined;
  }

  async #mac(text: string): Promise<string> {
    return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", await this.#key, encoder.encode(text))));
  }

  /** A new session's cookie value. */
  async issue(signedIn: boolean): Promise<{ value: string; session: Session }> {
    const id = base64url(crypto.getRandomValues(new Uint8Array(18)));
    const expires = Math.floor(this.#now() / 1000) + SESSION_SECONDS;
    const body = `${id}.${expires}.${signedIn ? 1 : 0}`;
    return { value: `${body}.${await this.#mac(body)}`, session: { id, expires, signedIn } };
  }

  /** The session of a cookie value, or undefined when it is forged, expired or malformed. */
  async verify(value: string | undefined): Promise<Session | undefined> {
    if (value === undefined) return undefined;
    const match = /^([\w-]{10,64})\.(\d{1,12})\.([01])\.([\w-]{20,100})$/.exec(value);
    if (match === null) return undefined;
    const [, id, expires, signed, mac] = match;
    if (!timingSafeEqual(await this.#mac(`${id}.${expires}.${signed}`), mac!)) return undefined;
    if (Number(expires) * 1000 <= this.#now()) return undefined;
    // A session signed in under a token means nothing once the token is gone, and vice versa.
    return { id: id!, expires: Number(expires), signedIn: signed === "1" && this.#token !== undefined };
  }

  /** The CSRF token of a session's forms. */
  csrf(session: Session): Promise<string> {
    return this.#mac(`csrf.${session.id}`);
  }

  /** Whether `token` is the session's CSRF token. */
  async checkCsrf(session: Session, token: string | undefined): Promise<boolean> {
    return token !== undefined && timingSafeEqual(await this.csrf(session), token);
  }

  /** Whether `given` is the configured token (false when none is configured). */
  tokenMatches(given: string | undefined): boolean {
    return this.#token !== undefined && given !== undefined && timingSafeEqual(given, this.#token);
  }

  /** Whether an `Authorization` header carries the bearer token. */
  bearerMatches(header: string | undefined): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
    return match !== null && this.tokenMatches(match[1]!.trim());
  }
}

/** The `Set-Cookie` value for a session (`secure` on https), or one that removes it (`value` null). */
export function sessionCookie(value: string | null, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${value ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${value === null ? 0 : SESSION_SECONDS}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** The session cookie's value in a `Cookie` header. */
export function readSessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) return rest.join("=");
  }
  return undefined;
}

/** `next` when it is a path of this server (no open redirect), else "/". */
export function localPath(next: string | undefined | null): string {
  return typeof next === "string" && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 2000 ? next : "/";
}
