import { Effect, Stream } from "effect";
import { assertEquals } from "../testing/assert.ts";
import { encodeCursor } from "./cursor.ts";
import type { RemoteIssue } from "./issue.ts";
import { keysetListing, type KeysetPage, type KeysetStep, trailingStamps } from "./keyset.ts";

const stamp = (second: number, micros = 0) =>
  `2026-01-01T00:00:${String(second).padStart(2, "0")}.${String(micros).padStart(6, "0")}+00:00`;
const issue = (number: number, updated_at: string) => ({ number, updated_at }) as RemoteIssue;

/** A fake forge answering scripted pages, recording each step it was asked. */
function scripted(pages: ReadonlyArray<KeysetPage<number>>) {
  const asked: Array<KeysetStep<number>> = [];
  let n = 0;
  return {
    asked,
    fetchPage: (step: KeysetStep<number>) =>
      Effect.sync(() => {
        asked.push(step);
        return pages[n++]!;
      }),
  };
}

const run = (since: string | null, pages: ReadonlyArray<KeysetPage<number>>, pageSize = 4) => {
  const forge = scripted(pages);
  const listed = Effect.runSync(
    Stream.runCollect(keysetListing({ since, pageSize, fetchPage: forge.fetchPage })),
  );
  return { asked: forge.asked, cursors: [...listed].map((p) => p.cursor) };
};

Deno.test("keysetListing(): a page with a next page jumps to its last stamp T when T is later", () => {
  const { asked, cursors } = run(null, [
    { issues: [1, 2, 3, 4].map((n) => issue(n, stamp(n))), next: 2 },
    { issues: [4, 5].map((n) => issue(n, stamp(n))), next: null },
  ]);
  assertEquals(asked, [{ since: null, next: null }, { since: stamp(4), next: null }], "a fresh query from T");
  assertEquals(
    cursors,
    [encodeCursor(stamp(4)), encodeCursor(stamp(4))],
    "the last page was not full: its S",
  );
});

Deno.test("keysetListing(): T equal to S, or a burst over a quarter of the page, follows the next page", () => {
  const same = run(stamp(1), [
    { issues: [1, 2, 3, 4].map((n) => issue(n, stamp(1))), next: 2 },
    { issues: [issue(5, stamp(1))], next: null },
  ]);
  assertEquals(same.asked[1], { since: stamp(1), next: 2 });
  const burst = run(null, [
    { issues: [issue(1, stamp(1)), issue(2, stamp(2)), issue(3, stamp(2)), issue(4, stamp(2))], next: 2 },
    { issues: [], next: null },
  ]);
  assertEquals(trailingStamps([issue(1, stamp(1)), issue(2, stamp(2)), issue(3, stamp(2))]), 2);
  assertEquals(
    burst.asked[1],
    { since: null, next: 2 },
    "three of four stamped T: jumping would list them again",
  );
  assertEquals(burst.cursors, [encodeCursor(stamp(2)), null], "an empty last page keeps the query's S");
});

Deno.test("keysetListing(): stamps compare to the microsecond", () => {
  const { asked } = run(stamp(1, 5), [
    {
      issues: [issue(1, stamp(1, 5)), issue(2, stamp(1, 5)), issue(3, stamp(1, 6)), issue(4, stamp(1, 7))],
      next: 2,
    },
    { issues: [], next: null },
  ]);
  assertEquals(asked[1], { since: stamp(1, 7), next: null });
});

Deno.test("keysetListing(): a full last page ends at T, the forge's page size when it says one", () => {
  const full = run(stamp(0), [{ issues: [1, 2, 3, 4].map((n) => issue(n, stamp(n))), next: null }]);
  assertEquals(full.cursors, [encodeCursor(stamp(4))]);
  const small = run(stamp(0), [{ issues: [1, 2].map((n) => issue(n, stamp(n))), next: null, pageSize: 2 }]);
  assertEquals(small.cursors, [encodeCursor(stamp(2))]);
  assertEquals(run(null, [{ issues: [], next: null }]).cursors, [null], "nothing yet: no cursor");
});

Deno.test("keysetListing(): an empty page with a next page follows it, keeping S", () => {
  const { asked, cursors } = run(stamp(3), [
    { issues: [], next: 2 },
    { issues: [issue(7, stamp(7))], next: null },
  ]);
  assertEquals(asked[1], { since: stamp(3), next: 2 });
  assertEquals(cursors, [encodeCursor(stamp(3)), encodeCursor(stamp(3))]);
});
