/**
 * The dashboard's tables: tasks, features, links, conflicts (with their resolve buttons), releases
 * (with progress bars), webhook deliveries, parked writes and sync history. Each row links to its
 * item's page and to its issue.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { DeliveryRow } from "../../store/deliveries.ts";
import { Badge, Csrf, Empty, IssueLink, IssueLinks, Labels, ProgressBar } from "./components.tsx";
import { clip, itemHref, safeUrl, when } from "./format.ts";
import type { ConflictRow, FeatureRow, LinkRow, TaskRow } from "../../store/dashboard_rows.ts";
import type { HistoryEntry } from "../../store/dashboard_history.ts";
import type { ReleaseRow } from "./releases.ts";
import type { ParkedWrite } from "./overview.ts";

/** Tasks. */
export function TasksTable({ tasks }: { tasks: readonly TaskRow[] }): JSX.Element {
  return tasks.length === 0 ? <Empty text="No task matches." /> : (
    <table>
      <thead>
        <tr>
          <th>Task</th>
          <th>Status</th>
          <th class="wide">Priority</th>
          <th>Issue</th>
          <th class="wide">Feature</th>
          <th class="wide">Updated</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr>
            <td>
              <a href={itemHref("task", t.task_id)}>{clip(t.title)}</a>
              <div class="id">{t.task_id}</div>
              {t.labels.length > 0 ? <Labels labels={t.labels} /> : null}
            </td>
            <td>
              <Badge status={t.status} />
            </td>
            <td class="wide">{t.priority}</td>
            <td>
              <IssueLinks issues={t.issues} />
            </td>
            <td class="wide">
              {t.feature_id === null
                ? <span class="muted">—</span>
                : <a href={itemHref("feature", t.feature_id)}>{clip(t.feature_title ?? t.feature_id, 60)}</a>}
            </td>
            <td class="wide nowrap">{when(t.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Features. */
export function FeaturesTable({ features }: { features: readonly FeatureRow[] }): JSX.Element {
  return features.length === 0 ? <Empty text="No feature matches." /> : (
    <table>
      <thead>
        <tr>
          <th>Feature</th>
          <th>Status</th>
          <th>Tasks done</th>
          <th>Issue</th>
          <th class="wide">Updated</th>
        </tr>
      </thead>
      <tbody>
        {features.map((f) => (
          <tr>
            <td>
              <a href={itemHref("feature", f.feature_id)}>{clip(f.title)}</a>
              <div class="id">{f.feature_id}</div>
              {f.labels.length > 0 ? <Labels labels={f.labels} /> : null}
            </td>
            <td>
              <Badge status={f.status} />
            </td>
            <td class="nowrap">
              <a href={`/tasks?feature=${encodeURIComponent(f.feature_id)}`}>
                {f.tasks_completed} of {f.tasks_total}
              </a>
            </td>
            <td>
              <IssueLinks issues={f.issues} />
            </td>
            <td class="wide nowrap">{when(f.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Links with their sync state and last error. */
export function LinksTable({ links }: { links: readonly LinkRow[] }): JSX.Element {
  return links.length === 0 ? <Empty text="No link matches." /> : (
    <table>
      <thead>
        <tr>
          <th>Item</th>
          <th>Issue</th>
          <th>Sync</th>
          <th class="wide">Last synced</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        {links.map((l) => (
          <tr>
            <td>
              <a href={itemHref(l.kind, l.item_id)}>{clip(l.title ?? l.item_id)}</a>
              <div class="id">{l.kind} {l.item_id}</div>
            </td>
            <td>
              <IssueLink issue={l} />
            </td>
            <td>
              <Badge status={l.sync_status} />
            </td>
            <td class="wide nowrap">{when(l.last_synced)}</td>
            <td class="error">{clip(l.last_error, 300)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The buttons settling a conflict with the local or the issue's value (POST, CSRF token). */
export function ResolveButtons(
  { conflict, csrf, back, readOnly }: {
    conflict: ConflictRow;
    csrf: string;
    back: string;
    readOnly: boolean;
  },
): JSX.Element {
  if (conflict.status !== "open") return <Badge status={`resolved: ${conflict.resolution ?? "?"}`} />;
  if (readOnly) return <span class="muted">read-only mode</span>;
  return (
    <form class="resolve" method="post" action={`/conflicts/${conflict.conflict_id}/resolve`}>
      <Csrf token={csrf} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" name="resolution" value="local">Keep local</button>
      <button type="submit" name="resolution" value="remote">Take remote</button>
    </form>
  );
}

/** Conflicts, each with its values and resolve buttons. */
export function ConflictsTable(
  { conflicts, csrf, back, readOnly, empty = "No conflict matches." }: {
    conflicts: readonly ConflictRow[];
    csrf: string;
    back: string;
    readOnly: boolean;
    /** What an empty list says. */
    empty?: string;
  },
): JSX.Element {
  return conflicts.length === 0 ? <Empty text={empty} /> : (
    <table class="conflicts">
      <thead>
        <tr>
          <th>Conflict</th>
          <th>Item</th>
          <th>Local</th>
          <th>Remote</th>
          <th>Resolve</th>
        </tr>
      </thead>
      <tbody>
        {conflicts.map((c) => (
          <tr>
            <td>
              <a href={`/conflicts/${c.conflict_id}`}>#{c.conflict_id} {c.field}</a>
              <div class="id">{c.policy} · {when(c.created_at)}</div>
            </td>
            <td>
              <a href={itemHref(c.kind, c.item_id)}>{clip(c.title ?? c.item_id, 80)}</a>
              <div>
                <IssueLink issue={{ ...c, sync_status: "" }} />
              </div>
            </td>
            <td class="value">{clip(c.local_value, 200)}</td>
            <td class="value">{clip(c.remote_value, 200)}</td>
            <td>
              <ResolveButtons conflict={c} csrf={csrf} back={back} readOnly={readOnly} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Releases with their progress. */
export function ReleasesTable({ releases }: { releases: readonly ReleaseRow[] }): JSX.Element {
  return releases.length === 0 ? <Empty text="No release or milestone planned." /> : (
    <table>
      <thead>
        <tr>
          <th>Release</th>
          <th>Status</th>
          <th>Progress</th>
          <th class="wide">Target date</th>
          <th class="wide">Features</th>
        </tr>
      </thead>
      <tbody>
        {releases.map((r) => {
          const milestone = safeUrl(r.milestone_url);
          return (
            <tr>
              <td>
                <a href={`/releases/${r.release_id}`}>{clip(r.version ?? r.name, 80)}</a>
                <div class="id">
                  {r.platform === null ? "" : `${r.platform}:${r.repository} · `}
                  {milestone === undefined
                    ? `milestone ${clip(r.name, 60)}`
                    : <a href={milestone} rel="noreferrer noopener">milestone {clip(r.name, 60)}</a>}
                </div>
              </td>
              <td>
                <Badge status={r.status} />
              </td>
              <td>
                <ProgressBar
                  percent={r.progress.percent}
                  label={`${r.version ?? r.name}: ${r.progress.percent}% done`}
                />
                <div class="id">
                  {r.progress.features_completed} of {r.progress.features_total} features,{" "}
                  {r.progress.tasks_completed} of {r.progress.tasks_total} tasks
                </div>
              </td>
              <td class="wide nowrap">{r.target_date ?? "—"}</td>
              <td class="wide">{r.included_features.length}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Recent webhook deliveries. */
export function DeliveriesTable({ deliveries }: { deliveries: readonly DeliveryRow[] }): JSX.Element {
  return deliveries.length === 0
    ? <Empty text="No webhook delivery yet (polling keeps repositories in step meanwhile)." />
    : (
      <table>
        <thead>
          <tr>
            <th>Received</th>
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
              <td>{d.platform}:{clip(d.repository)}</td>
              <td>{clip(d.event)}</td>
              <td>{d.issue_numbers.map((n) => `#${n}`).join(" ")}</td>
              <td>
                <Badge status={d.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
}

/** Writes the forge refused for good. */
export function ParkedTable({ parked }: { parked: readonly ParkedWrite[] }): JSX.Element {
  return (
    <table>
      <thead>
        <tr>
          <th>Parked write</th>
          <th class="wide">Since</th>
          <th>Refusal</th>
        </tr>
      </thead>
      <tbody>
        {parked.map((p) => (
          <tr>
            <td>
              <a href={`/links/${p.link_id}`}>
                {p.kind}
                {p.issue_number === null ? "" : ` #${p.issue_number}`}
              </a>
              <div class="id">
                <a href={itemHref(p.kind_of_item, p.item_id)}>{p.item_id}</a>
              </div>
            </td>
            <td class="wide nowrap">{when(p.since)}</td>
            <td class="error">{clip(p.error, 300)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The sync history of an item's links. */
export function HistoryTable({ history }: { history: readonly HistoryEntry[] }): JSX.Element {
  return history.length === 0 ? <Empty text="Nothing synced yet." /> : (
    <table>
      <thead>
        <tr>
          <th>When</th>
          <th>What</th>
          <th>Status</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {history.map((h) => (
          <tr>
            <td class="nowrap">{when(h.at)}</td>
            <td>
              {h.what} <a class="details" href={`/links/${h.link_id}`}>link {h.link_id}</a>
            </td>
            <td>
              <Badge status={h.status} />
            </td>
            <td class={/^(failed|parked)$/.test(h.status) ? "error" : "muted"}>{clip(h.detail, 300)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
