/**
 * The dashboard's lists, one page at a time: tasks, features, links and conflicts, filtered by
 * status, repository, feature and text, newest first unless asked otherwise; and the choices of the
 * filters. Every statement is bounded by {@link PAGE_SIZE}, so a page stays small whatever the
 * database holds.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { decodeRows, type SqlRead } from "./sql.ts";
import {
  type ListQuery,
  type ListSpec,
  type Page,
  PAGE_SIZE,
  paged,
  search,
  Where,
} from "./dashboard_filters.ts";
import {
  CONFLICT_FROM,
  CONFLICT_SELECT,
  type ConflictRow,
  conflictRows,
  type FeatureRow,
  featureRows,
  issuesOf,
  LINK_FROM,
  LINK_SELECT,
  type LinkRow,
  linkRows,
  type TaskRow,
  taskRows,
} from "./dashboard_rows.ts";

export { PAGE_SIZE };

/**
 * Keeps the items linked to an issue of the chosen repository (`linked`: the link's condition on
 * the item), or, for "none", the items with no link (`own`: the condition on the item's own links).
 */
function byRepository(where: Where, repository: ListQuery["repository"], own: string, linked = own): void {
  if (repository === "none") {
    where.add(`NOT EXISTS (SELECT 1 FROM feature_issue_links l WHERE ${own})`);
  } else if (repository !== undefined) {
    where.add(`EXISTS (SELECT 1 FROM feature_issue_links l WHERE ${linked} AND l.config_id = ?)`, repository);
  }
}

const TASKS: ListSpec<TaskRow> = {
  from: "tasks t",
  select: `t.*, (SELECT title FROM features f WHERE f.feature_id = t.feature_id) AS feature_title,
     ${issuesOf("task_id", "t")} AS issues`,
  order: { newest: "t.task_id DESC", updated: "t.updated_at DESC, t.task_id DESC", oldest: "t.task_id ASC" },
  rows: taskRows,
};

/** A page of tasks: not archived unless asked; `repository: "none"` is tasks linked to no issue. */
export function listTasks(q: ListQuery): Effect.Effect<Page<TaskRow>, AppError, SqlRead> {
  const where = new Where();
  if (q.status === undefined) where.add("t.status <> 'archived'");
  else where.add("t.status = ?", q.status);
  byRepository(where, q.repository, "l.task_id = t.task_id");
  if (q.feature !== undefined) where.add("t.feature_id = ?", q.feature);
  search(where, q.q, { like: ["t.title", "t.description"], equal: ["t.task_id", "t.assignee"] });
  return paged(TASKS, where, q);
}

const FEATURES: ListSpec<FeatureRow> = {
  from: "features f",
  select: `f.*, ${issuesOf("feature_id", "f")} AS issues,
     (SELECT COUNT(*) FROM tasks t WHERE t.feature_id = f.feature_id AND t.status NOT IN ('cancelled', 'archived')) AS tasks_total,
     (SELECT COUNT(*) FROM tasks t WHERE t.feature_id = f.feature_id AND t.status = 'completed') AS tasks_completed`,
  order: {
    newest: "f.feature_id DESC",
    updated: "f.updated_at DESC, f.feature_id DESC",
    oldest: "f.feature_id ASC",
  },
  rows: featureRows,
};

/** A page of features. */
export function listFeatures(q: ListQuery): Effect.Effect<Page<FeatureRow>, AppError, SqlRead> {
  const where = new Where();
  if (q.status !== undefined) where.add("f.status = ?", q.status);
  byRepository(
    where,
    q.repository,
    "l.feature_id = f.feature_id AND l.task_id IS NULL",
    "l.feature_id = f.feature_id",
  );
  search(where, q.q, { like: ["f.title", "f.specification"], equal: ["f.feature_id"] });
  return paged(FEATURES, where, q);
}

/** The repository and feature filters of links and conflicts (on the link `l`). */
function linkFilters(where: Where, q: ListQuery): void {
  if (q.repository !== undefined && q.repository !== "none") where.add("l.config_id = ?", q.repository);
  if (q.feature !== undefined) {
    where.add(
      "(l.feature_id = ? OR l.task_id IN (SELECT task_id FROM tasks WHERE feature_id = ?))",
      q.feature,
      q.feature,
    );
  }
}

