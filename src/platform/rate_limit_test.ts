import { assertEquals } from "../testing/assert.ts";
import {
  DEFAULT_RATE_LIMIT_WAIT_SECONDS,
  headerValue,
  rateLimitWaitSeconds,
  resetSeconds,
  retryAfterSeconds,
} from "./rate_limit.ts";

const NOW = Date.UTC(2026, 0, 1);
const epoch = (seconds: number) => String(NOW / 1000 + seconds);

Deno.test("Retry-After: delay-seconds as given, a fraction rounded up, 0 meaning now", () => {
  const wait = (value: string) => retryAfterSeconds(new Headers({ "retry-after": value }), NOW);
  assertEquals(wait("12"), 12);
  assertEquals(wait(" 7 "), 7);
  // The plugins disagreed here: GitLab ignored a fraction (and waited 60 s), the others rounded up.
  assertEquals(wait("1.5"), 2);
  assertEquals(wait("0"), 0);
});

Deno.test("Retry-After: an HTTP-date is the seconds until then, 0 once past", () => {
  const wait = (value: string) => retryAfterSeconds(new Headers({ "retry-after": value }), NOW);
  assertEquals(wait("Thu, 01 Jan 2026 00:00:30 GMT"), 30);
  assertEquals(wait(new Date(NOW + 5_500).toUTCString()), 5);
  assertEquals(wait(new Date(NOW + 4_200).toISOString()), 5);
  // The plugins disagreed here: Bitbucket waited at least 1 s, GitHub and GitLab 0 (RFC 9110: now).
  assertEquals(wait("Wed, 31 Dec 2025 23:59:00 GMT"), 0);
});

Deno.test("Retry-After: absent, empty, negative or text is not read", () => {
  assertEquals(retryAfterSeconds(new Headers(), NOW), undefined);
  for (const value of ["", "   ", "-3", "soon", "1e", "12 seconds"]) {
    assertEquals(retryAfterSeconds(new Headers({ "retry-after": value }), NOW), undefined, value);
  }
});

Deno.test("reset: epoch seconds (GitHub, Bitbucket, GitLab's RateLimit-Reset) until then, at least 1", () => {
  assertEquals(resetSeconds(new Headers({ "x-ratelimit-reset": epoch(90) }), NOW), 90);
  assertEquals(resetSeconds(new Headers({ "ratelimit-reset": epoch(42) }), NOW), 42);
  assertEquals(resetSeconds({ "x-ratelimit-reset": Number(epoch(17)) }, NOW + 500), 17);
  assertEquals(resetSeconds(new Headers({ "x-ratelimit-reset": epoch(-30) }), NOW), 1, "past: 1 s");
  assertEquals(resetSeconds(new Headers({ "x-ratelimit-reset": epoch(0) }), NOW), 1, "now: after it");
});

Deno.test("reset: a small number is delta-seconds; garbage, zero and absence are not read", () => {
  assertEquals(resetSeconds(new Headers({ "x-ratelimit-reset": "45" }), NOW), 45);
  for (const value of ["", "0", "-5", "later", "1.5e9x"]) {
    assertEquals(resetSeconds(new Headers({ "x-ratelimit-reset": value }), NOW), undefined, value);
  }
  assertEquals(resetSeconds(new Headers(), NOW), undefined);
});

Deno.test("rateLimitWaitSeconds(): Retry-After first, then the reset, then 60 s", () => {
  const both = new Headers({ "retry-after": "5", "x-ratelimit-reset": epoch(45) });
  assertEquals(rateLimitWaitSeconds(both, NOW), 5);
  assertEquals(rateLimitWaitSeconds(new Headers({ "ratelimit-reset": epoch(45) }), NOW), 45);
  assertEquals(rateLimitWaitSeconds(new Headers({ "retry-after": "nope" }), NOW), 60);
  assertEquals(DEFAULT_RATE_LIMIT_WAIT_SECONDS, 60);
});

Deno.test("headerValue() reads Headers and plain records case-insensitively", () => {
  assertEquals(headerValue(new Headers({ "Retry-After": "3" }), "retry-after"), "3");
  assertEquals(headerValue({ "Retry-After": 3 }, "retry-after"), "3");
  assertEquals(headerValue({ "retry-after": undefined }, "retry-after"), undefined);
  assertEquals(headerValue({}, "retry-after"), undefined);
});

Deno.test("Retry-After (seconds or date), then the reset: the cases the Bitbucket plugin's own parser was tested with", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  const wait = (init: HeadersInit) =>
    retryAfterSeconds(new Headers(init), now) ?? resetSeconds(new Headers(init), now);
  assertEquals(wait({ "retry-after": "12" }), 12);
  assertEquals(wait({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), 30);
  assertEquals(wait({ "x-ratelimit-reset": String(now / 1000 + 90) }), 90);
  assertEquals(wait({ "x-ratelimit-reset": "45" }), 45);
  assertEquals(wait({ "retry-after": "5", "x-ratelimit-reset": "45" }), 5);
  assertEquals(wait({}), undefined);
});
