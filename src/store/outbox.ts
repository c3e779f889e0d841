/**
 * The outbox (`sync_outbox`): the issue writes forgesync decided to make, recorded in the same
 * transaction as the decision, then sent (`../sync/outbox.ts`). One row per link and kind (its
 * idempotency key); re-queuing a write replaces its payload and bumps its `revision`, so a send
 * records its outcome only on the revision it sent. This file holds the rows, their payloads and
 * the statements that queue and read them; `outbox_sends.ts` those that record a send.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { FIELDS } from "../domain/merge.ts";
import { REMOTE_STATUSES } from "../domain/remote_status.ts";
import { SnapshotSchema } from "./sync_bases.ts";
import { changes, decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

const IssueFields = {
  status: Schema.optionalKey(Schema.Literals(REMOTE_STATUSES)),
  labels: Schema.optionalKey(Schema.Array(Schema.String)),
  assignees: Schema.optionalKey(Schema.Array(Schema.String)),
  milestone: Schema.optionalKey(Schema.NullOr(Schema.String)),
};

/** What a create carries: the draft, the local snapshot it was made from and its version, its marker. */
export const CreatePayload = Schema.Struct({
  draft: Schema.Struct({ title: Schema.String, body: Schema.String, ...IssueFields }),
  local: SnapshotSchema,
  local_version: Schema.Number,
  marker: Schema.String,
});
/** See {@link CreatePayload}. */
export type CreatePayload = typeof CreatePayload.Type;

/** What an update carries: the patch, the fields planned, and the local snapshot and version. */
export const UpdatePayload = Schema.Struct({
  patch: Schema.Struct({
    title: Schema.optionalKey(Schema.String),
    body: Schema.optionalKey(Schema.String),
    ...IssueFields,
  }),
  fields: Schema.Array(Schema.Literals(FIELDS)),
  local: SnapshotSchema,
  local_version: Schema.Number,
});
/** See {@link UpdatePayload}. */
export type UpdatePayload = typeof UpdatePayload.Type;

const Common = {
  id: Schema.Number,
  config_id: Schema.Number,
  link_id: Schema.Number,
  revision: Schema.Number,
  attempts: Schema.Number,
  first_attempt_at: Schema.NullOr(Schema.String),
  not_before: Schema.NullOr(Schema.String),
};

/** A pending row of the outbox, its payload decoded by its kind. */
export const OutboxRow = Schema.Union([
  Schema.Struct({ ...Common, kind: Schema.Literal("create"), payload: Schema.fromJsonString(CreatePayload) }),
  Schema.Struct({ ...Common, kind: Schema.Literal("update"), payload: Schema.fromJsonString(UpdatePayload) }),
]);

/**
 * A row of the outbox. `revision` grows at every re-queue: a send records its outcome only on the
 * revision it sent. `not_before`: while a request for this row may still be in flight at the forge
 * (ISO), nothing more is sent for the link, and a create is not looked for, before then. Set before
 * every send and cleared when the forge answers, so a request whose sender died or got no answer is
 * settled by reading the forge only once it has surely ended.
 */
export type OutboxRow = typeof OutboxRow.Type;

/** The kind of a queued write. */
export type WriteKind = OutboxRow["kind"];

/**
 * Queues the write of a link, or replaces its queued (or parked) one with a new revision. A request
 * of the old revision that may still be in flight keeps holding the link back (`not_before` stays);
 * a create keeps its attempts, so an earlier attempt is looked for before it is sent again.
 */
export const enqueue = (
  configId: number,
  linkId: number,
  write: { readonly kind: "create"; readonly payload: CreatePayload } | {
    readonly kind: "update";
    readonly payload: UpdatePayload;
  },
  options: { readonly keepParked?: boolean } = {},
): Effect.Effect<void, AppError, SqlWrite> => {
  const now = nowIso();
  return execute(
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
      write.kind,
      `${write.kind}:${linkId}`,
      JSON.stringify(write.payload),
      now,
      now,
      ...Array(3).fill(options.keepParked ? 1 : 0),
    ],
  ).pipe(Effect.asVoid);
};

/**
 * Sends parked writes again (on request): back to pending as a new revision — those of one link, or
 * of a whole configuration. Returns how many.
 */
export const unpark = (configId: number, linkId?: number): Effect.Effect<number, AppError, SqlWrite> =>
  changes(
    `UPDATE sync_outbox SET status = 'pending', revision = revision + 1, updated_at = ?
      WHERE config_id = ? AND status = 'parked' ${linkId === undefined ? "" : "AND link_id = ?"}`,
    linkId === undefined ? [nowIso(), configId] : [nowIso(), configId, linkId],
  );

const QueuedUpdate = Schema.Struct({
  link_id: Schema.Number,
  payload: Schema.fromJsonString(UpdatePayload),
  not_before: Schema.NullOr(Schema.String),
  status: Schema.Literals(["pending", "parked"]),
});

