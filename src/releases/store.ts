/**
 * Releases as stored in `release_milestones` (the task document's table, with the columns of
 * migration 0005): reading rows, and the items of a release — its features, their tasks and the
 * issues linked to either in the release's repository.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { AppError } from "../domain/errors.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import type { RepoConfig } from "../store/configs.ts";
import { rowToFeature } from "../store/features.ts";
import { rowToTask } from "../store/tasks.ts";
import { parseStringArray } from "../store/rows.ts";

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

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Converts a `release_milestones` row (of a configured repository) to a {@link Release}. */
export function rowToRelease(row: Record<string, unknown>, cfg: RepoConfig): Release {
  const assigned = text(row.assigned_issues);
  return {
    release_id: Number(row.id),
    release_version: text(row.release_version),
    platform: cfg.platform,
    repository: cfg.repository,
    milestone_name: String(row.milestone_name),
    platform_milestone_id: text(row.platform_milestone_id),
    milestone_url: text(row.milestone_url),
    target_date: text(row.target_date),
    description: text(row.description),
    included_features: parseStringArray(row.included_features),
    assigned_issues: assigned === null ? [] : (JSON.parse(assigned) as unknown[]).map(Number),
    status: (text(row.status) ?? "planning") as ReleaseStatus,
    tag_name: text(row.tag_name),
    tag_ref: text(row.tag_ref),
    release_url: text(row.release_url),
    notes: text(row.notes),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at ?? row.created_at),
    tagged_at: text(row.tagged_at),
    cancelled_at: text(row.cancelled_at),
  };
}

/** The release of a version in a repository, if planned. */
export const findRelease = (
  cfg: RepoConfig,
  version: string,
): Effect.Effect<Release | undefined, never, Db> =>
  Db.use((db) =>
    db.query("SELECT * FROM release_milestones WHERE config_id = ? AND release_version = ?", [
      cfg.config_id,
      version,
    ])
  ).pipe(Effect.map((rows) => (rows[0] === undefined ? undefined : rowToRelease(rows[0], cfg))));

/** The release of a version, or NOT_FOUND saying how to plan it. */
export const getRelease = (cfg: RepoConfig, version: string): Effect.Effect<Release, AppError, Db> =>
  findRelease(cfg, version).pipe(
    Effect.flatMap((release) =>
      release !== undefined ? Effect.succeed(release) : Effect.fail(AppError.notFound(
        `No release "${version.slice(0, 100)}" is planned in ${cfg.platform}:${cfg.repository}.`,
        `Plan it with {action:"plan_release", release_version:"${
          version.slice(0, 100)
        }"}; {action:"status"} without release_version lists the planned releases.`,
      ))
    ),
  );

/** Every release of a repository (bare milestones left out), oldest first. */
export const listReleases = (cfg: RepoConfig): Effect.Effect<Release[], never, Db> =>
  Db.use((db) =>
    db.query(
      "SELECT * FROM release_milestones WHERE config_id = ? AND release_version IS NOT NULL ORDER BY id",
      [cfg.config_id],
    )
  ).pipe(Effect.map((rows) => rows.map((r) => rowToRelease(r, cfg))));

/** An issue linked to a feature of a release or to one of its tasks. */
export interface LinkedIssue {
  readonly number: number;
  readonly url: string | null;
  /** The forge's global id of the issue, when the link recorded it. */
  readonly id: string | null;
  /** The feature it belongs to. */
  readonly feature_id: string;
  /** The task it is linked to, when it is a task's issue. */
  readonly task_id: string | null;
}

/** A feature of a release with its tasks (archived ones left out) and linked issues. */
export interface ReleaseItem {
  readonly feature: Feature;
  readonly tasks: readonly Task[];
  readonly issues: readonly LinkedIssue[];
}

/**
 * The features named (in that order), their tasks and the issues linked to them in the
 * repository; `missing` lists the ids that name no feature.
 */
export const loadItems = (
  cfg: RepoConfig,
  featureIds: readonly string[],
): Effect.Effect<{ items: ReleaseItem[]; missing: string[] }, never, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    if (featureIds.length === 0) return { items: [], missing: [] };
    const ids = JSON.stringify(featureIds);
    const features = (yield* db.query(
      "SELECT * FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
      [ids],
    )).map(rowToFeature);
    const tasks = (yield* db.query(
      `SELECT * FROM tasks WHERE feature_id IN (SELECT value FROM json_each(?)) AND status != 'archived'
         ORDER BY created_at, task_id`,
      [ids],
    )).map(rowToTask);
    const links = yield* db.query<
      {
        feature_id: string | null;
        task_id: string | null;
        issue_number: number;
        issue_url: string | null;
        issue_id: string | null;
      }
    >(
      `SELECT l.feature_id, l.task_id, l.issue_number, l.issue_url, l.issue_id FROM feature_issue_links l
         WHERE l.config_id = ? AND l.issue_number IS NOT NULL AND (
           (l.task_id IS NULL AND l.feature_id IN (SELECT value FROM json_each(?)))
           OR l.task_id IN (SELECT task_id FROM tasks WHERE feature_id IN (SELECT value FROM json_each(?))
                              AND status != 'archived'))
         ORDER BY l.issue_number`,
      [cfg.config_id, ids, ids],
    );
    const byId = new Map(features.map((f) => [f.feature_id, f]));
    const featureOfTask = new Map(tasks.map((t) => [t.task_id, t.feature_id!]));
    const items: ReleaseItem[] = [];
    const missing: string[] = [];
    for (const id of featureIds) {
      const feature = byId.get(id);
      if (feature === undefined) {
        missing.push(id);
        continue;
      }
      items.push({
        feature,
        tasks: tasks.filter((t) => t.feature_id === id),
        issues: links
          .filter((l) => (l.task_id === null ? l.feature_id === id : featureOfTask.get(l.task_id) === id))
          .map((l) => ({
            number: Number(l.issue_number),
            url: l.issue_url,
            id: l.issue_id === null || l.issue_id === undefined ? null : String(l.issue_id),
            feature_id: id,
            task_id: l.task_id,
          })),
      });
    }
    return { items, missing };
  });