const LINKS: ListSpec<LinkRow> = {
  from: LINK_FROM,
  select: LINK_SELECT,
  order: { newest: "l.id DESC", updated: "l.last_synced DESC, l.id DESC", oldest: "l.id ASC" },
  rows: linkRows,
};

/** A page of links. */
export function listLinks(q: ListQuery): Effect.Effect<Page<LinkRow>, AppError, SqlRead> {
  const where = new Where();
  if (q.status !== undefined) where.add("l.sync_status = ?", q.status);
  linkFilters(where, q);
  search(where, q.q, {
    like: ["COALESCE(t.title, f.title)", "l.last_error"],
    equal: ["l.task_id", "l.feature_id"],
    issue: "l.issue_number",
  });
  return paged(LINKS, where, q);
}

const CONFLICTS: ListSpec<ConflictRow> = {
  from: CONFLICT_FROM,
  select: CONFLICT_SELECT,
  order: { newest: "c.id DESC", updated: "c.id DESC", oldest: "c.id ASC" },
  rows: conflictRows,
};

/** A page of conflicts: the open ones unless `status` says otherwise ("all" for both). */
export function listConflicts(q: ListQuery): Effect.Effect<Page<ConflictRow>, AppError, SqlRead> {
  const where = new Where();
  if (q.status === undefined) where.add("c.status = 'open'");
  else if (q.status !== "all") where.add("c.status = ?", q.status);
  linkFilters(where, q);
  search(where, q.q, {
    like: ["COALESCE(t.title, f.title)", "c.local_value", "c.remote_value"],
    equal: ["c.field", "l.task_id", "l.feature_id"],
  });
  return paged(CONFLICTS, where, q);
}

/** One conflict with its link and item. */
export const findConflict = (id: number): Effect.Effect<ConflictRow | undefined, AppError, SqlRead> =>
  conflictRows(`SELECT ${CONFLICT_SELECT} FROM ${CONFLICT_FROM} WHERE c.id = ?`, [id]).pipe(
    Effect.map((found) => found[0]),
  );

/** Conflicts of some links, newest first (at most 50). */
export const conflictsOfLinks = (
  linkIds: readonly number[],
): Effect.Effect<readonly ConflictRow[], AppError, SqlRead> =>
  linkIds.length === 0 ? Effect.succeed([]) : conflictRows(
    `SELECT ${CONFLICT_SELECT} FROM ${CONFLICT_FROM}
      WHERE c.link_id IN (SELECT value FROM json_each(?)) ORDER BY c.id DESC LIMIT 50`,
    [JSON.stringify(linkIds)],
  );

const RepositoryChoice = Schema.Struct({
  id: Schema.Number,
  platform: Schema.String,
  repository: Schema.NullOr(Schema.String),
});

/** The configured repositories, for the filters: id and name. */
export const repositoryChoices: Effect.Effect<{ config_id: number; name: string }[], AppError, SqlRead> =
  decodeRows(RepositoryChoice)("SELECT id, platform, repository FROM git_integration_config ORDER BY id")
    .pipe(
      Effect.map((found) => found.map((r) => ({ config_id: r.id, name: `${r.platform}:${r.repository}` }))),
    );

const FeatureChoice = Schema.Struct({ feature_id: Schema.String, title: Schema.String });

/** Features for the feature filter: the newest hundred, and the chosen one if older. */
export const featureChoices = (
  chosen: string | undefined,
): Effect.Effect<{ id: string; title: string }[], AppError, SqlRead> =>
  decodeRows(FeatureChoice)(
    `SELECT feature_id, title FROM (SELECT feature_id, title FROM features ORDER BY feature_id DESC LIMIT 100)
     UNION SELECT feature_id, title FROM features WHERE feature_id = ? ORDER BY feature_id DESC`,
    [chosen ?? null],
  ).pipe(Effect.map((found) => found.map((r) => ({ id: r.feature_id, title: r.title }))));
