/**
 * The dashboard's parts (Hono JSX, rendered on the server). Every value goes through JSX, which
 * escapes text and attributes; links to issues are kept only when they are http(s) URLs.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { Task } from "../domain/task.ts";
import type { Feature } from "../domain/feature.ts";
import type { DeliveryRow } from "../store/deliveries.ts";
import type {
  DashboardBoard,
  DashboardCard,
  DashboardColumn,
  LinkView,
  ReleaseView,
  RepositoryView,
} from "./dashboard_data.ts";

/** Shortens a long text for a table cell. */
export function clip(text: string | null | undefined, max = 160): string {
  if (text === null || text === undefined) return "";
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : text;
}

/** The URL when it is http(s), else undefined (a forge's answer must not inject a `javascript:` link). */
export function safeUrl(url: string | null): string | undefined {
  return url !== null && /^https?:\/\//i.test(url) ? url : undefined;
}

/** A time as `YYYY-MM-DD HH:MM` UTC. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}

/** A status shown as a coloured badge (class from the status, never from free text). */
export function Badge({ status }: { status: string }): JSX.Element {
  const tone = /^(completed|synced|done|ok|enqueued)$/.test(status)
    ? "good"
    : /^(failed|cancelled|rejected|open-conflict)$/.test(status)
    ? "bad"
    : /^(blocked|pending|manual|ignored|busy)$/.test(status)
    ? "warn"
    : "info";
  return <span class={`badge ${tone}`}>{status}</span>;
}

/** A titled section with a count. */
export function Section(
  { id, title, count, children }: { id: string; title: string; count?: string; children?: Child },
): JSX.Element {
  return (
    <section id={id}>
      <h2>
        {title}
        {count === undefined ? null : <span class="count">{count}</span>}
      </h2>
      {children}
    </section>
  );
}

/** "N" or "first N of M". */
export function shown(rows: number, total: number): string {
  return rows < total ? `${rows} of ${total}` : String(total);
}

function Empty({ text }: { text: string }): JSX.Element {
  return <p class="empty">{text}</p>;
}

function Labels({ labels }: { labels: readonly string[] }): JSX.Element {
  // Rendered once on the server: a `key` would only be written into the HTML (Hono keeps it).
  // deno-lint-ignore jsx-key
  return <>{labels.map((l) => <span class="label">{l}</span>)}</>;
}

