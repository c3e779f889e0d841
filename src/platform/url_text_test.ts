import { assertEquals } from "../testing/assert.ts";
import { decodeUrlPart, decodeUrlSegments } from "./url_text.ts";

Deno.test("decodeUrlPart() decodes escapes and returns undefined for a malformed one", () => {
  assertEquals(decodeUrlPart("caf%C3%A9"), "café");
  assertEquals(decodeUrlPart("plain"), "plain");
  assertEquals(decodeUrlPart("%ZZ"), undefined);
  assertEquals(decodeUrlPart("%E0%A4%A"), undefined);
  assertEquals(decodeUrlPart("%"), undefined);
});

Deno.test("decodeUrlSegments() fails as a whole when one segment is malformed", () => {
  assertEquals(decodeUrlSegments(["a", "b%2Fc"]), ["a", "b/c"]);
  assertEquals(decodeUrlSegments(["a", "%ZZ"]), undefined);
  assertEquals(decodeUrlSegments([]), []);
});
