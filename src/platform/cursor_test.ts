import { assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { decodeCursor, encodeCursor, foreignCursorError } from "./cursor.ts";

Deno.test("cursors are JSON {since[, page]} and round-trip", () => {
  assertEquals(encodeCursor("2026-11-25T19:24:07.123Z"), '{"since":"2026-11-25T19:24:07.123Z"}');
  assertEquals(encodeCursor(null), '{"since":null}');
  assertEquals(encodeCursor("2026-01-01T00:00:00Z", 3), '{"since":"2026-01-01T00:00:00Z","page":3}');
  for (
    const [since, page] of [["2026-11-25T19:24:07.123Z", 1], [null, 4], [
      "2026-01-01T00:00:00.000001+00:00",
      2,
    ]] as const
  ) {
    assertEquals(decodeCursor(encodeCursor(since, page)), { since, page });
  }
});

Deno.test("decodeCursor(): no cursor is the start; a bare timestamp is accepted", () => {
  assertEquals(decodeCursor(null), { since: null, page: 1 });
  assertEquals(decodeCursor(""), { since: null, page: 1 });
  assertEquals(decodeCursor("2026-01-01T00:00:00Z"), { since: "2026-01-01T00:00:00Z", page: 1 });
  assertEquals(decodeCursor('{"since":"2026-01-01T00:00:00Z","page":0}'), {
    since: "2026-01-01T00:00:00Z",
    page: 1,
  });
});

Deno.test("decodeCursor(): a cursor of another plugin, a bad time or garbage is undefined", () => {
  for (
    const bad of ['W/"etag"', '{"since":"yesterday"}', '{"page":2}', "{}", "garbage", "[1]", "42", "null"]
  ) {
    assertEquals(decodeCursor(bad), undefined, bad);
  }
});

Deno.test("foreignCursorError() is Invalid, names the cursor and the platform, and says how to start over", () => {
  const e = foreignCursorError("GitLab", "acme/widgets", 'W/"etag"');
  assertEquals(e.reason, "Invalid");
  assertStringIncludes(e.message, '"W/\\"etag\\""');
  assertStringIncludes(e.message, "not a GitLab cursor");
  assertStringIncludes(e.hint ?? "", "no cursor");
});
