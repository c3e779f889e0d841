/**
 * The dashboard's lists, one page at a time, from the local database: tasks, features, links and
 * conflicts, filtered by status, repository, feature and text, newest first unless asked otherwise.
 * Every query is bounded by {@link PAGE_SIZE}, so a page stays small whatever the database holds.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../../store/db.ts";
import { rowToTask } from "../../store/tasks.ts";
import { rowToFeature } from "../../store/features.ts";
import type { Task } from "../../domain/task.ts";
import type { Feature } from "../../domain/feature.ts";
import { likePattern, type ListQuery, PAGE_SIZE } from "./query.ts";

/** A page of rows and how many match in all. */
export interface Page<T> {
  readonly rows: readonly T[];
  readonly total: number;
}

/** An issue an item is linked to. */
export interface IssueRef {
  readonly link_id: number;
  readonly platform: string;
  readonly repository: string;
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  readonly sync_status: string;
}

/** A task with its feature's title and its issues. */
export interface TaskRow extends Task {
  readonly feature_title: string | null;
  readonly issues: readonly IssueRef[];
}

/** A feature with its issues and task counts. */
export interface FeatureRow extends Feature {
  readonly issues: readonly IssueRef[];
  readonly tasks_total: number;
  readonly tasks_completed: number;
}

/** A link with its item. */
export interface LinkRow extends IssueRef {
  readonly config_id: number | null;
  readonly kind: "task" | "feature";
  readonly item_id: string;
  readonly title: string | null;
  readonly last_synced: string | null;
  readonly last_error: string | null;
}

