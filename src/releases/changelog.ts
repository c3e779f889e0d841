/**
 * Release notes as Markdown, from the items of a release (pure).
 *
 * Templates (SPEC §5 `release_notes_template`):
 * - `automated`: the release's features and the issues linked to them and to their tasks, grouped
 *   by kind and labels — **Features**, **Fixes** (a bug-like label), **Other** — then the notes the
 *   forge generated, when it did (GitHub's generate-notes);
 * - `manual`: the text given, as is;
 * - `hybrid`: the text given, then the automated part.
 *
 * Grouping: a bug-like label (`bug`, `fix`, `bugfix`, `defect`, `regression`, `hotfix`, also as
 * `type: bug`, `kind/bug`…) makes an item a fix; a feature-like label (`feature`, `enhancement`)
 * a feature; a housekeeping label (`chore`, `docs`, `refactor`, `ci`, `test`, `dependencies`…)
 * other. Without such a label, a feature is a feature and a task is other.
 *
 * @module
 */

/** The release notes templates. */
export const NOTES_TEMPLATES = ["automated", "manual", "hybrid"] as const;
/** One of {@link NOTES_TEMPLATES}. */
export type NotesTemplate = typeof NOTES_TEMPLATES[number];

/** The groups of the automated notes, in the order they are shown. */
export type ChangeGroup = "features" | "fixes" | "other";

/** One item of a release: a feature, or a task of one of its features. */
export interface ChangelogEntry {
  readonly kind: "feature" | "task";
  /** The local id (feat_… or task_…). */
  readonly id: string;
  readonly title: string;
  readonly labels: readonly string[];
  /** The linked issue, if any. */
  readonly issue: { readonly number: number; readonly url: string | null } | null;
}

/** What {@link renderChangelog} renders. */
export interface ChangelogInput {
  readonly version: string;
  /** YYYY-MM-DD shown beside the version, if any. */
  readonly date?: string | null;
  readonly template: NotesTemplate;
  readonly entries: readonly ChangelogEntry[];
  /** The text of the `manual` and `hybrid` templates. */
  readonly manual?: string;
  /** Notes the forge generated (GitHub), appended to the automated part. */
  readonly forgeNotes?: string;
  /** Start with a `## version (date)` heading (default true; a release body omits it). */
  readonly heading?: boolean;
}

const GROUP_TITLES: Readonly<Record<ChangeGroup, string>> = {
  features: "Features",
  fixes: "Fixes",
  other: "Other",
};

const FIX = new Set(["bug", "fix", "bugfix", "bug fix", "defect", "regression", "hotfix"]);
const FEATURE = new Set(["feature", "feat", "enhancement", "new feature"]);
const OTHER = new Set([
  "chore",
  "docs",
  "documentation",
  "refactor",
  "refactoring",
  "ci",
  "build",
  "test",
  "tests",
  "testing",
  "maintenance",
  "dependencies",
  "deps",
]);

/** A label without a `type:` / `kind/` style prefix, lower-cased: `Type: Bug` → `bug`. */
function bareLabel(label: string): string {
  return label.trim().toLowerCase().replace(/^(?:type|kind|category)\s*[:/]\s*/, "").trim();
}

/**
 * The group of an entry.
 *
 * @example
 * ```ts
 * import { classify } from "./changelog.ts";
 * classify({ kind: "feature", id: "feat_1", title: "Crash", labels: ["Type: Bug"], issue: null }); // "fixes"
 * ```
 */
export function classify(entry: ChangelogEntry): ChangeGroup {
  const labels = entry.labels.map(bareLabel);
  if (labels.some((l) => FIX.has(l))) return "fixes";
  if (labels.some((l) => FEATURE.has(l))) return "features";
  if (labels.some((l) => OTHER.has(l))) return "other";
  return entry.kind === "feature" ? "features" : "other";
}

/** Entries by group, each ordered by issue number (entries without an issue last), then id. */
export function groupEntries(entries: readonly ChangelogEntry[]): Record<ChangeGroup, ChangelogEntry[]> {
  const groups: Record<ChangeGroup, ChangelogEntry[]> = { features: [], fixes: [], other: [] };
  for (const entry of entries) groups[classify(entry)].push(entry);
  const key = (e: ChangelogEntry) => e.issue?.number ?? Number.POSITIVE_INFINITY;
  for (const list of Object.values(groups)) {
    list.sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return groups;
}

/** Escapes the characters that would turn a title into Markdown or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/^([#+\-=])/, "\\$1").replace(
    /^(\d+)([.)])/,
    "$1\\$2",
  );
}

/** `(` → `%28`: characters that would end a Markdown link target. */
function percent(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
}

function entryLine(entry: ChangelogEntry): string {
  const title = escapeMarkdown(entry.title.trim());
  if (entry.issue === null) return `- ${title}`;
  const ref = entry.issue.url === null
    ? `#${entry.issue.number}`
    : `[#${entry.issue.number}](${entry.issue.url.replace(/[()\s]/g, percent)})`;
  return `- ${title} (${ref})`;
}

/** The automated part: one section per non-empty group, then the forge's notes. */
function automated(input: ChangelogInput, demote: boolean): string {
  const groups = groupEntries(input.entries);
  const parts: string[] = [];
  for (const group of ["features", "fixes", "other"] as const) {
    if (groups[group].length === 0) continue;
    parts.push(`### ${GROUP_TITLES[group]}\n\n${groups[group].map(entryLine).join("\n")}`);
  }
  const forge = input.forgeNotes?.trim() ?? "";
  if (forge !== "") parts.push(demote ? forge.replace(/^(#{1,5}) /gm, "#$1 ") : forge);
  if (parts.length === 0) parts.push("No changes recorded.");
  return parts.join("\n\n");
}

/**
 * Renders the release notes of a release.
 *
 * @example
 * ```ts
 * import { renderChangelog } from "./changelog.ts";
 * const md = renderChangelog({
 *   version: "v1.2.0",
 *   date: "2026-07-01",
 *   template: "automated",
 *   entries: [{ kind: "feature", id: "feat_1", title: "Dark mode", labels: [], issue: { number: 12, url: null } }],
 * });
 * console.log(md); // "## v1.2.0 (2026-07-01)\n\n### Features\n\n- Dark mode (#12)\n"
 * ```
 */
export function renderChangelog(input: ChangelogInput): string {
  const heading = input.heading ?? true;
  const parts: string[] = [];
  if (heading) parts.push(`## ${input.version}${input.date ? ` (${input.date})` : ""}`);
  const manual = input.manual?.trim() ?? "";
  if (input.template !== "automated" && manual !== "") parts.push(manual);
  if (input.template !== "manual") parts.push(automated(input, heading));
  return `${parts.join("\n\n")}\n`;
}
