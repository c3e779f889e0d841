/**
 * What a dashboard page of one item shows, from the local database: a task's or feature's fields,
 * its links, the sync history of those links (queued writes and how they ended, webhook deliveries
 * naming the issue, conflicts recorded and resolved, the last merge base) and its conflicts; a link's
 * snapshot as last synced; a release's progress per feature.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../../store/db.ts";
import { rowToTask } from "../../store/tasks.ts";
import { rowToFeature } from "../../store/features.ts";
import type { Task, TaskStatus } from "../../domain/task.ts";
import type { Feature, FeatureStatus } from "../../domain/feature.ts";
import {
  type FeatureProgress,
  featureProgress,
  type ReleaseProgress,
  releaseProgress,
} from "../../releases/progress.ts";
import { parseStringArray } from "../../store/rows.ts";
import { type ConflictRow, conflictsOfLinks, type LinkRow, rowToLinkRow } from "./lists.ts";

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

/** A task's page. */
export interface TaskDetail extends SyncState {
  readonly task: Task;
  readonly feature_title: string | null;
  readonly parent_title: string | null;
}

/** A feature's page. */
export interface FeatureDetail extends SyncState {
  readonly feature: Feature;
  readonly tasks: readonly Task[];
  readonly tasks_total: number;
  readonly releases: readonly { release_id: number; name: string; status: string }[];
}

/** A link's page. */
export interface LinkDetail extends SyncState {
  readonly link: LinkRow;
  /** The merge base: both sides as last synced (null before the first sync). */
  readonly base:
    | { local: unknown; remote: unknown; remote_updated_at: string | null; updated_at: string }
    | null;
}

/** A release's page. */
export interface ReleaseDetail {
  readonly release: ReleaseRow;
  readonly features: readonly (FeatureProgress & { title: string; issues: readonly LinkRow[] })[];
  readonly missing: readonly string[];
}

/** A release with its progress. */
export interface ReleaseRow {
  readonly release_id: number;
  readonly name: string;
  readonly version: string | null;
  readonly platform: string | null;
  readonly repository: string | null;
  readonly status: string;
  readonly target_date: string | null;
  readonly milestone_url: string | null;
  readonly release_url: string | null;
  readonly tag_name: string | null;
  readonly included_features: readonly string[];
  readonly progress: ReleaseProgress;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const LINKS_SQL = `SELECT l.*, COALESCE(t.title, f.title) AS title FROM feature_issue_links l
  LEFT JOIN tasks t ON t.task_id = l.task_id LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL`;

/**
 * Merges the sources of a sync history into one list, newest first (pure).
 *
 * @example
 * ```ts
 * import { mergeHistory } from "./items.ts";
 * mergeHistory([{ at: "2026-01-01T00:00:00Z", link_id: 1, what: "a", status: "done", detail: null }], []).length; // 1
 * ```
 */
export function mergeHistory(...sources: readonly (readonly HistoryEntry[])[]): HistoryEntry[] {
  return sources.flat().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 100);
}

