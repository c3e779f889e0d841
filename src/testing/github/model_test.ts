import { assertEquals } from "../assert.ts";
import { iso, nodeId, parseTime, toSecond } from "./model.ts";

Deno.test("times have GitHub's second precision", () => {
  assertEquals(iso(Date.UTC(2026, 10, 25, 19, 24, 7, 999)), "2026-11-25T19:24:07Z");
  assertEquals(toSecond(1_999), 1_000);
  assertEquals(parseTime("2026-11-25T19:24:07Z"), Date.UTC(2026, 10, 25, 19, 24, 7));
  assertEquals(parseTime("2026-11-25T19:24:07.5+01:00"), Date.UTC(2026, 10, 25, 18, 24, 7, 500));
  assertEquals(parseTime("2026-11-25"), Date.UTC(2026, 10, 25));
  assertEquals(parseTime("yesterday"), undefined);
  assertEquals(parseTime("2026-13-45T00:00:00Z"), undefined);
});

Deno.test("node ids are distinct and shaped like GitHub's", () => {
  assertEquals(nodeId("I", 1, 2).startsWith("I_kwDO"), true);
  assertEquals(nodeId("I", 1, 2) === nodeId("I", 1, 3), false);
});
