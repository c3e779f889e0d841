/**
 * Writing links (`feature_issue_links`): a new link (an issue created or linked), many at once (an
 * import), the issue's identity once created, the sync status, and a link's removal with what the
 * sync keeps for it. Reading them is `links.ts`.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { Link } from "./links.ts";
import { decodeAll, execute, insertRows, type SqlWrite } from "./sql.ts";

/** What a new link holds. */
export interface NewLink {
  readonly config_id: number;
  readonly platform: string;
  readonly repository: string;
  readonly feature_id: string | null;
  readonly task_id: string | null;
  /** The issue, when it exists already (link_task); none while create_issue's create is queued. */
  readonly issue?: { readonly number: number; readonly url: string; readonly id: string };
}

/** Inserts a link, `pending` until a pass or a send settles it; returns its id. */
export const insertLink = (link: NewLink): Effect.Effect<number, AppError, SqlWrite> =>
  execute(
    `INSERT INTO feature_issue_links (feature_id, task_id, platform, repository, issue_number, issue_url,
       issue_id, sync_status, config_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    [
      link.feature_id,
      link.task_id,
      link.platform,
      link.repository,
      link.issue?.number ?? null,
      link.issue?.url ?? null,
      link.issue?.id ?? null,
      link.config_id,
      nowIso(),
    ],
  ).pipe(Effect.map((result) => Number(result.lastInsertRowid)));

/** Inserts the links of many tasks to their issues, already `synced`; returns each task's link id. */
export const insertSyncedLinks = (
  configId: number,
  where: { readonly platform: string; readonly repository: string },
  made: ReadonlyArray<
    { readonly task_id: string; readonly number: number; readonly url: string; readonly id: string }
  >,
  now: string,
): Effect.Effect<Map<string, number>, AppError, SqlWrite> =>
  insertRows(
    "feature_issue_links",
    [
      "task_id",
      "platform",
      "repository",
      "issue_number",
      "issue_url",
      "issue_id",
      "sync_status",
      "last_synced",
      "config_id",
      "created_at",
    ],
    made.map((
      m,
    ) => [m.task_id, where.platform, where.repository, m.number, m.url, m.id, "synced", now, configId, now]),
    ["id", "task_id"],
  ).pipe(
    Effect.flatMap(
      decodeAll(
        Schema.Struct({ id: Schema.Number, task_id: Schema.String }),
        "INSERT INTO feature_issue_links",
      ),
    ),
    Effect.map((rows) => new Map(rows.map((r) => [r.task_id, r.id]))),
  );

/** Records a linked issue's identity and marks the link synced. */
export const markLinked = (
  linkId: number,
  issue: { readonly number: number; readonly url: string; readonly id: string },
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE feature_issue_links SET issue_number = ?, issue_url = ?, issue_id = ?, sync_status = 'synced',
       last_synced = ?, last_error = NULL WHERE id = ?`,
    [issue.number, issue.url, issue.id, nowIso(), linkId],
  ).pipe(Effect.asVoid);

/** Sets a link's sync status and last error (and when it was last synced, for `synced`). */
export const markLink = (
  linkId: number,
  status: Link["sync_status"],
  error: string | null,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE feature_issue_links SET sync_status = ?, last_error = ?,
       last_synced = CASE WHEN ? = 'synced' THEN ? ELSE last_synced END WHERE id = ?`,
    [status, error, status, nowIso(), linkId],
  ).pipe(Effect.asVoid);

/** Deletes a link with everything the sync keeps for it: queued writes, conflicts and its base. */
export const deleteLink = (linkId: number): Effect.Effect<void, AppError, SqlWrite> =>
  Effect.gen(function* () {
    yield* execute("DELETE FROM sync_outbox WHERE link_id = ?", [linkId]);
    yield* execute("DELETE FROM sync_conflicts WHERE link_id = ?", [linkId]);
    yield* execute("DELETE FROM sync_bases WHERE link_id = ?", [linkId]);
    yield* execute("DELETE FROM feature_issue_links WHERE id = ?", [linkId]);
  });
