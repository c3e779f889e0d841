/**
 * The dashboard's tables of activity: releases (with progress bars), webhook deliveries, parked
 * writes and the sync history of an item's links.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { DeliveryRow } from "../../store/deliveries.ts";
import type { HistoryEntry } from "../../store/dashboard_history.ts";
import { Badge, Empty, ProgressBar } from "./components.tsx";
import { clip, itemHref, safeUrl, when } from "./format.ts";
import type { ReleaseRow } from "./releases.ts";
import type { ParkedWrite } from "./overview.ts";

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
