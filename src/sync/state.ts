/**
 * Reading and writing the sync state tables: links, merge bases, outbox rows, cursors, conflicts
 * and run logs. Plain async functions over a row reader or an open transaction, so the reconciler
 * can group writes into one transaction.
 *
 * @module
 */
import type { InArgs } from "@libsql/client";
import type { Tx } from "../store/db.ts";
import type { Base, Conflict, Field, Snapshot } from "../domain/merge.ts";
import type { IssueDraft, IssuePatch, RemoteIssue } from "../platform/types.ts";
import { rowToFeature } from "../store/features.ts";
import { rowToTask } from "../store/tasks.ts";
import { type Link, rowToLink } from "../store/links.ts";
import type { LocalItem } from "./snapshots.ts";
import { nowIso } from "../domain/ids.ts";

/** Runs a read and returns its rows. */
export type Rows = <T = Record<string, unknown>>(sql: string, args?: InArgs) => Promise<T[]>;

/** A link with the columns the sync needs. */
export interface LinkState extends Link {
  readonly config_id: number;
  readonly issue_id: string | null;
  readonly last_error: string | null;
}

/** Converts a row to a {@link LinkState}. */
export function rowToLinkState(row: Record<string, unknown>): LinkState {
  return {
    ...rowToLink(row),
    config_id: Number(row.config_id),
    issue_id: row.issue_id === null || row.issue_id === undefined ? null : String(row.issue_id),
    last_error: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
  };
}

/** A stored merge base. */
export interface StoredBase extends Base {
  readonly link_id: number;
  readonly local_version: number;
  readonly remote_updated_at: string | null;
}

/** What a create outbox row carries. */
export interface CreatePayload {
  readonly draft: IssueDraft;
  /** The local snapshot the draft was made from, and its version. */
  readonly local: Snapshot;
  readonly local_version: number;
  readonly marker: string;
}

/** What an update outbox row carries. */
export interface UpdatePayload {
  readonly patch: IssuePatch;
  readonly fields: readonly Field[];
  readonly local: Snapshot;
  readonly local_version: number;
}

/** A row of the outbox. */
export interface OutboxRow {
  readonly id: number;
  readonly config_id: number;
  readonly link_id: number;
  readonly kind: "create" | "update";
  readonly payload: CreatePayload | UpdatePayload;
  /** Grows at every re-queue: a send records its outcome only on the revision it sent. */
  readonly revision: number;
  readonly attempts: number;
  readonly first_attempt_at: string | null;
  /**
   * While a request for this row may still be in flight at the forge (ISO): nothing more is sent
   * for the link, and a create is not looked for, before then. Set before every send and cleared
   * when the forge answers, so a request whose sender died or got no answer is settled by reading
   * the forge only once it has surely ended.
   */
  readonly not_before: string | null;
}

/** The local item a link belongs to, or undefined when it no longer exists. */
export async function loadItem(
  rows: Rows,
  link: Pick<Link, "task_id" | "feature_id">,
): Promise<LocalItem | undefined> {
  if (link.task_id !== null) {
    const found = await rows("SELECT * FROM tasks WHERE task_id = ?", [link.task_id]);
    return found[0] === undefined ? undefined : { kind: "task", item: rowToTask(found[0]) };
  }
  if (link.feature_id !== null) {
    const found = await rows("SELECT * FROM features WHERE feature_id = ?", [link.feature_id]);
    return found[0] === undefined ? undefined : { kind: "feature", item: rowToFeature(found[0]) };
  }
  return undefined;
}

/** The merge base of a link. */
export async function loadBase(rows: Rows, linkId: number): Promise<StoredBase | undefined> {
  const found = await rows("SELECT * FROM sync_bases WHERE link_id = ?", [linkId]);
  return found[0] === undefined ? undefined : rowToBase(found[0]);
}

/** Converts a `sync_bases` row. */
export function rowToBase(row: Record<string, unknown>): StoredBase {
  return {
    link_id: Number(row.link_id),
    local_version: Number(row.local_version),
    local: JSON.parse(String(row.local)),
    remote: JSON.parse(String(row.remote)),
    remote_updated_at: row.remote_updated_at === null ? null : String(row.remote_updated_at),
  };
}

/** Writes a merge base. */
export async function saveBase(
  tx: Tx,
  linkId: number,
  base: Base,
  localVersion: number,
  remoteUpdatedAt: string | null,
): Promise<void> {
  await tx.execute(
    `INSERT INTO sync_bases (link_id, local_version, local, remote, remote_updated_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (link_id) DO UPDATE SET local_version = excluded.local_version, local = excluded.local,
       remote = excluded.remote, remote_updated_at = excluded.remote_updated_at, updated_at = excluded.updated_at`,
    [
      linkId,
      localVersion,
      JSON.stringify(base.local),
      JSON.stringify(base.remote),
      remoteUpdatedAt,
      nowIso(),
    ],
  );
}

/** Records a linked issue's identity and marks the link synced. */
export async function markLinked(tx: Tx, linkId: number, issue: RemoteIssue): Promise<void> {
  await tx.execute(
    `UPDATE feature_issue_links SET issue_number = ?, issue_url = ?, issue_id = ?, sync_status = 'synced',
       last_synced = ?, last_error = NULL WHERE id = ?`,
    [issue.number, issue.url, issue.id, nowIso(), linkId],
  );
}

