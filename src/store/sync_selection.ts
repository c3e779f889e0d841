/**
 * What a pass selects and loads (`../sync/candidates.ts`): the links changed locally (marked in
 * `sync_dirty` by triggers on every version change), those of listed issues and those with a queued
 * update — each found by an index, so a pass costs what changed, not what is linked — and their
 * rows with their merge bases.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { type LinkState, LinkStateRow, toLinkState } from "./links.ts";
import { BaseColumns, type StoredBase } from "./sync_bases.ts";
import { decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/**
 * The links of a configuration a pass must plan: changed locally, listed (`listed` issue numbers),
 * or with a queued update. Links without an issue or a base are left out.
 */
export const selectLinkIds = (
  configId: number,
  listed: readonly number[],
): Effect.Effect<number[], AppError, SqlRead> =>
  decodeRows(Schema.Struct({ id: Schema.Number }))(
    `SELECT l.id FROM feature_issue_links l JOIN sync_bases b ON b.link_id = l.id
      WHERE l.config_id = ? AND l.issue_number IS NOT NULL AND l.id IN (
        SELECT link_id FROM sync_dirty
        UNION SELECT id FROM feature_issue_links
               WHERE config_id = ? AND issue_number IN (SELECT value FROM json_each(?))
        UNION SELECT link_id FROM sync_outbox WHERE config_id = ? AND status = 'pending' AND kind = 'update')`,
    [configId, configId, JSON.stringify(listed), configId],
  ).pipe(Effect.map((rows) => rows.map((r) => r.id)));

/**
 * Inside the apply transaction: the selected links whose base has caught up with their item (or
 * whose task is archived) are no longer changed locally.
 */
export const clearDirty = (ids: readonly number[]): Effect.Effect<void, AppError, SqlWrite> =>
  ids.length === 0 ? Effect.void : execute(
    `DELETE FROM sync_dirty WHERE link_id IN (
       SELECT l.id FROM feature_issue_links l JOIN sync_bases b ON b.link_id = l.id
         LEFT JOIN tasks t ON t.task_id = l.task_id
         LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
        WHERE l.id IN (SELECT value FROM json_each(?))
          AND (COALESCE(t.version, f.version) = b.local_version OR t.status = 'archived'))`,
    [JSON.stringify(ids)],
  ).pipe(Effect.asVoid);

const LinkWithBase = Schema.Struct({ ...LinkStateRow.fields, ...BaseColumns });

/** The given links that have an issue, each with its merge base. */
export const linksWithBases = (
  ids: readonly number[],
): Effect.Effect<Array<{ link: LinkState; base: StoredBase }>, AppError, SqlRead> =>
  ids.length === 0 ? Effect.succeed([]) : decodeRows(LinkWithBase)(
    `SELECT l.*, b.local_version, b.local, b.remote, b.remote_updated_at
       FROM feature_issue_links l JOIN sync_bases b ON b.link_id = l.id
      WHERE l.id IN (SELECT value FROM json_each(?)) AND l.issue_number IS NOT NULL`,
    [JSON.stringify(ids)],
  ).pipe(Effect.map((rows) =>
    rows.map((r) => ({
      link: toLinkState(r),
      base: {
        link_id: r.id,
        local_version: r.local_version,
        local: r.local,
        remote: r.remote,
        remote_updated_at: r.remote_updated_at,
      },
    }))
  ));
