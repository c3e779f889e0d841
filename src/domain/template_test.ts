import fc from "fast-check";
import { assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { extractText, markerFor, renderBody } from "./template.ts";

const values = {
  kind: "feature" as const,
  id: "feat_1",
  title: "Dark mode",
  priority: "high",
  labels: ["ui"],
};

Deno.test("renderBody() fills the template and ends with the hidden marker", () => {
  const body = renderBody("## {{title}}\n\n{{body}}\n\nPriority: {{priority}}", { ...values, text: "Spec." });
  assertEquals(body, "## Dark mode\n\nSpec.\n\nPriority: high\n\n<!-- forgesync:feature=feat_1 -->");
  assertEquals(renderBody(null, { ...values, text: "" }), markerFor("feature", "feat_1"));
  assertStringIncludes(renderBody(undefined, { ...values, text: "$& $1 {{x}}" }), "$& $1 {{x}}");
});

Deno.test("extractText() inverts renderBody() for any text, with the default and a framed template", () => {
  const template = "## {{title}}\n\n{{specification}}\n\n---\nlabels: {{labels}}";
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: fc.constantFrom("a", "\n", " ", "é", "{", "}", "-") }),
  );
  fc.assert(fc.property(text, (text) => {
    assertEquals(extractText(null, renderBody(null, { ...values, text }), values), text);
    assertEquals(extractText(template, renderBody(template, { ...values, text }), values), text);
  }));
});

Deno.test("extractText() keeps trailing newlines and text that looks like a marker", () => {
  for (const text of ["a\n", "a\n\n", "\n", "<!-- forgesync:feature=feat_1 -->"]) {
    assertEquals(extractText(null, renderBody(null, { ...values, text }), values), text);
  }
});

Deno.test("extractText() keeps the whole body when a person rewrote the frame", () => {
  const template = "## {{title}}\n\n{{body}}";
  assertEquals(
    extractText(template, "Rewritten entirely\n\n<!-- forgesync:feature=feat_1 -->", values),
    "Rewritten entirely",
  );
});
