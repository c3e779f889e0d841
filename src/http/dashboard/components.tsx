/**
 * Small parts of the dashboard's pages (Hono JSX, rendered on the server). Every value goes through
 * JSX, which escapes text and attributes; links to issues are kept only when they are http(s) URLs.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import type { JSX } from "hono/jsx/jsx-runtime";
import { safeUrl } from "./format.ts";
import { listHref, type ListQuery, pageRange } from "./query.ts";
import type { IssueRef } from "../../store/dashboard_rows.ts";

/** A status shown as a coloured badge (class from the status, never from free text). */
export function Badge({ status }: { status: string }): JSX.Element {
  const tone = /^(completed|synced|done|ok|enqueued|resolved|active)$/.test(status)
    ? "good"
    : /^(failed|cancelled|rejected|open-conflict|parked)$/.test(status)
    ? "bad"
    : /^(blocked|pending|manual|ignored|busy|open|planning)$/.test(status)
    ? "warn"
    : "info";
  return <span class={`badge ${tone}`}>{status}</span>;
}

/** A titled section with an optional count and a link to the whole list. */
export function Section(
  { id, title, count, more, children }: {
    id: string;
    title: string;
    count?: string;
    more?: string;
    children?: Child;
  },
): JSX.Element {
  return (
    <section id={id}>
      <h2>
        {title}
        {count === undefined ? null : <span class="count">{count}</span>}
        {more === undefined ? null : <a class="more" href={more}>see all</a>}
      </h2>
      {children}
    </section>
  );
}

/** A note for an empty list. */
export function Empty({ text }: { text: string }): JSX.Element {
  return <p class="empty">{text}</p>;
}

/** Labels as chips. */
export function Labels({ labels }: { labels: readonly string[] }): JSX.Element {
  // Rendered once on the server: a `key` would only be written into the HTML (Hono keeps it).
  // deno-lint-ignore jsx-key
  return <>{labels.map((l) => <span class="label">{l}</span>)}</>;
}

/** An issue: `repo#N` linking to the forge (when http), and "details" linking to the link's page. */
export function IssueLink({ issue, details = true }: { issue: IssueRef; details?: boolean }): JSX.Element {
  const href = safeUrl(issue.issue_url);
  // On a narrow screen the repository is left out (CSS): "#12" rather than a name broken mid-word.
  const text = issue.issue_number === null ? <>issue being created</> : (
    <>
      <span class="repo">{issue.repository}</span>#{issue.issue_number}
    </>
  );
  return (
    <span class="issue">
      {href === undefined ? text : <a href={href} rel="noreferrer noopener">{text}</a>}
      {details
        ? <a class="details" href={`/links/${issue.link_id}`} title="how this link syncs">details</a>
        : null}
    </span>
  );
}

/** The issues of an item, or a dash. */
export function IssueLinks({ issues }: { issues: readonly IssueRef[] }): JSX.Element {
  if (issues.length === 0) return <span class="muted">no issue</span>;
  return <>{issues.map((issue) => IssueLine({ issue }))}</>;
}

function IssueLine({ issue }: { issue: IssueRef }): JSX.Element {
  return (
    <div>
      <IssueLink issue={issue} />
    </div>
  );
}

/** A progress bar (`<progress>`, no inline style) with its percentage. */
export function ProgressBar({ percent, label }: { percent: number; label: string }): JSX.Element {
  return (
    <span class="progress">
      <progress max="100" value={String(percent)} aria-label={label}>{percent}%</progress>
      <span>{percent}%</span>
    </span>
  );
}

/** "Showing 51–100 of 5,000" and links to the newer and older pages. */
export function Pager(
  { path, query, total }: { path: string; query: ListQuery; total: number },
): JSX.Element {
  const { from, to, pages } = pageRange(query.page, total);
  const page = Math.min(query.page, pages);
  return (
    <nav class="pager" aria-label="pages">
      <span>
        {total === 0
          ? "Nothing matches."
          : `Showing ${from.toLocaleString("en")}–${to.toLocaleString("en")} of ${
            total.toLocaleString("en")
          }`}
      </span>
      {pages <= 1 ? null : (
        <span class="pages">
          {page > 1 ? <a href={listHref(path, query, { page: 1 })}>« first</a> : null}
          {page > 1 ? <a rel="prev" href={listHref(path, query, { page: page - 1 })}>‹ previous</a> : null}
          <span>page {page} of {pages.toLocaleString("en")}</span>
          {page < pages ? <a rel="next" href={listHref(path, query, { page: page + 1 })}>next ›</a> : null}
          {page < pages ? <a href={listHref(path, query, { page: pages })}>last »</a> : null}
        </span>
      )}
    </nav>
  );
}

/** A `<select>` option, selected when its value is the current one. */
function Option(
  { value, current, label }: { value: string; current: string | undefined; label: string },
): JSX.Element {
  return value === current
    ? <option value={value} selected>{label}</option>
    : <option value={value}>{label}</option>;
}

/** The filter form of a list (GET: the filters are in the address, so a filtered page can be shared). */
export function FilterForm(
  { path, query, statuses, statusLabel = "any status", repositories, features, showFeature = true }: {
    path: string;
    query: ListQuery;
    statuses: readonly string[];
    statusLabel?: string;
    repositories: readonly { config_id: number; name: string }[] | null;
    features?: readonly { id: string; title: string }[];
    showFeature?: boolean;
  },
): JSX.Element {
  const repo = query.repository === undefined ? undefined : String(query.repository);
  return (
    <form class="filters" method="get" action={path} role="search">
      <label>
        Status
        <select name="status">
          <option value="">{statusLabel}</option>
          {statuses.map((s) => Option({ value: s, current: query.status, label: s }))}
        </select>
      </label>
      {repositories === null ? null : (
        <label>
          Repository
          <select name="repository">
            <option value="">any repository</option>
            {repositories.map((r) => Option({ value: String(r.config_id), current: repo, label: r.name }))}
            {path === "/tasks" || path === "/features"
              ? <Option value="none" current={repo} label="no issue yet" />
              : null}
          </select>
        </label>
      )}
      {showFeature && features !== undefined
        ? (
          <label>
            Feature
            <select name="feature">
              <option value="">any feature</option>
              {features.map((f) => (
                <Option value={f.id} current={query.feature} label={f.title.slice(0, 60)} />
              ))}
            </select>
          </label>
        )
        : null}
      <label class="grow">
        Search
        <input
          type="search"
          name="q"
          value={query.q ?? ""}
          placeholder="title, text, id or #number"
          maxlength={200}
        />
      </label>
      <label>
        Order
        <select name="sort">
          <Option value="newest" current={query.sort} label="newest first" />
          <Option value="updated" current={query.sort} label="recently updated" />
          <Option value="oldest" current={query.sort} label="oldest first" />
        </select>
      </label>
      <span class="buttons">
        <button type="submit">Filter</button>
        <a href={path}>clear</a>
      </span>
    </form>
  );
}

/** The hidden CSRF field of a form. */
export function Csrf({ token }: { token: string }): JSX.Element {
  return <input type="hidden" name="csrf" value={token} />;
}

/** A name and its value in a `<dl class="fields">`. */
export function Field({ name, children }: { name: string; children?: Child }): JSX.Element {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}
