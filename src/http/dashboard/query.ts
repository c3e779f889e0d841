/**
 * The filters, order and page of a dashboard list, read from the query string (pure): unknown or
 * malformed values fall back to the defaults instead of failing, and links to other pages keep the
 * filters.
 *
 * @module
 */
import { likePattern, type ListQuery, PAGE_SIZE, type Sort, SORTS } from "../../store/dashboard_filters.ts";

// The filters themselves are the read model's (`src/store/dashboard_filters.ts`).
export { likePattern, type ListQuery, PAGE_SIZE, type Sort, SORTS };

/** The highest page number accepted (a bound on OFFSET). */
export const MAX_PAGE = 10_000;

/** Reads a list query; `statuses` are the values `status` may take. */
export function readListQuery(params: URLSearchParams, statuses: readonly string[]): ListQuery {
  const text = (name: string, max = 200) => {
    const v = params.get(name)?.trim();
    return v === undefined || v === "" ? undefined : v.slice(0, max);
  };
  const status = text("status");
  const repo = text("repository");
  const page = Number(params.get("page") ?? "1");
  const sort = text("sort");
  const feature = text("feature", 100);
  return {
    status: status !== undefined && statuses.includes(status) ? status : undefined,
    repository: repo === "none"
      ? "none"
      : repo !== undefined && /^\d{1,9}$/.test(repo)
      ? Number(repo)
      : undefined,
    feature: feature !== undefined && /^[\w-]+$/.test(feature) ? feature : undefined,
    q: text("q"),
    sort: (SORTS as readonly string[]).includes(sort ?? "") ? sort as Sort : "newest",
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** The query string of `query` with `change` applied (defaults left out). */
export function listHref(path: string, query: ListQuery, change: Partial<ListQuery> = {}): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.status !== undefined) params.set("status", q.status);
  if (q.repository !== undefined) params.set("repository", String(q.repository));
  if (q.feature !== undefined) params.set("feature", q.feature);
  if (q.q !== undefined) params.set("q", q.q);
  if (q.sort !== "newest") params.set("sort", q.sort);
  if (q.page !== 1) params.set("page", String(q.page));
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

/** The page's rows: the range shown and the number of pages. */
export function pageRange(page: number, total: number): { from: number; to: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const from = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  return { from: Math.min(from, total), to: Math.min(page * PAGE_SIZE, total), pages };
}
