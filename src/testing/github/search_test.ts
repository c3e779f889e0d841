import { assertEquals, assertThrows } from "../assert.ts";
import { parseSearch } from "./search.ts";

Deno.test("parseSearch reads qualifiers, phrases and words", () => {
  assertEquals(
    parseSearch('repo:Octo/Widgets is:issue "forgesync:task=t 1" in:body label:bug is:open word'),
    {
      repos: ["octo/widgets"],
      kind: "issue",
      state: "open",
      fields: ["body"],
      labels: ["bug"],
      terms: ["forgesync:task=t 1", "word"],
    },
  );
  assertEquals(parseSearch("is:pull-request x").kind, "pr");
  assertEquals(parseSearch("type:issue is:pr").terms, [], "type: is a qualifier, not a word");
  assertThrows(() => parseSearch("type:issue x"), "is:issue");
});

Deno.test("parseSearch refuses a query without is:issue or is:pull-request, or an empty one", () => {
  assertThrows(() => parseSearch("repo:o/r marker"), "Query must include 'is:issue' or 'is:pull-request'");
  assertThrows(() => parseSearch(""), "Validation Failed");
  assertThrows(() => parseSearch(undefined), "Validation Failed");
});
