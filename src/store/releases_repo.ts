/**
 * The releases repository: `release_milestones` (the task document's table, with the columns of
 * migration 0005) read and written as statements. A release action runs its reads through
 * `Db.reading` and its writes in one `Db.transaction`.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { RepoConfig } from "./configs.ts";
import { changes, decodeRow, decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** The statuses of a release (the task document's). */
export const RELEASE_STATUSES = ["planning", "active", "completed", "cancelled"] as const;
/** One of {@link RELEASE_STATUSES}. */
export type ReleaseStatus = typeof RELEASE_STATUSES[number];

/** A release (or a bare milestone, whose `release_version` is null). */
export interface Release {
  readonly release_id: number;
  readonly release_version: string | null;
  readonly platform: string;
  readonly repository: string;
  /** The platform milestone's title. */
  readonly milestone_name: string;
  readonly platform_milestone_id: string | null;
  readonly milestone_url: string | null;
  /** YYYY-MM-DD or null. */
  readonly target_date: string | null;
  readonly description: string | null;
  readonly included_features: readonly string[];
  /** Issue numbers already put in the milestone. */
  readonly assigned_issues: readonly number[];
  readonly status: ReleaseStatus;
  readonly tag_name: string | null;
  readonly tag_ref: string | null;
  readonly release_url: string | null;
  readonly notes: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly tagged_at: string | null;
  readonly cancelled_at: string | null;
}

const Text = Schema.NullOr(Schema.String);

/** A JSON array column (NULL for none). */
const JsonList = <S extends Schema.Top & { readonly DecodingServices: never }>(item: S) =>
  Schema.NullOr(Schema.fromJsonString(Schema.Array(item)));

/** A `release_milestones` row. */
const ReleaseRow = Schema.Struct({
  id: Schema.Number,
  release_version: Text,
  milestone_name: Schema.String,
  platform_milestone_id: Text,
  milestone_url: Text,
  target_date: Text,
  description: Text,
  included_features: JsonList(Schema.String),
  assigned_issues: JsonList(Schema.Number),
  status: Schema.NullOr(Schema.Literals(RELEASE_STATUSES)),
  tag_name: Text,
  tag_ref: Text,
  release_url: Text,
  notes: Text,
  created_at: Schema.String,
  updated_at: Text,
  tagged_at: Text,
  cancelled_at: Text,
});

/** A release as its row holds it, in the repository `cfg`. */
function toRelease(row: typeof ReleaseRow.Type, cfg: RepoConfig): Release {
  return {
    release_id: row.id,
    release_version: row.release_version,
    platform: cfg.platform,
    repository: cfg.repository,
    milestone_name: row.milestone_name,
    platform_milestone_id: row.platform_milestone_id,
    milestone_url: row.milestone_url,
    target_date: row.target_date,
    description: row.description,
    included_features: row.included_features ?? [],
    assigned_issues: row.assigned_issues ?? [],
    status: row.status ?? "planning",
    tag_name: row.tag_name,
    tag_ref: row.tag_ref,
    release_url: row.release_url,
    notes: row.notes,
    created_at: row.created_at,
    updated_at: row.updated_at ?? row.created_at,
    tagged_at: row.tagged_at,
    cancelled_at: row.cancelled_at,
  };
}

const releaseRows = decodeRows(ReleaseRow);

/** The release of a version in a repository, if planned. */
export const findRelease = (
  cfg: RepoConfig,
  version: string,
): Effect.Effect<Release | undefined, AppError, SqlRead> =>
  releaseRows("SELECT * FROM release_milestones WHERE config_id = ? AND release_version = ?", [
    cfg.config_id,
    version,
  ]).pipe(Effect.map(([row]) => (row === undefined ? undefined : toRelease(row, cfg))));

/** Every release of a repository (bare milestones left out), oldest first. */
export const listReleases = (cfg: RepoConfig): Effect.Effect<Release[], AppError, SqlRead> =>
  releaseRows(
    "SELECT * FROM release_milestones WHERE config_id = ? AND release_version IS NOT NULL ORDER BY id",
    [cfg.config_id],
  ).pipe(Effect.map((rows) => rows.map((row) => toRelease(row, cfg))));

/** The columns of a release's row that a plan sets (lists as JSON text). */
export interface PlanFields {
  readonly milestone_name: string;
  readonly target_date: string | null;
  readonly platform_milestone_id: string | null;
  readonly milestone_url: string | null;
  readonly description: string | null;
  readonly included_features: string;
  readonly assigned_issues: string;
  readonly status: "planning" | "active";
}