/** Sets a link's sync status and last error. */
export async function markLink(
  tx: Tx,
  linkId: number,
  status: Link["sync_status"],
  error: string | null,
): Promise<void> {
  await tx.execute(
    `UPDATE feature_issue_links SET sync_status = ?, last_error = ?,
       last_synced = CASE WHEN ? = 'synced' THEN ? ELSE last_synced END WHERE id = ?`,
    [status, error, status, nowIso(), linkId],
  );
}

/**
 * Queues the write of a link, or replaces its queued (or parked) one with a new revision. A request
 * of the old revision that may still be in flight keeps holding the link back (`not_before` stays);
 * a create keeps its attempts, so an earlier attempt is looked for before it is sent again.
 */
export async function enqueue(
  tx: Tx,
  configId: number,
  linkId: number,
  kind: OutboxRow["kind"],
  payload: CreatePayload | UpdatePayload,
  options: { readonly keepParked?: boolean } = {},
): Promise<void> {
  const now = nowIso();
  await tx.execute(
    `INSERT INTO sync_outbox (config_id, link_id, kind, idempotency_key, payload, status, revision, attempts,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 1, 0, ?, ?)
     ON CONFLICT (idempotency_key) DO UPDATE SET payload = excluded.payload,
       status = CASE WHEN ? AND sync_outbox.status = 'parked' THEN 'parked' ELSE 'pending' END,
       revision = sync_outbox.revision + 1,
       attempts = CASE WHEN sync_outbox.kind = 'create' THEN sync_outbox.attempts ELSE 0 END,
       last_error = CASE WHEN ? AND sync_outbox.status = 'parked' THEN sync_outbox.last_error END,
       updated_at = CASE WHEN ? AND sync_outbox.status = 'parked' THEN sync_outbox.updated_at
         ELSE excluded.updated_at END`,
    [
      configId,
      linkId,
      kind,
      `${kind}:${linkId}`,
      JSON.stringify(payload),
      now,
      now,
      ...Array(3).fill(options.keepParked ? 1 : 0),
    ],
  );
}

/**
 * Sends parked writes again (on request): back to pending as a new revision — those of one link, or
 * of a whole configuration. Returns how many.
 */
export async function unpark(tx: Tx, configId: number, linkId?: number): Promise<number> {
  const result = await tx.execute(
    `UPDATE sync_outbox SET status = 'pending', revision = revision + 1, updated_at = ?
      WHERE config_id = ? AND status = 'parked' ${linkId === undefined ? "" : "AND link_id = ?"}`,
    linkId === undefined ? [nowIso(), configId] : [nowIso(), configId, linkId],
  );
  return result.rowsAffected;
}

/** The update queued (or parked) for a link, if any. */
export async function queuedUpdate(tx: Tx, linkId: number): Promise<UpdatePayload | undefined> {
  const rows = await tx.rows<{ payload: string }>(
    "SELECT payload FROM sync_outbox WHERE link_id = ? AND kind = 'update' AND status IN ('pending', 'parked')",
    [linkId],
  );
  return rows[0] === undefined ? undefined : JSON.parse(rows[0].payload) as UpdatePayload;
}

/**
 * Pending outbox rows of a configuration (creates first, then in order), of one link or of one
 * kind when given.
 */
export async function pendingOutbox(
  rows: Rows,
  configId: number,
  linkId?: number,
  kind?: OutboxRow["kind"],
): Promise<OutboxRow[]> {
  const args: Array<string | number> = [configId];
  if (linkId !== undefined) args.push(linkId);
  if (kind !== undefined) args.push(kind);
  const found = await rows(
    `SELECT * FROM sync_outbox WHERE config_id = ? AND status = 'pending' ${
      linkId === undefined ? "" : "AND link_id = ?"
    } ${kind === undefined ? "" : "AND kind = ?"}
     ORDER BY CASE kind WHEN 'create' THEN 0 ELSE 1 END, id`,
    args,
  );
  return found.map((r) => ({
    id: Number(r.id),
    config_id: Number(r.config_id),
    link_id: Number(r.link_id),
    kind: String(r.kind) as OutboxRow["kind"],
    payload: JSON.parse(String(r.payload)),
    revision: Number(r.revision),
    attempts: Number(r.attempts),
    first_attempt_at: r.first_attempt_at === null ? null : String(r.first_attempt_at),
    not_before: r.not_before === null ? null : String(r.not_before),
  }));
}

/** Records a conflict (once: the same divergence is not recorded twice). */
export async function recordConflict(
  tx: Tx,
  linkId: number,
  conflict: Conflict,
  policy: string,
): Promise<void> {
  const resolved = conflict.resolution !== "manual";
  await tx.execute(
    `INSERT OR IGNORE INTO sync_conflicts (link_id, field, base_local, base_remote, local_value, remote_value, policy,
       status, resolution, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      linkId,
      conflict.field,
      conflict.base.local,
      conflict.base.remote,
      conflict.local,
      conflict.remote,
      policy,
      resolved ? "resolved" : "open",
      resolved ? conflict.resolution : null,
      nowIso(),
      resolved ? nowIso() : null,
    ],
  );
}
