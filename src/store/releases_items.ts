/**
 * The items of a release as stored: its features, their tasks and the issues linked to either in
 * the release's repository (reads of `features`, `tasks` and `feature_issue_links`).
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import type { RepoConfig } from "./configs.ts";
import { rowToFeature } from "./features.ts";
import { rowToTask } from "./tasks.ts";
import { decodeRows, rows, type SqlRead } from "./sql.ts";

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

const Text = Schema.NullOr(Schema.String);

const issueLinks = decodeRows(Schema.Struct({
  feature_id: Text,
  task_id: Text,
  issue_number: Schema.Number,
  issue_url: Text,
  issue_id: Text,
}));

/** The features of `ids` that exist, by id. */
export const featuresById = (
  ids: readonly string[],
): Effect.Effect<Map<string, Feature>, AppError, SqlRead> =>
  ids.length === 0 ? Effect.succeed(new Map()) : rows(
    "SELECT * FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
    [JSON.stringify(ids)],
  ).pipe(Effect.map((found) => new Map(found.map(rowToFeature).map((f) => [f.feature_id, f]))));

/**
 * The features named (in that order), their tasks and the issues linked to them in the
 * repository; `missing` lists the ids that name no feature.
 */
export const releaseItems = (
  cfg: RepoConfig,
  featureIds: readonly string[],
): Effect.Effect<{ items: ReleaseItem[]; missing: string[] }, AppError, SqlRead> =>
  Effect.gen(function* () {
    if (featureIds.length === 0) return { items: [], missing: [] };
    const ids = JSON.stringify(featureIds);
    const byId = yield* featuresById(featureIds);
    const tasks = (yield* rows(
      `SELECT * FROM tasks WHERE feature_id IN (SELECT value FROM json_each(?)) AND status != 'archived'
         ORDER BY created_at, task_id`,
      [ids],
    )).map(rowToTask);
    const links = yield* issueLinks(
      `SELECT l.feature_id, l.task_id, l.issue_number, l.issue_url, l.issue_id FROM feature_issue_links l
         WHERE l.config_id = ? AND l.issue_number IS NOT NULL AND (
           (l.task_id IS NULL AND l.feature_id IN (SELECT value FROM json_each(?)))
           OR l.task_id IN (SELECT task_id FROM tasks WHERE feature_id IN (SELECT value FROM json_each(?))
                              AND status != 'archived'))
         ORDER BY l.issue_number`,
      [cfg.config_id, ids, ids],
    );
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
            number: l.issue_number,
            url: l.issue_url,
            id: l.issue_id,
            feature_id: id,
            task_id: l.task_id,
          })),
      });
    }
    return { items, missing };
  });
