/**
 * The subset of GitHub's issue search (`GET /search/issues?q=…`) the sandbox understands:
 * qualifiers `repo:`, `is:issue|pr|pull-request|open|closed`, `state:`, `in:title|body`, `label:`,
 * and terms (bare words or `"quoted phrases"`, matched case-insensitively). Since 2025 GitHub
 * refuses a query without `is:issue` or `is:pull-request` (422); so does the sandbox.
 *
 * Search is eventually consistent on GitHub: an issue is searchable only `delayMs` after it was
 * created (see the sandbox's `searchDelaySeconds`).
 *
 * @module
 */
import { errorJson } from "./json.ts";
import type { IssueRec, RepoRec } from "./model.ts";
import { ApiError } from "./state.ts";

const DOCS = "https://docs.github.com/rest/search/search#search-issues-and-pull-requests";

/** A parsed search query. */
export interface SearchQuery {
  readonly repos: readonly string[];
  readonly kind: "issue" | "pr";
  readonly state?: "open" | "closed";
  readonly fields: ReadonlyArray<"title" | "body">;
  readonly labels: readonly string[];
  /** Lower-case words and phrases, each of which must appear. */
  readonly terms: readonly string[];
}

function tokens(q: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(re)) {
    if (m[1] !== undefined) out.push(`"${m[1]}`);
    else out.push(m[2]!);
  }
  return out;
}

/** Parses `q`; throws the 422 GitHub answers for a query it refuses. */
export function parseSearch(q: string | undefined): SearchQuery {
  if (q === undefined || q.trim() === "") {
    throw new ApiError(
      422,
      errorJson(422, "Validation Failed", DOCS, [{ resource: "Search", field: "q", code: "missing" }]),
    );
  }
  const repos: string[] = [];
  const labels: string[] = [];
  const terms: string[] = [];
  const fields: Array<"title" | "body"> = [];
  let kind: "issue" | "pr" | undefined;
  let state: "open" | "closed" | undefined;
  for (const token of tokens(q)) {
    if (token.startsWith('"')) {
      const phrase = token.slice(1).trim().toLowerCase();
      if (phrase !== "") terms.push(phrase);
      continue;
    }
    const colon = token.indexOf(":");
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : "";
    const value = colon > 0 ? token.slice(colon + 1) : "";
    if (key === "repo") repos.push(value.toLowerCase());
    else if (key === "is" && (value === "issue" || value === "issues")) kind = "issue";
    else if (key === "is" && (value === "pr" || value === "pull-request")) kind = "pr";
    else if ((key === "is" || key === "state") && (value === "open" || value === "closed")) state = value;
    else if (key === "in" && (value === "title" || value === "body")) fields.push(value);
    else if (key === "label") labels.push(value.replace(/^"|"$/g, "").toLowerCase());
    else if (key === "type" && (value === "issue" || value === "pr")) continue; // does not satisfy the is: rule
    else terms.push(token.toLowerCase());
  }
  if (kind === undefined) {
    throw new ApiError(422, errorJson(422, "Query must include 'is:issue' or 'is:pull-request'", DOCS));
  }
  return { repos, kind, state, fields: fields.length > 0 ? fields : ["title", "body"], labels, terms };
}

/** Whether `issue` of `repo` matches `query`, `searchableAfter` ms after its creation. */
export function matchesSearch(
  query: SearchQuery,
  repo: RepoRec,
  issue: IssueRec,
  now: number,
  delayMs: number,
): boolean {
  if (issue.deleted || issue.created_at + delayMs > now) return false;
  if (query.kind === "issue" ? issue.pull !== null : issue.pull === null) return false;
  if (query.state !== undefined && issue.state !== query.state) return false;
  const full = `${repo.owner}/${repo.name}`.toLowerCase();
  if (query.repos.length > 0 && !query.repos.includes(full)) return false;
  if (!query.labels.every((l) => issue.labels.some((x) => x.name.toLowerCase() === l))) return false;
  const text = query.fields.map((f) => (f === "title" ? issue.title : issue.body ?? "")).join("\n")
    .toLowerCase();
  return query.terms.every((t) => text.includes(t));
}
