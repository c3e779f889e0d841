/**
 * Issue bodies: the configured template around the item's text, and the hidden marker that tags
 * an issue created for a local item (so a lost create is found again instead of repeated). Pure.
 *
 * Placeholders: `{{title}}`, `{{body}}` (the specification or description; also `{{specification}}`
 * and `{{description}}`), `{{id}}`, `{{kind}}`, `{{priority}}`, `{{labels}}`. When the body comes
 * back from the forge, {@link extractText} removes the marker and, if the template's chrome is
 * intact, the chrome too — so a text survives round trips through a template.
 *
 * @module
 */

/** The default template: the text alone. */
export const DEFAULT_TEMPLATE = "{{body}}";

/** What a template is rendered with. */
export interface TemplateValues {
  readonly kind: "feature" | "task";
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly priority: string;
  readonly labels: readonly string[];
}

/** The hidden marker of an item. */
export function markerFor(kind: "feature" | "task", id: string): string {
  return `<!-- forgesync:${kind}=${id} -->`;
}

const MARKER_LINE = /\n*<!-- forgesync:(?:feature|task)=[^\s>]+ -->\s*$/;
const TEXT = /\{\{\s*(?:body|specification|description)\s*\}\}/g;

function fill(template: string, values: TemplateValues, text: string): string {
  return template
    .replace(TEXT, () => text)
    .replace(/\{\{\s*title\s*\}\}/g, () => values.title)
    .replace(/\{\{\s*id\s*\}\}/g, () => values.id)
    .replace(/\{\{\s*(?:feature_id|task_id)\s*\}\}/g, () => values.id)
    .replace(/\{\{\s*kind\s*\}\}/g, () => values.kind)
    .replace(/\{\{\s*priority\s*\}\}/g, () => values.priority)
    .replace(/\{\{\s*labels\s*\}\}/g, () => values.labels.join(", "));
}

/** The issue body for an item: the template filled in, then the marker on its own line. */
export function renderBody(template: string | null | undefined, values: TemplateValues): string {
  const filled = fill(template || DEFAULT_TEMPLATE, values, values.text);
  const marker = markerFor(values.kind, values.id);
  return filled === "" ? marker : `${filled}\n\n${marker}`;
}

/**
 * The item text inside an issue body: the marker removed and, when the body still has the
 * template's text around the item text, that removed too. Otherwise the whole body is the text.
 */
export function extractText(
  template: string | null | undefined,
  body: string,
  values: Omit<TemplateValues, "text">,
): string {
  const marker = markerFor(values.kind, values.id);
  // Exactly what renderBody appended; a forge that reformatted whitespace falls back to the pattern.
  const bare = body === marker
    ? ""
    : body.endsWith(`\n\n${marker}`)
    ? body.slice(0, body.length - marker.length - 2)
    : body.replace(MARKER_LINE, "");
  const tpl = template || DEFAULT_TEMPLATE;
  const sentinel = "\u0000FORGESYNC_TEXT\u0000";
  const shape = fill(tpl, { ...values, text: "" }, sentinel);
  const at = shape.indexOf(sentinel);
  if (at < 0) return bare;
  const prefix = shape.slice(0, at);
  const suffix = shape.slice(at + sentinel.length);
  if (bare.length >= prefix.length + suffix.length && bare.startsWith(prefix) && bare.endsWith(suffix)) {
    return bare.slice(prefix.length, bare.length - suffix.length);
  }
  return bare;
}