/** The sync state of `links`: their queued writes, deliveries, conflicts and board cards. */
export function syncState(links: readonly LinkRow[]): Effect.Effect<SyncState, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const ids = JSON.stringify(links.map((l) => l.link_id));
    const writes = (yield* db.query<Record<string, unknown>>(
      `SELECT id, link_id, kind, status, attempts, last_error, created_at, updated_at FROM sync_outbox
        WHERE link_id IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT 50`,
      [ids],
    )).map((r): HistoryEntry => ({
      at: String(r.updated_at),
      link_id: Number(r.link_id),
      what: `${r.kind === "create" ? "create issue" : "update issue"} (write ${r.id}, ${r.attempts} attempt${
        Number(r.attempts) === 1 ? "" : "s"
      })`,
      status: String(r.status),
      detail: str(r.last_error),
    }));
    const deliveries: HistoryEntry[] = [];
    for (const link of links) {
      if (link.issue_number === null || link.config_id === null) continue;
      for (
        const r of yield* db.query<Record<string, unknown>>(
          `SELECT received_at, event, status FROM webhook_deliveries
            WHERE config_id = ? AND EXISTS (SELECT 1 FROM json_each(issue_numbers) WHERE value = ?)
            ORDER BY received_at DESC LIMIT 20`,
          [link.config_id, link.issue_number],
        )
      ) {
        deliveries.push({
          at: String(r.received_at),
          link_id: link.link_id,
          what: `webhook ${r.event}`,
          status: String(r.status),
          detail: null,
        });
      }
    }
    const bases = (yield* db.query<Record<string, unknown>>(
      `SELECT link_id, updated_at, remote_updated_at FROM sync_bases WHERE link_id IN (SELECT value FROM json_each(?))`,
      [ids],
    )).map((r): HistoryEntry => ({
      at: String(r.updated_at),
      link_id: Number(r.link_id),
      what: "both sides agreed (merge base saved)",
      status: "synced",
      detail: r.remote_updated_at === null ? null : `issue as of ${r.remote_updated_at}`,
    }));
    const conflicts = yield* conflictsOfLinks(links.map((l) => l.link_id));
    const conflictEvents = conflicts.flatMap((c): HistoryEntry[] => [
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
    const placements = (yield* db.query<Record<string, unknown>>(
      `SELECT b.id, b.title, b.url, i.column_name, i.synced_column, i.sync_status FROM board_items i
         JOIN boards b ON b.id = i.board_id WHERE i.link_id IN (SELECT value FROM json_each(?)) ORDER BY b.id`,
      [ids],
    )).map((r): Placement => ({
      board_id: Number(r.id),
      title: String(r.title),
      url: str(r.url),
      column: String(r.column_name),
      synced_column: str(r.synced_column),
      pending: r.sync_status === "pending",
    }));
    return { links, history: mergeHistory(writes, deliveries, bases, conflictEvents), conflicts, placements };
  });
}

const linksWhere = (sql: string, args: readonly (string | number)[]) =>
  Db.use((db) => db.query<Record<string, unknown>>(`${LINKS_SQL} WHERE ${sql} ORDER BY l.id`, [...args]))
    .pipe(
      Effect.map((rows) => rows.map(rowToLinkRow)),
    );

/** A task's page, or undefined when there is no such task. */
export function taskDetail(id: string): Effect.Effect<TaskDetail | undefined, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const row = (yield* db.query<Record<string, unknown>>(
      `SELECT t.*, (SELECT title FROM features WHERE feature_id = t.feature_id) AS feature_title,
              (SELECT title FROM tasks p WHERE p.task_id = t.parent_task_id) AS parent_title
         FROM tasks t WHERE t.task_id = ?`,
      [id],
    ))[0];
    if (row === undefined) return undefined;
    const state = yield* syncState(yield* linksWhere("l.task_id = ?", [id]));
    return {
      task: rowToTask(row),
      feature_title: str(row.feature_title),
      parent_title: str(row.parent_title),
      ...state,
    };
  });
}

/** A feature's page, or undefined. */
export function featureDetail(id: string): Effect.Effect<FeatureDetail | undefined, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const row =
      (yield* db.query<Record<string, unknown>>("SELECT * FROM features WHERE feature_id = ?", [id]))[0];
    if (row === undefined) return undefined;
    const tasks = (yield* db.query<Record<string, unknown>>(
      "SELECT * FROM tasks WHERE feature_id = ? ORDER BY task_id DESC LIMIT 50",
      [id],
    )).map(rowToTask);
    const total = Number(
      (yield* db.query<{ n: number }>("SELECT COUNT(*) AS n FROM tasks WHERE feature_id = ?", [id]))[0]?.n ??
        0,
    );
    const releases = (yield* db.query<Record<string, unknown>>(
      `SELECT id, milestone_name, status FROM release_milestones
        WHERE EXISTS (SELECT 1 FROM json_each(included_features) WHERE value = ?) ORDER BY id DESC LIMIT 20`,
      [id],
    )).map((r) => ({
      release_id: Number(r.id),
      name: String(r.milestone_name),
      status: String(r.status ?? "planning"),
    }));
    const state = yield* syncState(yield* linksWhere("l.feature_id = ? AND l.task_id IS NULL", [id]));
    return { feature: rowToFeature(row), tasks, tasks_total: total, releases, ...state };
  });
}

