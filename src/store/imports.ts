/**
 * Importing a repository's issues as local tasks (`import_issues`), in one transaction: the tasks,
 * their links (already `synced`) and their merge bases, written with multi-row inserts — an import
 * of tens of thousands of issues is three statements per few hundred rows.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Snapshot } from "../domain/merge.ts";
import type { Task } from "../domain/task.ts";
import { saveImportCursor } from "./cursors.ts";
import { insertSyncedLinks } from "./link_writes.ts";
import { insertRows, type SqlWrite } from "./sql.ts";
import { insertBases } from "./sync_bases.ts";
import { TASK_COLUMNS, taskValues } from "./task_rows.ts";

/** One issue to import: the task made of it, the issue's identity and both sides' snapshots. */
export interface ImportedIssue {
  readonly task: Task;
  readonly issue: {
    readonly number: number;
    readonly url: string;
    readonly id: string;
    readonly updated_at: string;
  };
  readonly local: Snapshot;
  readonly remote: Snapshot;
}

/**
 * Writes the imported tasks, their links and bases; and, when `cursor` is given (no link existed
 * before: every linked issue now has the base this listing read), the configuration's pull cursor,
 * so the next pass starts where the listing ended.
 */
export const writeImport = (
  where: { readonly config_id: number; readonly platform: string; readonly repository: string },
  made: readonly ImportedIssue[],
  cursor: string | null,
  now: string,
): Effect.Effect<void, AppError, SqlWrite> =>
  Effect.gen(function* () {
    yield* insertRows("tasks", TASK_COLUMNS, made.map(({ task }) => taskValues(task)));
    const linkOf = yield* insertSyncedLinks(
      where.config_id,
      where,
      made.map(({ task, issue }) => ({
        task_id: task.task_id,
        number: issue.number,
        url: issue.url,
        id: issue.id,
      })),
      now,
    );
    yield* insertBases(
      made.map(({ task, issue, local, remote }) => ({
        link_id: linkOf.get(task.task_id)!,
        local_version: 1,
        local,
        remote,
        remote_updated_at: issue.updated_at,
      })),
      now,
    );
    if (cursor !== null) yield* saveImportCursor(where.config_id, cursor, now);
  });
