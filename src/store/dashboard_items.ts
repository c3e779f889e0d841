/**
 * What a dashboard page of one item shows: a task's or feature's fields with its links and their
 * sync state (`dashboard_history.ts`), and a link's snapshot as last synced.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import { rowToFeature } from "./features.ts";
import { rowToTask } from "./tasks.ts";
import { decodeRow, decodeRows, rows, type SqlRead } from "./sql.ts";
import { withRest } from "./dashboard_filters.ts";
import { type LinkRow, linksWhere } from "./dashboard_rows.ts";
import { type SyncState, syncState } from "./dashboard_history.ts";

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

const Text = Schema.NullOr(Schema.String);

const taskWithTitles = decodeRow(withRest({ feature_title: Text, parent_title: Text }));

/** A task's page, or undefined when there is no such task. */
export const taskDetail = (id: string): Effect.Effect<TaskDetail | undefined, AppError, SqlRead> =>
  Effect.gen(function* () {
    const row = yield* taskWithTitles(
      `SELECT t.*, (SELECT title FROM features WHERE feature_id = t.feature_id) AS feature_title,
              (SELECT title FROM tasks p WHERE p.task_id = t.parent_task_id) AS parent_title
         FROM tasks t WHERE t.task_id = ?`,
      [id],
    );
    if (row === undefined) return undefined;
    const state = yield* syncState(yield* linksWhere("l.task_id = ?", [id]));
    return {
      task: rowToTask(row),
      feature_title: row.feature_title,
      parent_title: row.parent_title,
      ...state,
    };
  });

const count = decodeRow(Schema.Struct({ n: Schema.Number }));

const releasesOf = decodeRows(Schema.Struct({
  id: Schema.Number,
  milestone_name: Schema.String,
  status: Text,
}));

/** A feature's page, or undefined. */
export const featureDetail = (id: string): Effect.Effect<FeatureDetail | undefined, AppError, SqlRead> =>
  Effect.gen(function* () {
    const [row] = yield* rows("SELECT * FROM features WHERE feature_id = ?", [id]);
    if (row === undefined) return undefined;
    const tasks =
      (yield* rows("SELECT * FROM tasks WHERE feature_id = ? ORDER BY task_id DESC LIMIT 50", [id]))
        .map(rowToTask);
    const total = (yield* count("SELECT COUNT(*) AS n FROM tasks WHERE feature_id = ?", [id]))?.n ?? 0;
    const releases = (yield* releasesOf(
      `SELECT id, milestone_name, status FROM release_milestones
        WHERE EXISTS (SELECT 1 FROM json_each(included_features) WHERE value = ?) ORDER BY id DESC LIMIT 20`,
      [id],
    )).map((r) => ({ release_id: r.id, name: r.milestone_name, status: r.status ?? "planning" }));
    const state = yield* syncState(yield* linksWhere("l.feature_id = ? AND l.task_id IS NULL", [id]));
    return { feature: rowToFeature(row), tasks, tasks_total: total, releases, ...state };
  });

const base = decodeRow(Schema.Struct({
  local: Schema.fromJsonString(Schema.Unknown),
  remote: Schema.fromJsonString(Schema.Unknown),
  remote_updated_at: Text,
  updated_at: Schema.String,
}));

/** A link's page, or undefined. */
export const linkDetail = (id: number): Effect.Effect<LinkDetail | undefined, AppError, SqlRead> =>
  Effect.gen(function* () {
    const [link] = yield* linksWhere("l.id = ?", [id]);
    if (link === undefined) return undefined;
    const found = yield* base(
      "SELECT local, remote, remote_updated_at, updated_at FROM sync_bases WHERE link_id = ?",
      [id],
    );
    return { link, base: found ?? null, ...(yield* syncState([link])) };
  });
