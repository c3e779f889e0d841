import fc from "fast-check";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import {
  type ChangelogEntry,
  classify,
  escapeMarkdown,
  groupEntries,
  NOTES_TEMPLATES,
  renderChangelog,
} from "./changelog.ts";

const feature = (id: string, title: string, labels: string[] = [], issue?: number): ChangelogEntry => ({
  kind: "feature",
  id,
  title,
  labels,
  issue: issue === undefined
    ? null
    : { number: issue, url: `https://forge.test/acme/widgets/issues/${issue}` },
});
const task = (id: string, title: string, labels: string[] = [], issue?: number): ChangelogEntry => ({
  ...feature(id, title, labels, issue),
  kind: "task",
});

Deno.test("classify() puts bug-labelled items under fixes, whatever the label's prefix or case", () => {
  for (
    const label of ["bug", "Bug", "type: bug", "kind/bug", "Type:Regression", "bugfix", "defect", "hotfix"]
  ) {
    assertEquals(classify(feature("feat_a", "A", [label])), "fixes", label);
    assertEquals(classify(task("task_a", "A", ["ui", label])), "fixes", label);
  }
});

Deno.test("classify() uses feature and housekeeping labels, then the item's kind", () => {
  assertEquals(classify(task("task_a", "A", ["enhancement"])), "features");
  assertEquals(classify(feature("feat_a", "A", ["docs"])), "other");
  assertEquals(classify(feature("feat_a", "A", ["chore", "feature"])), "features");
  assertEquals(classify(feature("feat_a", "A", ["ui"])), "features");
  assertEquals(classify(task("task_a", "A", ["ui"])), "other");
  // A label that merely contains "bug" is not a bug label.
  assertEquals(classify(feature("feat_a", "A", ["debugger"])), "features");
});

Deno.test("groupEntries() orders each group by issue number, items without an issue last, then by id", () => {
  const groups = groupEntries([
    feature("feat_c", "C", [], 7),
    feature("feat_b", "B"),
    feature("feat_a", "A", [], 3),
    feature("feat_0", "Zero"),
    task("task_x", "X", ["bug"], 9),
    task("task_y", "Y"),
  ]);
  assertEquals(groups.features.map((e) => e.id), ["feat_a", "feat_c", "feat_0", "feat_b"]);
  assertEquals(groups.fixes.map((e) => e.id), ["task_x"]);
  assertEquals(groups.other.map((e) => e.id), ["task_y"]);
});

Deno.test("renderChangelog() automated: sections in order Features, Fixes, Other, empty ones left out", () => {
  const md = renderChangelog({
    version: "v1.2.0",
    date: "2026-07-01",
    template: "automated",
    entries: [
      feature("feat_1", "Dark mode", [], 12),
      task("task_1", "Crash on save", ["bug"], 14),
      feature("feat_2", "Offline sync"),
    ],
  });
  assertEquals(
    md,
    "## v1.2.0 (2026-07-01)\n\n" +
      "### Features\n\n" +
      "- Dark mode ([#12](https://forge.test/acme/widgets/issues/12))\n" +
      "- Offline sync\n\n" +
      "### Fixes\n\n" +
      "- Crash on save ([#14](https://forge.test/acme/widgets/issues/14))\n",
  );
});

Deno.test("renderChangelog() manual is the given text only; hybrid is the text, then the sections", () => {
  const entries = [feature("feat_1", "Dark mode", [], 12)];
  const manual = renderChangelog({ version: "v2", template: "manual", entries, manual: "  Big release.\n" });
  assertEquals(manual, "## v2\n\nBig release.\n");
  const hybrid = renderChangelog({ version: "v2", template: "hybrid", entries, manual: "Big release." });
  assertEquals(
    hybrid,
    "## v2\n\nBig release.\n\n### Features\n\n- Dark mode ([#12](https://forge.test/acme/widgets/issues/12))\n",
  );
});

Deno.test("renderChangelog() appends the forge's notes, demoting their headings under the version heading", () => {
  const forgeNotes =
    "## What's Changed\n* Fix by @a in https://x/pull/1\n\n**Full Changelog**: https://x/compare";
  const md = renderChangelog({ version: "v3", template: "automated", entries: [], forgeNotes });
  assertEquals(md, `## v3\n\n${forgeNotes.replace("## What's", "### What's")}\n`);
  const body = renderChangelog({
    version: "v3",
    template: "automated",
    entries: [],
    forgeNotes,
    heading: false,
  });
  assertEquals(body, `${forgeNotes}\n`);
});

Deno.test("renderChangelog() says so when nothing is recorded", () => {
  assertEquals(
    renderChangelog({ version: "v4", template: "automated", entries: [], heading: false }),
    "No changes recorded.\n",
  );
});

Deno.test("renderChangelog() escapes titles and link targets that would break the Markdown", () => {
  const md = renderChangelog({
    version: "v5",
    template: "automated",
    heading: false,
    entries: [{
      kind: "feature",
      id: "feat_1",
      title: "# Use *bold* <script> [x](y) | pipes_and_underscores",
      labels: [],
      issue: { number: 1, url: "https://forge.test/a (b)" },
    }],
  });
  assertStringIncludes(
    md,
    "- \\# Use \\*bold\\* \\<script\\> \\[x\\](y) \\| pipes\\_and\\_underscores ([#1](https://forge.test/a%20%28b%29))",
  );
  assertEquals(escapeMarkdown("1. first"), "1\\. first");
  assertEquals(escapeMarkdown("2) second"), "2\\) second");
  assertEquals(escapeMarkdown("-dash"), "\\-dash");
  assertEquals(escapeMarkdown("plain text"), "plain text");
});

Deno.test("renderChangelog() lists every entry exactly once, under one section, for any entries", () => {
  const label = fc.constantFrom("bug", "feature", "docs", "ui", "Type: Bug", "chore", "enhancement");
  const entry = fc.record({
    kind: fc.constantFrom("feature" as const, "task" as const),
    id: fc.uuid().map((u) => `feat_${u}`),
    title: fc.stringMatching(/^[A-Za-z0-9 ]{1,30}$/).filter((t) => t.trim() !== ""),
    labels: fc.array(label, { maxLength: 3 }),
    issue: fc.option(fc.record({ number: fc.integer({ min: 1, max: 10_000 }), url: fc.constant(null) }), {
      nil: null,
    }),
  });
  fc.assert(
    fc.property(
      fc.uniqueArray(entry, { selector: (e) => e.id, maxLength: 20 }),
      fc.constantFrom(...NOTES_TEMPLATES),
      (entries, template) => {
        const md = renderChangelog({ version: "v1", template, entries, manual: "Notes." });
        const items = md.split("\n").filter((l) => l.startsWith("- "));
        if (template === "manual") return items.length === 0 && md.includes("Notes.");
        const groups = groupEntries(entries);
        assertEquals(groups.features.length + groups.fixes.length + groups.other.length, entries.length);
        assertEquals(items.length, entries.length);
        for (const e of entries) {
          assert(items.some((l) => l.startsWith(`- ${e.title.trim()}`)), e.title);
        }
        if (template === "automated") return !md.includes("Notes.");
        return md.includes("Notes.") && (items.length === 0 || md.indexOf("Notes.") < md.indexOf("\n- "));
      },
    ),
  );
});
