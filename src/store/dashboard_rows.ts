/**
 * The rows of the dashboard's read model, and how each is read: tasks and features with their
 * issues, links with their item, conflicts with their link and item.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import { rowToFeature } from "./features.ts";
import { rowToTask } from "./tasks.ts";
import { decodeRows, type RowsReader, type SqlRead } from "./sql.ts";
import { converted, withRest } from "./dashboard_filters.ts";

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

const Text = Schema.NullOr(Schema.String);
const Count = Schema.NullOr(Schema.Number);

/** The SQL of an item's issues (`owner` is `task_id` or `feature_id`; features' own links only). */
export const issuesOf = (owner: "task_id" | "feature_id", alias: string): string =>
  `(SELECT json_group_array(json_object('link_id', l.id, 'platform', l.platform, 'repository', l.repository,
      'issue_number', l.issue_number, 'issue_url', l.issue_url, 'sync_status', l.sync_status))
    FROM feature_issue_links l WHERE l.${owner} = ${alias}.${owner}${
    owner === "feature_id" ? " AND l.task_id IS NULL" : ""
  })`;

/** The issues of a `json_group_array` of link objects (see {@link issuesOf}). */
const Issues = Schema.fromJsonString(Schema.Array(Schema.Struct({
  link_id: Schema.Number,
  platform: Schema.String,
  repository: Schema.String,
  issue_number: Count,
  issue_url: Text,
  sync_status: Text,
})));

const issueRefs = (issues: typeof Issues.Type): IssueRef[] =>
  issues.map((l) => ({ ...l, sync_status: l.sync_status ?? "pending" }));

/** Task rows with `feature_title` and `issues` columns. */
export const taskRows: RowsReader<readonly TaskRow[]> = converted(
  decodeRows(withRest({ feature_title: Text, issues: Issues })),
  (r) => ({ ...rowToTask(r), feature_title: r.feature_title, issues: issueRefs(r.issues) }),
);

/** Feature rows with `issues`, `tasks_total` and `tasks_completed` columns. */
export const featureRows: RowsReader<readonly FeatureRow[]> = converted(
  decodeRows(withRest({ issues: Issues, tasks_total: Schema.Number, tasks_completed: Schema.Number })),
  (r) => ({
    ...rowToFeature(r),
    issues: issueRefs(r.issues),
    tasks_total: r.tasks_total,
    tasks_completed: r.tasks_completed,
  }),
);

/** The link columns of a link or conflict row: its owner and its issue. */
const LinkColumns = {
  platform: Schema.String,
  repository: Schema.String,
  issue_number: Count,
  issue_url: Text,
  task_id: Text,
  feature_id: Text,
  title: Text,
};

const itemOf = (r: { readonly task_id: string | null; readonly feature_id: string | null }) => ({
  kind: r.task_id === null ? "feature" as const : "task" as const,
  item_id: (r.task_id ?? r.feature_id)!,
});

/** The tables of a link with its item's title. */
export const LINK_FROM = `feature_issue_links l LEFT JOIN tasks t ON t.task_id = l.task_id
  LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL`;
/** The columns of a link with its item's title. */
export const LINK_SELECT = `l.*, COALESCE(t.title, f.title) AS title`;

/** Rows of {@link LINK_SELECT}. */
export const linkRows: RowsReader<readonly LinkRow[]> = converted(
  decodeRows(Schema.Struct({
    ...LinkColumns,
    id: Schema.Number,
    config_id: Count,
    sync_status: Text,
    last_synced: Text,
    last_error: Text,
  })),
  (r) => ({
    link_id: r.id,
    config_id: r.config_id,
    platform: r.platform,
    repository: r.repository,
    issue_number: r.issue_number,
    issue_url: r.issue_url,
    sync_status: r.sync_status ?? "pending",
    ...itemOf(r),
    title: r.title,
    last_synced: r.last_synced,
    last_error: r.last_error,
  }),
);

/** The links of `where` (on {@link LINK_FROM}), oldest first. */
export const linksWhere = (
  where: string,
  args: readonly (string | number)[],
): Effect.Effect<readonly LinkRow[], AppError, SqlRead> =>
  linkRows(`SELECT ${LINK_SELECT} FROM ${LINK_FROM} WHERE ${where} ORDER BY l.id`, [...args]);

/** The tables of a conflict with its link and item. */
export const CONFLICT_FROM = `sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
  LEFT JOIN tasks t ON t.task_id = l.task_id
  LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL`;
/** The columns of a conflict with its link and item. */
export const CONFLICT_SELECT =
  `c.*, l.platform, l.repository, l.issue_number, l.issue_url, l.task_id, l.feature_id,
  COALESCE(t.title, f.title) AS title`;

/** Rows of {@link CONFLICT_SELECT}. */
export const conflictRows: RowsReader<readonly ConflictRow[]> = converted(
  decodeRows(Schema.Struct({
    ...LinkColumns,
    id: Schema.Number,
    link_id: Schema.Number,
    field: Schema.String,
    local_value: Schema.String,
    remote_value: Schema.String,
    base_local: Schema.String,
    base_remote: Schema.String,
    policy: Schema.String,
    status: Schema.Literals(["open", "resolved"]),
    resolution: Text,
    created_at: Schema.String,
    resolved_at: Text,
  })),
  (r) => ({
    conflict_id: r.id,
    link_id: r.link_id,
    field: r.field,
    local_value: r.local_value,
    remote_value: r.remote_value,
    base_local: r.base_local,
    base_remote: r.base_remote,
    policy: r.policy,
    status: r.status,
    resolution: r.resolution,
    created_at: r.created_at,
    resolved_at: r.resolved_at,
    platform: r.platform,
    repository: r.repository,
    issue_number: r.issue_number,
    issue_url: r.issue_url,
    ...itemOf(r),
    title: r.title,
  }),
);
