import { assert, assertEquals, assertFalse, assertThrows } from "../assert.ts";
import { BbqlError, compileQuery, type FieldType } from "./bbql.ts";
import { formatMicros, MicroClock, parseMicros } from "./clock.ts";

const FIELDS: Record<string, FieldType> = {
  id: "number",
  title: "string",
  "content.raw": "string",
  state: "string",
  updated_on: "datetime",
  "assignee.account_id": "string",
};

const T0 = parseMicros("2026-03-01T10:00:00.000000+00:00")!;

function record(overrides: Record<string, string | number | null> = {}) {
  const r: Record<string, string | number | null> = {
    id: 7,
    title: "Fix the Login page",
    "content.raw": 'Body with <!-- forgesync:task=T1 --> and "quotes"',
    state: "open",
    updated_on: T0 + 5,
    "assignee.account_id": null,
    ...overrides,
  };
  return (field: string) => r[field] ?? null;
}

Deno.test("compileQuery() compares date-times to the microsecond, quoted or not", () => {
  const get = record();
  assert(compileQuery('updated_on > "2026-03-01T10:00:00.000004+00:00"', FIELDS)(get));
  assertFalse(compileQuery("updated_on > 2026-03-01T10:00:00.000005+00:00", FIELDS)(get));
  assert(compileQuery("updated_on >= 2026-03-01T10:00:00.000005+00:00", FIELDS)(get));
  assert(compileQuery('updated_on >= "2026-03-01T11:00:00.000005+01:00"', FIELDS)(get));
  assert(compileQuery("updated_on < 2026-03-01T10:00:00.000006Z", FIELDS)(get));
  assert(compileQuery('updated_on > "2026-03-01"', FIELDS)(get));
});

Deno.test("compileQuery() matches ~ case-insensitively and = exactly", () => {
  const get = record();
  assert(compileQuery('title ~ "login"', FIELDS)(get));
  assertFalse(compileQuery('title = "fix the login page"', FIELDS)(get));
  assert(compileQuery('content.raw ~ "forgesync:task=T1"', FIELDS)(get));
  assert(compileQuery('content.raw ~ "\\"quotes\\""', FIELDS)(get));
  assertFalse(compileQuery('content.raw !~ "forgesync"', FIELDS)(get));
});

Deno.test("compileQuery() combines with AND, OR and parentheses, AND binding tighter", () => {
  const get = record();
  assert(compileQuery('state = "open" AND id = 7', FIELDS)(get));
  assertFalse(compileQuery('state = "new" and id = 7', FIELDS)(get));
  assert(compileQuery('state = "new" OR id = 7', FIELDS)(get));
  // false OR (true AND false) = false; (false OR true) AND false = false; true OR … = true
  assertFalse(compileQuery('state = "new" OR id = 7 AND title = "x"', FIELDS)(get));
  assert(compileQuery('id = 7 OR state = "new" AND title = "x"', FIELDS)(get));
  assertFalse(compileQuery('(id = 7 OR state = "new") AND title = "x"', FIELDS)(get));
});

Deno.test("compileQuery() handles null", () => {
  assert(compileQuery("assignee.account_id = null", FIELDS)(record()));
  assertFalse(compileQuery("assignee.account_id != null", FIELDS)(record()));
  assert(compileQuery('assignee.account_id != "x"', FIELDS)(record()));
  assertFalse(compileQuery('assignee.account_id = "x"', FIELDS)(record()));
});

Deno.test("compileQuery() refuses bad queries with a BbqlError", () => {
  const bad = [
    "nope = 1",
    "title =",
    'title = "unterminated',
    "title = bare",
    'id = "seven"',
    'updated_on > "yesterday"',
    'updated_on ~ "2026"',
    '(title = "x"',
    'title = "x" extra',
    "= 3",
  ];
  for (const q of bad) {
    const error = assertThrows(() => compileQuery(q, FIELDS));
    assert(error instanceof BbqlError, `${q} should fail with BbqlError, got ${error}`);
  }
});

Deno.test("parseMicros() and formatMicros() round-trip Bitbucket timestamps", () => {
  const text = "2026-11-25T19:24:07.123456+00:00";
  assertEquals(formatMicros(parseMicros(text)!), text);
  assertEquals(parseMicros("2026-11-25T20:24:07.123456+01:00"), parseMicros(text));
  assertEquals(parseMicros("2026-11-25T19:24:07.123456789Z"), parseMicros(text));
  assertEquals(parseMicros("2026-11-25T19:24:07.1Z")! % 1_000_000, 100_000);
  assertEquals(parseMicros("not a date"), undefined);
  assertEquals(parseMicros("2026-13-01"), undefined);
});

Deno.test("MicroClock.tick() is strictly increasing even when the source stands still", () => {
  let now = 1_000;
  const clock = new MicroClock(() => now);
  const a = clock.tick(), b = clock.tick();
  assertEquals(a, 1_000_000);
  assertEquals(b, 1_000_001);
  now = 2_000;
  assertEquals(clock.tick(), 2_000_000);
  now = 1_500; // the source went back: still forward
  assertEquals(clock.tick(), 2_000_001);
});
