/**
 * The links boards deal with, read from `feature_issue_links`: the links of a board's items, a
 * repository's links by issue number, and the tasks their links name (one link by its item or issue:
 * `links.ts` `findLink`).
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Task } from "../domain/task.ts";
import { type LinkState, readLinks } from "./links.ts";
import { rowToTask } from "./tasks.ts";
import { rows, type SqlRead } from "./sql.ts";

/** A link as boards see it: with the forge's id of its issue. */
export type BoardLink = LinkState;

/** The links of a board's items. */
export const linksOnBoard = (boardId: number): Effect.Effect<BoardLink[], AppError, SqlRead> =>
  readLinks(
    "SELECT * FROM feature_issue_links WHERE id IN (SELECT link_id FROM board_items WHERE board_id = ?)",
    [boardId],
  );

/** The links of a repository that have an issue, by issue number. */
export const linksByIssue = (configId: number): Effect.Effect<Map<number, BoardLink>, AppError, SqlRead> =>
  readLinks("SELECT * FROM feature_issue_links WHERE config_id = ? AND issue_number IS NOT NULL", [configId])
    .pipe(Effect.map((found) => new Map(found.map((l) => [l.issue_number!, l]))));

/** The tasks of `ids` that exist, by id. */
export const tasksById = (ids: readonly string[]): Effect.Effect<Map<string, Task>, AppError, SqlRead> =>
  ids.length === 0 ? Effect.succeed(new Map()) : rows(
    "SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))",
    [JSON.stringify(ids)],
  ).pipe(Effect.map((found) => new Map(found.map(rowToTask).map((t) => [t.task_id, t]))));
