/**
 * One answer to "may this failure wait for a later pass?", whether the failure is a platform's or the
 * tool error made from it.
 */
import { assertEquals } from "../testing/assert.ts";
import { PlatformError, type PlatformErrorReason } from "../platform/errors.ts";
import { isLater } from "../platform/retry.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { stopsFlush, waitsForLaterPass } from "./later.ts";

const REASONS: readonly PlatformErrorReason[] = [
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "Gone",
  "Invalid",
  "RateLimited",
  "Transient",
  "Unsupported",
];

Deno.test("waitsForLaterPass() answers a platform failure and the tool error made from it alike", () => {
  for (const reason of REASONS) {
    const error = new PlatformError({ reason, message: `a ${reason} failure` });
    assertEquals(waitsForLaterPass(error), isLater(error), reason);
    assertEquals(waitsForLaterPass(toAppError(error)), isLater(error), `${reason} as a tool error`);
  }
  assertEquals(REASONS.filter((reason) => waitsForLaterPass(new PlatformError({ reason, message: "" }))), [
    "RateLimited",
    "Transient",
  ]);
});

Deno.test("stopsFlush(): the forge down or busy and the token stop a flush; refusals do not", () => {
  assertEquals(REASONS.filter((reason) => stopsFlush(new PlatformError({ reason, message: "" }))), [
    "Unauthorized",
    "RateLimited",
    "Transient",
  ]);
});