/** An update queued (pending) or parked for a link. */
export type QueuedUpdate = typeof QueuedUpdate.Type;

const queuedUpdates = decodeRows(QueuedUpdate);

/** The updates queued (or parked) for the given links. */
export const queuedUpdatesOf = (
  linkIds: readonly number[],
): Effect.Effect<ReadonlyArray<QueuedUpdate>, AppError, SqlRead> =>
  queuedUpdates(
    `SELECT link_id, payload, not_before, status FROM sync_outbox
      WHERE link_id IN (SELECT value FROM json_each(?)) AND kind = 'update' AND status IN ('pending', 'parked')`,
    [JSON.stringify(linkIds)],
  );

/** The update queued (or parked) for a link, if any. */
export const queuedUpdate = (linkId: number): Effect.Effect<UpdatePayload | undefined, AppError, SqlRead> =>
  queuedUpdatesOf([linkId]).pipe(Effect.map((found) => found[0]?.payload));

const outboxRows = decodeRows(OutboxRow);

/**
 * Pending outbox rows of a configuration (creates first, then in order), of one link or of one
 * kind when given.
 */
export const pendingOutbox = (
  configId: number,
  linkId?: number,
  kind?: WriteKind,
): Effect.Effect<ReadonlyArray<OutboxRow>, AppError, SqlRead> => {
  const args: Array<string | number> = [configId];
  if (linkId !== undefined) args.push(linkId);
  if (kind !== undefined) args.push(kind);
  return outboxRows(
    `SELECT id, config_id, link_id, kind, payload, revision, attempts, first_attempt_at, not_before
       FROM sync_outbox WHERE config_id = ? AND status = 'pending' ${
      linkId === undefined ? "" : "AND link_id = ?"
    } ${kind === undefined ? "" : "AND kind = ?"}
     ORDER BY CASE kind WHEN 'create' THEN 0 ELSE 1 END, id`,
    args,
  );
};

/**
 * Issue numbers of a configuration's links whose update was sent without an answer and whose
 * request has surely ended by `now` (`not_before` passed): the pull reads them again.
 */
export const unsettledUpdates = (configId: number, now: string): Effect.Effect<number[], AppError, SqlRead> =>
  decodeRows(Schema.Struct({ n: Schema.Number }))(
    `SELECT l.issue_number AS n FROM sync_outbox o JOIN feature_issue_links l ON l.id = o.link_id
      WHERE o.config_id = ? AND o.kind = 'update' AND o.status = 'pending' AND o.not_before IS NOT NULL
        AND o.not_before <= ? AND l.issue_number IS NOT NULL`,
    [configId, now],
  ).pipe(Effect.map((rows) => rows.map((r) => r.n)));

/** Whether a link has a write waiting to be sent. */
export const hasPendingWrite = (linkId: number): Effect.Effect<boolean, AppError, SqlRead> =>
  decodeRows(Schema.Struct({ one: Schema.Number }))(
    "SELECT 1 AS one FROM sync_outbox WHERE link_id = ? AND status = 'pending'",
    [linkId],
  ).pipe(Effect.map((rows) => rows.length > 0));

/** How many writes of a configuration are pending and parked. */
export const outboxCounts = (
  configId: number,
): Effect.Effect<{ pending: number; parked: number }, AppError, SqlRead> =>
  decodeRows(Schema.Struct({ s: Schema.String, n: Schema.Number }))(
    "SELECT status AS s, COUNT(*) AS n FROM sync_outbox WHERE config_id = ? AND status <> 'done' GROUP BY status",
    [configId],
  ).pipe(Effect.map((rows) => {
    const counts = { pending: 0, parked: 0 };
    for (const r of rows) if (r.s === "pending" || r.s === "parked") counts[r.s] = r.n;
    return counts;
  }));

/** A write the forge refused for good, kept until its item changes or it is sent again on request. */
export const ParkedWrite = Schema.Struct({
  link_id: Schema.Number,
  kind: Schema.Literals(["create", "update"]),
  issue_number: Schema.NullOr(Schema.Number),
  task_id: Schema.NullOr(Schema.String),
  feature_id: Schema.NullOr(Schema.String),
  error: Schema.String,
  since: Schema.String,
});

/** See {@link ParkedWrite}. */
export type ParkedWrite = typeof ParkedWrite.Type;

/** The newest parked writes of a configuration. */
export const parkedWrites = (
  configId: number,
  limit: number,
): Effect.Effect<ReadonlyArray<ParkedWrite>, AppError, SqlRead> =>
  decodeRows(ParkedWrite)(
    `SELECT o.link_id, o.kind, COALESCE(o.last_error, '') AS error, o.updated_at AS since, l.issue_number,
            l.task_id, l.feature_id
       FROM sync_outbox o JOIN feature_issue_links l ON l.id = o.link_id
      WHERE o.config_id = ? AND o.status = 'parked' ORDER BY o.updated_at DESC, o.id DESC LIMIT ?`,
    [configId, limit],
  );
