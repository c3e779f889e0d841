import { assert, assertEquals, assertStringIncludes } from "../../testing/assert.ts";
import { ActivityCharts, bars, budgetRange, passLabel, type PassPoint } from "./charts.tsx";
import { assertInert } from "./test_inert.ts";

const pass = (over: Partial<PassPoint> = {}): PassPoint => ({
  at: "2026-05-01T10:00:00.000Z",
  ok: true,
  requests: 2,
  pulled: 3,
  pushed: 1,
  created: 0,
  conflicts: 0,
  duration_ms: 40,
  budget_remaining: 4990,
  budget_limit: 5000,
  errors: [],
  ...over,
});

Deno.test("bars() scales values to the highest and keeps a sliver for the smallest non-zero one", () => {
  const b = bars([0, 1, 100], 300, 60);
  assertEquals(b.map((x) => x.h), [0, 1.5, 60]);
  assertEquals(b.map((x) => x.x), [0, 100, 200]);
  assert(b.every((x) => x.w > 0 && x.w <= 100));
  assertEquals(bars([], 300, 60), []);
});

Deno.test("budgetRange() zooms on the budget used, never below zero", () => {
  assertEquals(budgetRange([4990, 4980], 5000), { low: 4975, high: 5000 });
  assertEquals(budgetRange([10], 5000), { low: 0, high: 5000 });
  assertEquals(budgetRange([5000], 5000), { low: 4999, high: 5000 });
});

Deno.test("ActivityCharts draws a bar per pass in each chart, failed passes in red, figures in tooltips", async () => {
  const passes = [
    pass(),
    pass({ ok: false, errors: ["GitHub said <no>"], requests: 5 }),
    pass({ budget_remaining: null }),
  ];
  const html = await ActivityCharts({ passes }).toString();
  assertInert(html);
  assertEquals([...html.matchAll(/<rect class="bar"/g)].length, 6);
  assertEquals([...html.matchAll(/<rect class="bar failed"/g)].length, 3);
  assertStringIncludes(html, "<title>2026-05-01 10:00 UTC · failed · 5 requests");
  assertStringIncludes(html, "GitHub said &lt;no&gt;");
  assertStringIncludes(html, "Rate-limit budget left after each pass");
  assertStringIncludes(html, "(highest 5 requests)");
  assertStringIncludes(
    passLabel(pass()),
    "4 changes (pulled 3, pushed 1, created 0) · 40 ms · budget 4990/5000",
  );
  assertStringIncludes(await ActivityCharts({ passes: [] }).toString(), "No pass has run yet");
});
