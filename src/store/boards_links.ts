/**
 * The links boards deal with, read from `feature_issue_links`: the link of a feature, task or
 * issue in a repository, the links of a board's items, a repository's links by issue number, and the
 * tasks their links name.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Task } from "../domain/task.ts";
import type { Link } from "./links.ts";
import { rowToTask } from "./tasks.ts";
import { decodeRows, rows, type SqlRead } from "./sql.ts";

/** A link with the forge's id of its issue. */
export interface BoardLink extends Link {
  readonly issue_id: string | null;
}

const Text = Schema.NullOr(Schema.String);

const LinkRow = Schema.Struct({
  id: Schema.Number,
  feature_id: Text,
  task_id: Text,
  platform: Schema.String,
  repository: Schema.String,
  issue_number: Schema.NullOr(Schema.Number),
  issue_url: Text,
  sync_status: Schema.NullOr(Schema.Literals(["synced", "pending", "failed", "manual"])),
  last_synced: Text,
  issue_id: Text,
});

const linkRows = decodeRows(LinkRow);

const toLink = (row: typeof LinkRow.Type): BoardLink => ({
  link_id: row.id,
  feature_id: row.feature_id,
  task_id: row.task_id,
  platform: row.platform,
  repository: row.repository,
  issue_number: row.issue_number,
  issue_url: row.issue_url,
  sync_status: row.sync_status ?? "pending",
  last_synced: row.last_synced,
  issue_id: row.issue_id,
});

const links = (sql: string, args: readonly (string | number)[]) =>
  linkRows(sql, [...args]).pipe(Effect.map((found) => found.map(toLink)));

/** What names a link in a repository: its issue, its task, or its feature (the feature's own link). */
export type LinkKey =
  | { readonly issue_number: number }
  | { readonly task_id: string }
  | { readonly feature_id: string };

/** The first link `key` names in the repository of `configId`, if any. */
export const findLink = (
  configId: number,
  key: LinkKey,
): Effect.Effect<BoardLink | undefined, AppError, SqlRead> => {
  const [where, arg] = "issue_number" in key
    ? ["issue_number = ?", key.issue_number]
    : "task_id" in key
    ? ["task_id = ?", key.task_id]
    : ["feature_id = ? AND task_id IS NULL", key.feature_id];
  return links(`SELECT * FROM feature_issue_links WHERE config_id = ? AND ${where} ORDER BY id`, [
    configId,
    arg,
  ])
    .pipe(Effect.map((found) => found[0]));
};

/** The links of a board's items. */
export const linksOnBoard = (boardId: number): Effect.Effect<BoardLink[], AppError, SqlRead> =>
  links(
    "SELECT * FROM feature_issue_links WHERE id IN (SELECT link_id FROM board_items WHERE board_id = ?)",
    [boardId],
  );

/** The links of a repository that have an issue, by issue number. */
export const linksByIssue = (configId: number): Effect.Effect<Map<number, BoardLink>, AppError, SqlRead> =>
  links("SELECT * FROM feature_issue_links WHERE config_id = ? AND issue_number IS NOT NULL", [configId])
    .pipe(Effect.map((found) => new Map(found.map((l) => [l.issue_number!, l]))));

/** The tasks of `ids` that exist, by id. */
export const tasksById = (ids: readonly string[]): Effect.Effect<Map<string, Task>, AppError, SqlRead> =>
  ids.length === 0 ? Effect.succeed(new Map()) : rows(
    "SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))",
    [JSON.stringify(ids)],
  ).pipe(Effect.map((found) => new Map(found.map(rowToTask).map((t) => [t.task_id, t]))));
