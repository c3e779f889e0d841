import { assertEquals } from "../../src/testing/assert.ts";
import { markerSearchTerm } from "./marker.ts";

Deno.test("markerSearchTerm() drops the comment delimiters", () => {
  assertEquals(markerSearchTerm("<!-- forgesync:task=T-1 -->"), "forgesync:task=T-1");
  assertEquals(markerSearchTerm("plain"), "plain");
  assertEquals(markerSearchTerm("<!-- -->"), "<!-- -->");
});