/** A conflict with its link and item. */
export interface ConflictRow {
  readonly conflict_id: number;
  readonly link_id: number;
  readonly field: string;
  readonly local_value: string;
  readonly remote_value: string;
  readonly base_local: string;
  readonly base_remote: string;
  readonly policy: string;
  readonly status: "open" | "resolved";
  readonly resolution: string | null;
  readonly created_at: string;
  readonly resolved_at: string | null;
  readonly platform: string;
  readonly repository: string;
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  readonly kind: "task" | "feature";
  readonly item_id: string;
  readonly title: string | null;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The issues of a `json_group_array` of link objects. */
export function parseIssues(json: unknown): IssueRef[] {
  if (typeof json !== "string") return [];
  const parsed = JSON.parse(json) as Array<Record<string, unknown> | null>;
  return parsed.filter((l): l is Record<string, unknown> => l !== null && l.link_id !== null).map((l) => ({
    link_id: Number(l.link_id),
    platform: String(l.platform),
    repository: String(l.repository),
    issue_number: num(l.issue_number),
    issue_url: str(l.issue_url),
    sync_status: String(l.sync_status ?? "pending"),
  }));
}

/** The SQL of an item's issues (`owner` is `task_id` or `feature_id`; features' own links only). */
const issuesOf = (owner: "task_id" | "feature_id", alias: string) =>
  `(SELECT json_group_array(json_object('link_id', l.id, 'platform', l.platform, 'repository', l.repository,
      'issue_number', l.issue_number, 'issue_url', l.issue_url, 'sync_status', l.sync_status))
    FROM feature_issue_links l WHERE l.${owner} = ${alias}.${owner}${
    owner === "feature_id" ? " AND l.task_id IS NULL" : ""
  })`;

/** Conditions and arguments built one filter at a time. */
class Where {
  readonly parts: string[] = [];
  readonly args: (string | number | null)[] = [];
  add(sql: string, ...args: (string | number | null)[]): void {
    this.parts.push(sql);
    this.args.push(...args);
  }
  get sql(): string {
    return this.parts.length === 0 ? "" : `WHERE ${this.parts.join(" AND ")}`;
  }
}

const offset = (q: ListQuery) => (q.page - 1) * PAGE_SIZE;

function paged<T>(
  from: string,
  where: Where,
  select: string,
  order: string,
  q: ListQuery,
  convert: (row: Record<string, unknown>) => T,
): Effect.Effect<Page<T>, never, Db> {
  return Db.use((db) =>
    Effect.gen(function* () {
      const total = Number(
        (yield* db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${from} ${where.sql}`, where.args))[0]
          ?.n ?? 0,
      );
      const rows = yield* db.query<Record<string, unknown>>(
        `SELECT ${select} FROM ${from} ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
        [...where.args, PAGE_SIZE, offset(q)],
      );
      return { rows: rows.map(convert), total };
    })
  );
}

/** A page of tasks: not archived unless asked; `repository: "none"` is tasks linked to no issue. */
export function listTasks(q: ListQuery): Effect.Effect<Page<TaskRow>, never, Db> {
  const where = new Where();
  if (q.status === undefined) where.add("t.status <> 'archived'");
  else where.add("t.status = ?", q.status);
  if (q.repository === "none") {
    where.add("NOT EXISTS (SELECT 1 FROM feature_issue_links l WHERE l.task_id = t.task_id)");
  } else if (q.repository !== undefined) {
    where.add(
      "EXISTS (SELECT 1 FROM feature_issue_links l WHERE l.task_id = t.task_id AND l.config_id = ?)",
      q.repository,
    );
  }
  if (q.feature !== undefined) where.add("t.feature_id = ?", q.feature);
  if (q.q !== undefined) {
    const like = likePattern(q.q);
    where.add(
      "(t.title LIKE ? ESCAPE '\\' OR t.description LIKE ? ESCAPE '\\' OR t.task_id = ? OR t.assignee = ?)",
      like,
      like,
      q.q,
      q.q,
    );
  }
  const order = q.sort === "updated"
    ? "t.updated_at DESC, t.task_id DESC"
    : q.sort === "oldest"
    ? "t.task_id ASC"
    : "t.task_id DESC";
  return paged(
    "tasks t",
    where,
    `t.*, (SELECT title FROM features f WHERE f.feature_id = t.feature_id) AS feature_title,
     ${issuesOf("task_id", "t")} AS issues`,
    order,
    q,
    (r) => ({ ...rowToTask(r), feature_title: str(r.feature_title), issues: parseIssues(r.issues) }),
  );
}

/** A page of features. */
export function listFeatures(q: ListQuery): Effect.Effect<Page<FeatureRow>, never, Db> {
  const where = new Where();
  if (q.status !== undefined) where.add("f.status = ?", q.status);
  if (q.repository === "none") {
    where.add(
      "NOT EXISTS (SELECT 1 FROM feature_issue_links l WHERE l.feature_id = f.feature_id AND l.task_id IS NULL)",
    );
  } else if (q.repository !== undefined) {
    where.add(
      "EXISTS (SELECT 1 FROM feature_issue_links l WHERE l.feature_id = f.feature_id AND l.config_id = ?)",
      q.repository,
    );
  }
  if (q.q !== undefined) {
    const like = likePattern(q.q);
    where.add(
      "(f.title LIKE ? ESCAPE '\\' OR f.specification LIKE ? ESCAPE '\\' OR f.feature_id = ?)",
      like,
      like,
      q.q,
    );
  }
  const order = q.sort === "updated"
    ? "f.updated_at DESC, f.feature_id DESC"
    : q.sort === "oldest"
    ? "f.feature_id ASC"
    : "f.feature_id DESC";
  return paged(
    "features f",
    where,
    `f.*, ${issuesOf("feature_id", "f")} AS issues,
     (SELECT COUNT(*) FROM tasks t WHERE t.feature_id = f.feature_id AND t.status NOT IN ('cancelled', 'archived')) AS tasks_total,
     (SELECT COUNT(*) FROM tasks t WHERE t.feature_id = f.feature_id AND t.status = 'completed') AS tasks_completed`,
    order,
    q,
    (r) => ({
      ...rowToFeature(r),
      issues: parseIssues(r.issues),
      tasks_total: Number(r.tasks_total),
      tasks_completed: Number(r.tasks_completed),
    }),
  );
}

const LINK_SELECT = `l.*, COALESCE(t.title, f.title) AS title`;
const LINK_FROM = `feature_issue_links l LEFT JOIN tasks t ON t.task_id = l.task_id
  LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL`;

/** Converts a links row joined with its item's title. */
export function rowToLinkRow(r: Record<string, unknown>): LinkRow {
  return {
    link_id: Number(r.id),
    config_id: num(r.config_id),
    platform: String(r.platform),
    repository: String(r.repository),
    issue_number: num(r.issue_number),
    issue_url: str(r.issue_url),
    sync_status: String(r.sync_status ?? "pending"),
    kind: r.task_id === null || r.task_id === undefined ? "feature" : "task",
    item_id: String(r.task_id ?? r.feature_id),
    title: str(r.title),
    last_synced: str(r.last_synced),
    last_error: str(r.last_error),
  };
}

function linkFilters(where: Where, q: ListQuery, alias = "l"): void {
  if (q.repository !== undefined && q.repository !== "none") {
    where.add(`${alias}.config_id = ?`, q.repository);
  }
  if (q.feature !== undefined) {
    where.add(
      `(${alias}.feature_id = ? OR ${alias}.task_id IN (SELECT task_id FROM tasks WHERE feature_id = ?))`,
      q.feature,
      q.feature,
    );
  }
}

/** A page of links. */
export function listLinks(q: ListQuery): Effect.Effect<Page<LinkRow>, never, Db> {
  const where = new Where();
  if (q.status !== undefined) where.add("l.sync_status = ?", q.status);
  linkFilters(where, q);
  if (q.q !== undefined) {
    const like = likePattern(q.q);
    const number = /^#?\d{1,9}$/.test(q.q) ? Number(q.q.replace("#", "")) : -1;
    where.add(
      "(COALESCE(t.title, f.title) LIKE ? ESCAPE '\\' OR l.task_id = ? OR l.feature_id = ? OR l.issue_number = ? OR l.last_error LIKE ? ESCAPE '\\')",
      like,
      q.q,
      q.q,
      number,
      like,
    );
  }
  const order = q.sort === "updated"
    ? "l.last_synced DESC, l.id DESC"
    : q.sort === "oldest"
    ? "l.id ASC"
    : "l.id DESC";
  return paged(LINK_FROM, where, LINK_SELECT, order, q, rowToLinkRow);
}

const CONFLICT_SELECT = `c.*, l.platform, l.repository, l.issue_number, l.issue_url, l.task_id, l.feature_id,
  COALESCE(t.title, f.title) AS title`;
const CONFLICT_FROM = `sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
  LEFT JOIN tasks t ON t.task_id = l.task_id
  LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL`;

/** Converts a conflicts row joined with its link and item. */
export function rowToConflictRow(r: Record<string, unknown>): ConflictRow {
  return {
    conflict_id: Number(r.id),
    link_id: Number(r.link_id),
    field: String(r.field),
    local_value: String(r.local_value),
    remote_value: String(r.remote_value),
    base_local: String(r.base_local),
    base_remote: String(r.base_remote),
    policy: String(r.policy),
    status: String(r.status) as ConflictRow["status"],
    resolution: str(r.resolution),
    created_at: String(r.created_at),
    resolved_at: str(r.resolved_at),
    platform: String(r.platform),
    repository: String(r.repository),
    issue_number: num(r.issue_number),
    issue_url: str(r.issue_url),
    kind: r.task_id === null || r.task_id === undefined ? "feature" : "task",
    item_id: String(r.task_id ?? r.feature_id),
    title: str(r.title),
  };
}

/** A page of conflicts: the open ones unless `status` says otherwise ("all" for both). */
export function listConflicts(q: ListQuery): Effect.Effect<Page<ConflictRow>, never, Db> {
  const where = new Where();
  if (q.status === undefined) where.add("c.status = 'open'");
  else if (q.status !== "all") where.add("c.status = ?", q.status);
  linkFilters(where, q);
  if (q.q !== undefined) {
    const like = likePattern(q.q);
    where.add(
      "(COALESCE(t.title, f.title) LIKE ? ESCAPE '\\' OR c.field = ? OR c.local_value LIKE ? ESCAPE '\\' OR c.remote_value LIKE ? ESCAPE '\\' OR l.task_id = ? OR l.feature_id = ?)",
      like,
      q.q,
      like,
      like,
      q.q,
      q.q,
    );
  }
  const order = q.sort === "oldest" ? "c.id ASC" : "c.id DESC";
  return paged(CONFLICT_FROM, where, CONFLICT_SELECT, order, q, rowToConflictRow);
}

/** One conflict with its link and item. */
export function findConflict(id: number): Effect.Effect<ConflictRow | undefined, never, Db> {
  return Db.use((db) =>
    db.query<Record<string, unknown>>(`SELECT ${CONFLICT_SELECT} FROM ${CONFLICT_FROM} WHERE c.id = ?`, [id])
  ).pipe(Effect.map((rows) => rows[0] === undefined ? undefined : rowToConflictRow(rows[0])));
}

/** Conflicts of some links, newest first (at most 50). */
export function conflictsOfLinks(linkIds: readonly number[]): Effect.Effect<ConflictRow[], never, Db> {
  if (linkIds.length === 0) return Effect.succeed([]);
  return Db.use((db) =>
    db.query<Record<string, unknown>>(
      `SELECT ${CONFLICT_SELECT} FROM ${CONFLICT_FROM}
        WHERE c.link_id IN (SELECT value FROM json_each(?)) ORDER BY c.id DESC LIMIT 50`,
      [JSON.stringify(linkIds)],
    )
  ).pipe(Effect.map((rows) => rows.map(rowToConflictRow)));
}

/** The configured repositories, for the filters: id and name. */
export function repositoryChoices(): Effect.Effect<{ config_id: number; name: string }[], never, Db> {
  return Db.use((db) =>
    db.query<Record<string, unknown>>(
      "SELECT id, platform, repository FROM git_integration_config ORDER BY id",
    )
  ).pipe(
    Effect.map((rows) =>
      rows.map((r) => ({ config_id: Number(r.id), name: `${r.platform}:${r.repository}` }))
    ),
  );
}

/** Features for the feature filter: the newest hundred, and the chosen one if older. */
export function featureChoices(
  chosen: string | undefined,
): Effect.Effect<{ id: string; title: string }[], never, Db> {
  return Db.use((db) =>
    db.query<Record<string, unknown>>(
      `SELECT feature_id, title FROM (SELECT feature_id, title FROM features ORDER BY feature_id DESC LIMIT 100)
       UNION SELECT feature_id, title FROM features WHERE feature_id = ? ORDER BY feature_id DESC`,
      [chosen ?? null],
    )
  ).pipe(Effect.map((rows) => rows.map((r) => ({ id: String(r.feature_id), title: String(r.title) }))));
}
