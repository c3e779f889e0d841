import { assert, assertEquals } from "../testing/assert.ts";
import { PlatformError } from "./errors.ts";
import { redact, redactError } from "./redaction.ts";

Deno.test("redactError() takes the given secrets and token shapes out of message and hint", () => {
  const error = new PlatformError({
    reason: "Invalid",
    message: "bad token tok-SECRET-123; Authorization: Basic bWU6dG9r",
    hint: "ghp_0123456789abcdefghij leaked",
    status: 400,
    retryAfterSeconds: 3,
  });
  const clean = redactError(error, ["tok-SECRET-123"]);
  assertEquals(clean.message, "bad token [REDACTED]; Authorization: [REDACTED]");
  assertEquals(clean.hint, "[REDACTED] leaked");
  assertEquals([clean.reason, clean.status, clean.retryAfterSeconds], ["Invalid", 400, 3]);
});

Deno.test("redactError() returns the error itself when nothing is secret; short values are no secrets", () => {
  const error = new PlatformError({ reason: "NotFound", message: "issue #3 of a/b is gone" });
  assert(redactError(error, ["abc", ""]) === error);
  assertEquals(redact("a key abc", ["abc"]), "a key abc");
});