/** A link's page, or undefined. */
export function linkDetail(id: number): Effect.Effect<LinkDetail | undefined, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const [link] = yield* linksWhere("l.id = ?", [id]);
    if (link === undefined) return undefined;
    const base = (yield* db.query<Record<string, unknown>>(
      "SELECT local, remote, remote_updated_at, updated_at FROM sync_bases WHERE link_id = ?",
      [id],
    ))[0];
    const state = yield* syncState([link]);
    return {
      link,
      base: base === undefined ? null : {
        local: JSON.parse(String(base.local)),
        remote: JSON.parse(String(base.remote)),
        remote_updated_at: str(base.remote_updated_at),
        updated_at: String(base.updated_at),
      },
      ...state,
    };
  });
}

/** Progress of releases from their features' and tasks' local status (the release coordinator's rules). */
function withProgress(rows: readonly Record<string, unknown>[]): Effect.Effect<ReleaseRow[], never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const releases = rows.map((r) => ({ row: r, features: parseStringArray(r.included_features) }));
    const ids = JSON.stringify([...new Set(releases.flatMap((r) => r.features))]);
    const statuses = new Map(
      (yield* db.query<Record<string, unknown>>(
        "SELECT feature_id, status FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
        [ids],
      )).map((r) => [String(r.feature_id), r.status as FeatureStatus]),
    );
    const tasks = new Map<string, TaskStatus[]>();
    for (
      const r of yield* db.query<Record<string, unknown>>(
        "SELECT feature_id, status FROM tasks WHERE feature_id IN (SELECT value FROM json_each(?))",
        [ids],
      )
    ) {
      const list = tasks.get(String(r.feature_id)) ?? [];
      list.push(r.status as TaskStatus);
      tasks.set(String(r.feature_id), list);
    }
    return releases.map(({ row, features }) => ({
      release_id: Number(row.id),
      name: String(row.milestone_name),
      version: str(row.release_version),
      platform: str(row.platform),
      repository: str(row.repository),
      status: String(row.status ?? "planning"),
      target_date: str(row.target_date),
      milestone_url: str(row.milestone_url),
      release_url: str(row.release_url),
      tag_name: str(row.tag_name),
      included_features: features,
      progress: releaseProgress(
        features.filter((f) => statuses.has(f)).map((f) =>
          featureProgress(f, statuses.get(f)!, tasks.get(f) ?? [])
        ),
      ),
    }));
  });
}

const RELEASE_SQL = `SELECT r.*, c.platform, c.repository FROM release_milestones r
  LEFT JOIN git_integration_config c ON c.id = r.config_id`;

/** Releases, newest first, with their progress (at most `limit`, after `offset`). */
export function listReleases(
  limit: number,
  offset = 0,
): Effect.Effect<{ rows: ReleaseRow[]; total: number }, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const total = Number(
      (yield* db.query<{ n: number }>("SELECT COUNT(*) AS n FROM release_milestones"))[0]?.n ?? 0,
    );
    const rows = yield* db.query<Record<string, unknown>>(
      `${RELEASE_SQL} ORDER BY r.id DESC LIMIT ? OFFSET ?`,
      [
        limit,
        offset,
      ],
    );
    return { rows: yield* withProgress(rows), total };
  });
}

/** A release's page, or undefined. */
export function releaseDetail(id: number): Effect.Effect<ReleaseDetail | undefined, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const row = (yield* db.query<Record<string, unknown>>(`${RELEASE_SQL} WHERE r.id = ?`, [id]))[0];
    if (row === undefined) return undefined;
    const [release] = yield* withProgress([row]);
    const features = [];
    const missing: string[] = [];
    for (const featureId of release!.included_features) {
      const f = (yield* db.query<Record<string, unknown>>("SELECT * FROM features WHERE feature_id = ?", [
        featureId,
      ]))[0];
      if (f === undefined) {
        missing.push(featureId);
        continue;
      }
      const statuses =
        (yield* db.query<{ status: TaskStatus }>("SELECT status FROM tasks WHERE feature_id = ?", [
          featureId,
        ])).map((t) => t.status);
      const issues = yield* linksWhere(
        "(l.feature_id = ? OR l.task_id IN (SELECT task_id FROM tasks WHERE feature_id = ?))",
        [featureId, featureId],
      );
      features.push({
        ...featureProgress(featureId, f.status as FeatureStatus, statuses),
        title: String(f.title),
        issues,
      });
    }
    return { release: release!, features, missing };
  });
}