const bareMilestone = decodeRow(Schema.Struct({ id: Schema.Number }));

/**
 * Writes a plan of `version`: over the recorded release, else over a bare milestone of the same
 * platform milestone (recorded by create_milestone), else as a new row.
 */
export const writePlan = (
  cfg: RepoConfig,
  version: string,
  existing: Release | undefined,
  fields: PlanFields,
): Effect.Effect<void, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const now = nowIso();
    const columns = Object.keys(fields);
    const values = Object.values(fields);
    const set = columns.map((c) => `${c} = ?`).join(", ");
    if (existing !== undefined) {
      yield* execute(
        `UPDATE release_milestones SET ${set}, updated_at = ? WHERE id = ?`,
        [...values, now, existing.release_id],
      );
      return;
    }
    // A bare milestone recorded by create_milestone becomes this release's.
    const bare = fields.platform_milestone_id === null ? undefined : yield* bareMilestone(
      `SELECT id FROM release_milestones WHERE config_id = ? AND release_version IS NULL
         AND platform_milestone_id = ? ORDER BY id LIMIT 1`,
      [cfg.config_id, fields.platform_milestone_id],
    );
    if (bare !== undefined) {
      yield* execute(
        `UPDATE release_milestones SET ${set}, release_version = ?, updated_at = ? WHERE id = ?`,
        [...values, version, now, bare.id],
      );
      return;
    }
    yield* execute(
      `INSERT INTO release_milestones (${
        columns.join(", ")
      }, config_id, release_version, created_at, updated_at)
         VALUES (${columns.map(() => "?").join(", ")}, ?, ?, ?, ?)`,
      [...values, cfg.config_id, version, now, now],
    );
  });

/** A milestone made on the forge, to record as a bare milestone (no version yet). */
export interface BareMilestone {
  readonly title: string;
  readonly target_date: string | null;
  readonly platform_milestone_id: string;
  readonly milestone_url: string | null;
  readonly description: string | null;
}

/** Records a bare milestone (create_milestone); a later plan of that milestone adopts it. */
export const recordMilestone = (
  cfg: RepoConfig,
  milestone: BareMilestone,
): Effect.Effect<void, AppError, SqlWrite> => {
  const now = nowIso();
  return execute(
    `INSERT INTO release_milestones (milestone_name, target_date, platform_milestone_id, milestone_url,
        description, included_features, assigned_issues, status, config_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, '[]', '[]', 'planning', ?, ?, ?)`,
    [
      milestone.title,
      milestone.target_date,
      milestone.platform_milestone_id,
      milestone.milestone_url,
      milestone.description,
      cfg.config_id,
      now,
      now,
    ],
  );
};

/** Marks a release cancelled now. */
export const markCancelled = (releaseId: number): Effect.Effect<void, AppError, SqlWrite> => {
  const now = nowIso();
  return execute(
    "UPDATE release_milestones SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
    [now, now, releaseId],
  );
};

/** The tag (or release) a forge made for a release. */
export interface RecordedTag {
  readonly name: string;
  readonly ref: string | null;
  readonly url: string | null;
  readonly notes: string;
}

/** Records the tag the forge made for a release (before anything else can fail). */
export const recordTag = (releaseId: number, tag: RecordedTag): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE release_milestones SET tag_name = ?, tag_ref = ?, release_url = ?, notes = ?, updated_at = ?
      WHERE id = ?`,
    [tag.name, tag.ref, tag.url, tag.notes, nowIso(), releaseId],
  );

/** Marks a release completed (tagged) now. */
export const markCompleted = (releaseId: number): Effect.Effect<void, AppError, SqlWrite> => {
  const now = nowIso();
  return execute(
    "UPDATE release_milestones SET status = 'completed', tagged_at = ?, updated_at = ? WHERE id = ?",
    [now, now, releaseId],
  );
};

/**
 * Moves features to `completed`, bumping their version as every change of a feature does (the
 * sync's triggers mark their links to send). Returns how many rows changed.
 */
export const completeFeatures = (featureIds: readonly string[]): Effect.Effect<number, AppError, SqlWrite> =>
  featureIds.length === 0 ? Effect.succeed(0) : changes(
    `UPDATE features SET status = 'completed', updated_at = ?, version = version + 1
      WHERE feature_id IN (SELECT value FROM json_each(?)) AND status <> 'completed'`,
    [nowIso(), JSON.stringify(featureIds)],
  );
