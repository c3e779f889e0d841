/**
 * The releases the dashboard lists and shows, with what their progress is computed from: the
 * status of each included feature and of its tasks, and the issues linked to them.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { FEATURE_STATUSES, type FeatureStatus } from "../domain/feature.ts";
import { TASK_STATUSES, type TaskStatus } from "../domain/task.ts";
import { decodeRow, decodeRows, type SqlRead } from "./sql.ts";
import { type LinkRow, linksWhere } from "./dashboard_rows.ts";

/** A release (or a bare milestone) with its repository's name. */
export interface DashboardRelease {
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
}

/** The local status of features and of their tasks, by feature id. */
export interface Statuses {
  readonly features: ReadonlyMap<string, FeatureStatus>;
  readonly tasks: ReadonlyMap<string, readonly TaskStatus[]>;
}

const Text = Schema.NullOr(Schema.String);

const releaseRows = decodeRows(Schema.Struct({
  id: Schema.Number,
  milestone_name: Schema.String,
  release_version: Text,
  platform: Text,
  repository: Text,
  status: Text,
  target_date: Text,
  milestone_url: Text,
  release_url: Text,
  tag_name: Text,
  included_features: Schema.NullOr(Schema.fromJsonString(Schema.Array(Schema.String))),
}));

const RELEASE_SQL = `SELECT r.*, c.platform, c.repository FROM release_milestones r
  LEFT JOIN git_integration_config c ON c.id = r.config_id`;

const releases = (sql: string, args: readonly (string | number)[]) =>
  releaseRows(sql, [...args]).pipe(Effect.map((found) =>
    found.map((row): DashboardRelease => ({
      release_id: row.id,
      name: row.milestone_name,
      version: row.release_version,
      platform: row.platform,
      repository: row.repository,
      status: row.status ?? "planning",
      target_date: row.target_date,
      milestone_url: row.milestone_url,
      release_url: row.release_url,
      tag_name: row.tag_name,
      included_features: row.included_features ?? [],
    }))
  ));

const count = decodeRow(Schema.Struct({ n: Schema.Number }));

/** Releases, newest first (at most `limit`, after `offset`), and how many there are. */
export const releasesPage = (
  limit: number,
  offset: number,
): Effect.Effect<{ rows: DashboardRelease[]; total: number }, AppError, SqlRead> =>
  Effect.gen(function* () {
    const total = (yield* count("SELECT COUNT(*) AS n FROM release_milestones"))?.n ?? 0;
    const rows = yield* releases(`${RELEASE_SQL} ORDER BY r.id DESC LIMIT ? OFFSET ?`, [limit, offset]);
    return { rows, total };
  });

/** A release by id, or undefined. */
export const releaseById = (id: number): Effect.Effect<DashboardRelease | undefined, AppError, SqlRead> =>
  releases(`${RELEASE_SQL} WHERE r.id = ?`, [id]).pipe(Effect.map((found) => found[0]));

const featureStatuses = decodeRows(Schema.Struct({
  feature_id: Schema.String,
  status: Schema.Literals(FEATURE_STATUSES),
}));
const taskStatuses = decodeRows(
  Schema.Struct({ feature_id: Schema.String, status: Schema.Literals(TASK_STATUSES) }),
);

/** The status of the features of `featureIds` that exist, and of their tasks. */
export const statusesOf = (featureIds: readonly string[]): Effect.Effect<Statuses, AppError, SqlRead> =>
  Effect.gen(function* () {
    const ids = JSON.stringify([...new Set(featureIds)]);
    const features = new Map(
      (yield* featureStatuses(
        "SELECT feature_id, status FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
        [ids],
      )).map((r) => [r.feature_id, r.status]),
    );
    const tasks = new Map<string, TaskStatus[]>();
    for (
      const r of yield* taskStatuses(
        "SELECT feature_id, status FROM tasks WHERE feature_id IN (SELECT value FROM json_each(?))",
        [ids],
      )
    ) tasks.set(r.feature_id, [...(tasks.get(r.feature_id) ?? []), r.status]);
    return { features, tasks };
  });

/** A feature of a release: its title, status, its tasks' statuses and the issues linked to either. */
export interface ReleaseFeature {
  readonly title: string;
  readonly status: FeatureStatus;
  readonly tasks: readonly TaskStatus[];
  readonly issues: readonly LinkRow[];
}

const featureRow = decodeRow(
  Schema.Struct({ title: Schema.String, status: Schema.Literals(FEATURE_STATUSES) }),
);
const statusRows = decodeRows(Schema.Struct({ status: Schema.Literals(TASK_STATUSES) }));

/** A feature of a release, or undefined when it does not exist. */
export const releaseFeature = (
  featureId: string,
): Effect.Effect<ReleaseFeature | undefined, AppError, SqlRead> =>
  Effect.gen(function* () {
    const feature = yield* featureRow("SELECT * FROM features WHERE feature_id = ?", [featureId]);
    if (feature === undefined) return undefined;
    const tasks = (yield* statusRows("SELECT status FROM tasks WHERE feature_id = ?", [featureId])).map((t) =>
      t.status
    );
    const issues = yield* linksWhere(
      "(l.feature_id = ? OR l.task_id IN (SELECT task_id FROM tasks WHERE feature_id = ?))",
      [featureId, featureId],
    );
    return { title: feature.title, status: feature.status, tasks, issues };
  });
