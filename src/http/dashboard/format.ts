/**
 * Text helpers of the dashboard.
 *
 * @module
 */
import { redact } from "../../log.ts";

/**
 * Shortens a long text for a page, through the same redaction as logs and tool results (a token that
 * reached an error message or a forge's answer is never shown).
 */
export function clip(text: string | null | undefined, max = 160): string {
  if (text === null || text === undefined) return "";
  const chars = [...redact(text)];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : chars.join("");
}

/** The URL when it is http(s), else undefined (a forge's answer must not inject a `javascript:` link). */
export function safeUrl(url: string | null | undefined): string | undefined {
  return url !== null && url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}

/** A time as `YYYY-MM-DD HH:MM` UTC. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}

/** "1 task", "3 tasks". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? word : many}`;
}

/** A path segment of an item's page (ids are escaped as URL components). */
export function itemHref(kind: "task" | "feature", id: string): string {
  return `/${kind === "task" ? "tasks" : "features"}/${encodeURIComponent(id)}`;
}
