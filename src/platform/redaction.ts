/**
 * The one redaction, for plugins (exported through `./plugin`): the core's {@link redact} of
 * `src/log.ts` (registered secrets, token shapes, `Authorization`-like header values), plus the
 * secrets a plugin names — its token, or what it derives from it (a Basic credential).
 *
 * The core redacts every error a wrapped client fails with; plugins redact too, so that their
 * clients are safe to use unwrapped (tests, the conformance kit).
 *
 * @module
 */
import { redact } from "../log.ts";
import { PlatformError } from "./errors.ts";

export { redact };

/**
 * The error with `secrets` (and whatever {@link redact} removes) taken out of its message and
 * hint; the same error when there was nothing to take out.
 *
 * @example
 * ```ts
 * import { PlatformError } from "./errors.ts";
 * import { redactError } from "./redaction.ts";
 * const e = new PlatformError({ reason: "Invalid", message: "bad token tok-123456" });
 * redactError(e, ["tok-123456"]).message; // "bad token [REDACTED]"
 * ```
 */
export function redactError(error: PlatformError, secrets: Iterable<string> = []): PlatformError {
  const list = [...secrets];
  const message = redact(error.message, list);
  const hint = error.hint === undefined ? undefined : redact(error.hint, list);
  return message === error.message && hint === error.hint
    ? error
    : new PlatformError({ ...error, message, hint });
}
