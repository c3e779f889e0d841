/**
 * The dashboard's tables of items: tasks, features, links and conflicts (with their resolve
 * buttons). Each row links to its item's page and to its issue. The tables of activity (releases,
 * deliveries, parked writes, history) are in `tables_activity.tsx`.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { Badge, Csrf, Empty, IssueLink, IssueLinks, Labels } from "./components.tsx";
import { clip, itemHref, when } from "./format.ts";
import type { ConflictRow, FeatureRow, LinkRow, TaskRow } from "../../store/dashboard_rows.ts";

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
