import { assert, assertEquals } from "../testing/assert.ts";
import { fromMicros, normalizeTimestamp, toMicros } from "./time.ts";

Deno.test("time helpers keep microseconds and compare across offsets", () => {
  assertEquals(fromMicros(toMicros("2026-11-25T19:24:07.123456+00:00")!), "2026-11-25T19:24:07.123456+00:00");
  assertEquals(normalizeTimestamp("2026-11-25T20:24:07.1234567+01:00"), "2026-11-25T19:24:07.123456+00:00");
  assertEquals(normalizeTimestamp("2026-11-25T19:24:07Z"), "2026-11-25T19:24:07.000000+00:00");
  assertEquals(normalizeTimestamp("soon"), undefined);
  assert(toMicros("2026-01-01T00:00:00.000002+00:00")! > toMicros("2026-01-01T00:00:00.000001Z")!);
});
