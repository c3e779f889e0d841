/**
 * Credentials inside repository strings and addresses. People paste clone URLs such as
 * `https://x-access-token:ghp_…@github.com/o/r.git`; such a string must be refused before a plugin
 * sees it, and never stored, echoed or logged. A URL's user name alone (`https://alice@bitbucket.org/…`,
 * `ssh://git@github.com/…`) is not a secret, but it is not kept either: it is removed.
 *
 * @module
 */
import { redact } from "../log.ts";

/** What a string carries, if anything: a password in a URL, or something shaped like a token. */
export type CredentialKind = "password" | "token";

/** `scheme://userinfo@host…`: the userinfo of an address with an authority. */
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;
/** `user:password@host/…` without a scheme (the SCP-like `git@host:path` has no colon before `@`). */
const BARE_PASSWORD = /^[^\s/@:]+:[^\s/@]*@/;

/**
 * What credentials `text` carries: a URL's password (or a bare `user:password@`), or a value that
 * the log redaction recognises (a token shape or a registered secret); undefined when none.
 *
 * @example
 * ```ts
 * import { credentialsIn } from "./credentials.ts";
 * credentialsIn("https://me:s3cret@github.com/o/r"); // "password"
 * credentialsIn("https://github.com/o/r"); // undefined
 * ```
 */
export function credentialsIn(text: string): CredentialKind | undefined {
  if (redact(text) !== text) return "token";
  const authority = AUTHORITY.exec(text);
  if (authority !== null && authority[2]!.includes(":")) return "password";
  if (authority === null && BARE_PASSWORD.test(text)) return "password";
  return undefined;
}

/**
 * `text` without the user name of its authority (`https://alice@host/p` → `https://host/p`).
 * Strings without an authority (`owner/repo`, `git@host:o/r.git`) are returned as they are.
 */
export function withoutUserName(text: string): string {
  return text.replace(AUTHORITY, "$1");
}

/** `text` with its userinfo replaced by `***` and token shapes redacted, for messages. */
export function maskCredentials(text: string): string {
  return redact(text.replace(AUTHORITY, "$1***@").replace(BARE_PASSWORD, "***@"));
}

/** The message of a refusal: names the parameter, shows the masked value and the fix. */
export function credentialsRefusal(parameter: string, text: string): { message: string; hint: string } {
  return {
    message: `${parameter} "${maskCredentials(text).slice(0, 200)}" carries credentials ` +
      `(a password or a token): it was refused and nothing was stored.`,
    hint: "Give the repository without credentials (owner/repo or https://host/owner/repo), put the token " +
      "in an environment variable of the forgesync process, and name that variable with api_token_name.",
  };
}
