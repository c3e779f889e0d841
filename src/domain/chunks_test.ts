import { assertEquals } from "../testing/assert.ts";
import { chunks } from "./chunks.ts";

Deno.test("chunks() cuts a list into batches of at most size, in order", () => {
  assertEquals(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assertEquals(chunks([1, 2], 25), [[1, 2]]);
  assertEquals(chunks([], 25), []);
  assertEquals(chunks([1, 2], 0), [[1], [2]]);
});
