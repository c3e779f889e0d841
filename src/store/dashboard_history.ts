/**
 * The sync state of some links, for the dashboard's item pages: their history (queued writes and
 * how they ended, webhook deliveries naming their issues, merge bases saved, conflicts recorded and
 * resolved), their conflicts and the boards their cards are on.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { decodeRows, type SqlRead } from "./sql.ts";
import type { ConflictRow, LinkRow } from "./dashboard_rows.ts";
import { conflictsOfLinks } from "./dashboard_lists.ts";

/** One event in the sync history of an item's links. */
export interface HistoryEntry {
  /** ISO time. */
  readonly at: string;
  readonly link_id: number;
  /** What happened, in a few words. */
  readonly what: string;
  /** A status shown as a badge. */
  readonly status: string;
  readonly detail: string | null;
}

/** A board an item's card is on. */
export interface Placement {
  readonly board_id: number;
  readonly title: string;
  readonly url: string | null;
  readonly column: string;
  readonly synced_column: string | null;
  readonly pending: boolean;
}

/** The sync state of some links: history, conflicts, board placements. */
export interface SyncState {
  readonly links: readonly LinkRow[];
  readonly history: readonly HistoryEntry[];
  readonly conflicts: readonly ConflictRow[];
  readonly placements: readonly Placement[];
}

/**
 * Merges the sources of a sync history into one list, newest first, at most 100 (pure).
 *
 * @example
 * ```ts
 * import { mergeHistory } from "./dashboard_history.ts";
 * mergeHistory([{ at: "2026-01-01T00:00:00Z", link_id: 1, what: "a", status: "done", detail: null }], []).length; // 1
 * ```
 */
export function mergeHistory(...sources: readonly (readonly HistoryEntry[])[]): HistoryEntry[] {
  return sources.flat().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 100);
}

const Text = Schema.NullOr(Schema.String);

const writes = decodeRows(Schema.Struct({
  id: Schema.Number,
  link_id: Schema.Number,
  kind: Schema.String,
  status: Schema.String,
  attempts: Schema.Number,
  last_error: Text,
  updated_at: Schema.String,
}));

const deliveries = decodeRows(
  Schema.Struct({ received_at: Schema.String, event: Schema.String, status: Schema.String }),
);

const bases = decodeRows(
  Schema.Struct({ link_id: Schema.Number, updated_at: Schema.String, remote_updated_at: Text }),
);

const placements = decodeRows(Schema.Struct({
  id: Schema.Number,
  title: Schema.String,
  url: Text,
  column_name: Schema.String,
  synced_column: Text,
  sync_status: Schema.String,
}));

/** The webhook deliveries that named the issue of each link (at most 20 a link). */
const deliveriesOf = (links: readonly LinkRow[]) =>
  Effect.forEach(
    links.filter((l) => l.issue_number !== null && l.config_id !== null),
    (link) =>
      deliveries(
        `SELECT received_at, event, status FROM webhook_deliveries
          WHERE config_id = ? AND EXISTS (SELECT 1 FROM json_each(issue_numbers) WHERE value = ?)
          ORDER BY received_at DESC LIMIT 20`,
        [link.config_id, link.issue_number],
      ).pipe(Effect.map((found) =>
        found.map((r): HistoryEntry => ({
          at: r.received_at,
          link_id: link.link_id,
          what: `webhook ${r.event}`,
          status: r.status,
          detail: null,
        }))
      )),
  ).pipe(Effect.map((each) => each.flat()));

/** The conflicts of the links as history: recorded, and resolved. */
const conflictEvents = (conflicts: readonly ConflictRow[]): HistoryEntry[] =>
  conflicts.flatMap((c): HistoryEntry[] => [
    {
      at: c.created_at,
      link_id: c.link_id,
      what: `conflict ${c.conflict_id} on ${c.field}`,
      status: "open",
      detail: null,
    },
    ...(c.resolved_at === null ? [] : [{
      at: c.resolved_at,
      link_id: c.link_id,
      what: `conflict ${c.conflict_id} resolved (${c.resolution})`,
      status: "resolved",
      detail: null,
    }]),
  ]);

/** The sync state of `links`: their queued writes, deliveries, conflicts and board cards. */
export const syncState = (links: readonly LinkRow[]): Effect.Effect<SyncState, AppError, SqlRead> =>
  Effect.gen(function* () {
    const ids = JSON.stringify(links.map((l) => l.link_id));
    const queued = (yield* writes(
      `SELECT id, link_id, kind, status, attempts, last_error, created_at, updated_at FROM sync_outbox
        WHERE link_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 50`,
      [ids],
    )).map((r): HistoryEntry => ({
      at: r.updated_at,
      link_id: r.link_id,
      what: `${r.kind === "create" ? "create issue" : "update issue"} (write ${r.id}, ${r.attempts} attempt${
        r.attempts === 1 ? "" : "s"
      })`,
      status: r.status,
      detail: r.last_error,
    }));
    const delivered = yield* deliveriesOf(links);
    const agreed = (yield* bases(
      `SELECT link_id, updated_at, remote_updated_at FROM sync_bases WHERE link_id IN (SELECT value FROM json_each(?))`,
      [ids],
    )).map((r): HistoryEntry => ({
      at: r.updated_at,
      link_id: r.link_id,
      what: "both sides agreed (merge base saved)",
      status: "synced",
      detail: r.remote_updated_at === null ? null : `issue as of ${r.remote_updated_at}`,
    }));
    const conflicts = yield* conflictsOfLinks(links.map((l) => l.link_id));
    const cards = (yield* placements(
      `SELECT b.id, b.title, b.url, i.column_name, i.synced_column, i.sync_status FROM board_items i
         JOIN boards b ON b.id = i.board_id WHERE i.link_id IN (SELECT value FROM json_each(?)) ORDER BY b.id`,
      [ids],
    )).map((r): Placement => ({
      board_id: r.id,
      title: r.title,
      url: r.url,
      column: r.column_name,
      synced_column: r.synced_column,
      pending: r.sync_status === "pending",
    }));
    return {
      links,
      history: mergeHistory(queued, delivered, agreed, conflictEvents(conflicts)),
      conflicts,
      placements: cards,
    };
  });