/** Tasks that are not archived. */
export function TasksTable({ tasks }: { tasks: readonly Task[] }): JSX.Element {
  return (
    tasks.length === 0 ? <Empty text="No tasks yet." /> : (
      <table>
        <thead>
          <tr>
            <th>Task</th>
            <th>Status</th>
            <th>Priority</th>
            <th>Assignee</th>
            <th>Labels</th>
            <th>Feature</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr>
              <td>
                {clip(t.title)}
                <div class="id">{t.task_id}</div>
              </td>
              <td>
                <Badge status={t.status} />
              </td>
              <td>{t.priority}</td>
              <td>{t.assignee ?? "—"}</td>
              <td>
                <Labels labels={t.labels} />
              </td>
              <td class="id">{t.feature_id ?? "—"}</td>
              <td class="nowrap">{when(t.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  );
}

/** Features. */
export function FeaturesTable({ features }: { features: readonly Feature[] }): JSX.Element {
  return (
    features.length === 0 ? <Empty text="No features yet." /> : (
      <table>
        <thead>
          <tr>
            <th>Feature</th>
            <th>Status</th>
            <th>Priority</th>
            <th>Labels</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr>
              <td>
                {clip(f.title)}
                <div class="id">{f.feature_id}</div>
              </td>
              <td>
                <Badge status={f.status} />
              </td>
              <td>{f.priority}</td>
              <td>
                <Labels labels={f.labels} />
              </td>
              <td class="nowrap">{when(f.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  );
}

interface LastRun {
  readonly operation_status?: string;
  readonly finished_at?: string;
  readonly pulled?: number;
  readonly pushed?: number;
  readonly created?: number;
  readonly conflicts?: number;
  readonly requests?: number;
  readonly errors?: readonly string[];
}

interface Budget {
  readonly remaining?: number;
  readonly limit?: number;
  readonly reset_at?: string | null;
}

/** One configured repository: links, queued writes, conflicts, last passes and budget. */
export function RepositoryCard({ repo }: { repo: RepositoryView }): JSX.Element {
  const runs = repo.last_runs as readonly LastRun[];
  const budget = repo.rate_limit as Budget | null;
  return (
    <article class="card">
      <h3>
        {repo.config.platform}:{repo.config.repository}
        {repo.config.auto_sync_enabled ? null : <span class="badge warn">auto sync off</span>}
        {repo.config.webhook_secret_name === null ? null : <span class="badge info">webhook</span>}
      </h3>
      <dl>
        <dt>Links</dt>
        <dd>
          {repo.links.synced} synced, {repo.links.pending} pending, {repo.links.failed} failed,{" "}
          {repo.links.manual} manual
        </dd>
        <dt>Queued writes</dt>
        <dd>
          {repo.outbox.pending} pending, {repo.outbox.parked} parked (refused by the forge)
        </dd>
        <dt>Open conflicts</dt>
        <dd>{repo.open_conflicts.length}</dd>
        <dt>Rate-limit budget</dt>
        <dd>
          {budget?.limit === undefined
            ? "not seen yet"
            : `${budget.remaining} of ${budget.limit}${
              budget.reset_at ? `, resets ${when(budget.reset_at)}` : ""
            }`}
        </dd>
      </dl>
      {repo.parked.length === 0 ? null : (
        <table>
          <thead>
            <tr>
              <th>Parked writes</th>
              <th>Item</th>
              <th>Issue</th>
              <th>Since</th>
              <th>Refusal</th>
            </tr>
          </thead>
          <tbody>
            {repo.parked.map((p) => (
              <tr>
                <td>{p.kind}</td>
                <td class="nowrap">{p.task_id ?? p.feature_id ?? ""}</td>
                <td>{p.issue_number === null ? "" : `#${p.issue_number}`}</td>
                <td class="nowrap">{when(p.since)}</td>
                <td class="error">{clip(p.error, 300)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs.length === 0 ? <Empty text="No pass has run yet." /> : (
        <table>
          <thead>
            <tr>
              <th>Last passes</th>
              <th>Finished</th>
              <th>Pulled</th>
              <th>Pushed</th>
              <th>Created</th>
              <th>Conflicts</th>
              <th>Requests</th>
              <th>Errors</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td>
                  <Badge status={String(r.operation_status ?? "unknown")} />
                </td>
                <td class="nowrap">{when(r.finished_at)}</td>
                <td>{r.pulled ?? 0}</td>
                <td>{r.pushed ?? 0}</td>
                <td>{r.created ?? 0}</td>
                <td>{r.conflicts ?? 0}</td>
                <td>{r.requests ?? 0}</td>
                <td class="error">{clip((r.errors ?? []).join(" "), 300)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

/** Links with their sync state and last error. */
export function LinksTable({ links }: { links: readonly LinkView[] }): JSX.Element {
  return (
    links.length === 0 ? <Empty text="No feature or task is linked to an issue yet." /> : (
      <table>
        <thead>
          <tr>
            <th>Item</th>
            <th>Issue</th>
            <th>Sync</th>
            <th>Last synced</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {links.map((l) => {
            const href = safeUrl(l.issue_url);
            const issue = l.issue_number === null ? "being created" : `${l.repository}#${l.issue_number}`;
            return (
              <tr>
                <td>
                  {clip(l.title ?? l.item_id)}
                  <div class="id">{l.kind} {l.item_id}</div>
                </td>
                <td>{href === undefined ? issue : <a href={href} rel="noreferrer noopener">{issue}</a>}</td>
                <td>
                  <Badge status={l.sync_status} />
                </td>
                <td class="nowrap">{when(l.last_synced)}</td>
                <td class="error">{clip(l.last_error, 300)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    )
  );
}

/** Open conflicts of every repository. */
export function ConflictsTable(
  { repositories, links }: { repositories: readonly RepositoryView[]; links: readonly LinkView[] },
): JSX.Element {
  const titles = new Map(links.map((l) => [l.link_id, l.title ?? l.item_id]));
  const rows = repositories.flatMap((r) =>
    r.open_conflicts.map((c) => ({ repository: `${r.config.platform}:${r.config.repository}`, c }))
  );
  return rows.length === 0 ? <Empty text="No open conflict." /> : (
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>Item</th>
          <th>Field</th>
          <th>Local</th>
          <th>Remote</th>
          <th>Policy</th>
          <th>Recorded</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ repository, c }) => (
          <tr>
            <td>{c.conflict_id}</td>
            <td>
              {clip(titles.get(c.link_id) ?? `link ${c.link_id}`)}
              <div class="id">{repository}</div>
            </td>
            <td>{c.field}</td>
            <td class="value">{clip(c.local_value, 200)}</td>
            <td class="value">{clip(c.remote_value, 200)}</td>
            <td>{c.policy}</td>
            <td class="nowrap">{when(c.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Recent webhook deliveries. */
export function DeliveriesTable({ deliveries }: { deliveries: readonly DeliveryRow[] }): JSX.Element {
  return (
    deliveries.length === 0
      ? <Empty text="No webhook delivery yet (polling keeps repositories in step meanwhile)." />
      : (
        <table>
          <thead>
            <tr>
              <th>Received</th>
              <th>Platform</th>
              <th>Repository</th>
              <th>Event</th>
              <th>Issues</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr>
                <td class="nowrap">{when(d.received_at)}</td>
                <td>{d.platform}</td>
                <td>{clip(d.repository)}</td>
                <td>{clip(d.event)}</td>
                <td>{d.issue_numbers.map((n) => `#${n}`).join(" ")}</td>
                <td>
                  <Badge status={d.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )
  );
}

/** Release milestones. */
export function ReleasesTable({ releases }: { releases: readonly ReleaseView[] }): JSX.Element {
  return (
    releases.length === 0 ? <Empty text="No release or milestone planned." /> : (
      <table>
        <thead>
          <tr>
            <th>Milestone</th>
            <th>Target date</th>
            <th>Status</th>
            <th>Features</th>
          </tr>
        </thead>
        <tbody>
          {releases.map((r) => (
            <tr>
              <td>{clip(r.name)}</td>
              <td>{r.target_date ?? "—"}</td>
              <td>
                <Badge status={r.status ?? "unknown"} />
              </td>
              <td>{r.features}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )
  );
}

const BOARD_TYPES: Readonly<Record<string, string>> = {
  feature_development: "feature development",
  release_planning: "release planning",
  sprint_board: "sprint board",
};

function BoardCardItem({ card }: { card: DashboardCard }): JSX.Element {
  const href = safeUrl(card.issue_url);
  const issue = card.issue_number === null ? "issue being created" : `#${card.issue_number}`;
  const title = card.issue_title ?? card.item_title ?? card.item_id;
  return (
    <div class={card.pending ? "bcard pending" : "bcard"}>
      <div>
        {href === undefined ? <b>{issue}</b> : <a href={href} rel="noreferrer noopener">{issue}</a>}{" "}
        {clip(title)}
      </div>
      <div class="id">
        {card.kind} {card.item_id}
        {card.item_title !== null && card.item_title !== title ? ` · ${clip(card.item_title, 80)}` : ""}
      </div>
      {card.pending
        ? (
          <div>
            <span class="badge warn">move pending</span>{" "}
            <span class="muted">forge has it in {card.synced_column ?? "no column yet"}</span>
            {card.last_error === null ? null : <div class="error">{clip(card.last_error, 200)}</div>}
          </div>
        )
        : null}
    </div>
  );
}

function BoardColumnBox({ column }: { column: DashboardColumn }): JSX.Element {
  return (
    <div class="column">
      <h4>
        {column.name ?? "Not in a column"}
        <span class="count">{column.cards.length}</span>
      </h4>
      {column.cards.length === 0
        ? <p class="empty">No card.</p>
        : column.cards.map((card) => BoardCardItem({ card }))}
    </div>
  );
}

/**
 * One board as forgesync last recorded it: its name (linked to the board when its address is
 * http(s)), platform, repository and type, then its columns with their cards; pending moves are
 * marked with the column the forge still has.
 */
export function BoardBox({ board }: { board: DashboardBoard }): JSX.Element {
  const href = safeUrl(board.url);
  const cards = board.columns.reduce((n, c) => n + c.cards.length, 0);
  return (
    <article class="card">
      <h3>
        {href === undefined
          ? clip(board.title)
          : <a href={href} rel="noreferrer noopener">{clip(board.title)}</a>}
        <span class="badge info">{BOARD_TYPES[board.board_type] ?? board.board_type}</span>
        {board.adopted ? <span class="badge info">adopted</span> : null}
        {board.pending_count > 0 ? <span class="badge warn">{board.pending_count} pending</span> : null}
      </h3>
      <p class="muted">
        {board.platform}:{board.repository} · board {board.number} · {shown(cards, board.card_count)}{" "}
        {board.card_count === 1 ? "card" : "cards"}
      </p>
      <div class="board">
        {board.columns.map((column) => BoardColumnBox({ column }))}
      </div>
    </article>
  );
}
