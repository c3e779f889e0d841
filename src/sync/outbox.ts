/**
 * Sending the outbox: the one path by which forgesync writes issues (creates and updates).
 *
 * Each attempt is **claimed** first, in one transaction that checks the repository's lease (a pass
 * that lost it stops before sending), counts the attempt and marks the row in flight until the
 * request has surely ended (`not_before`: the client's timeout plus the time a forge may still act
 * on a request the client gave up on). Then the request is sent, and its outcome **recorded**, again
 * fenced by the lease: the row done with the new merge base, pending with its error, or parked.
 *
 * What a failure means:
 * - **no answer** (timeout, connection lost): the write may still land. The row keeps its
 *   `not_before`; nothing more is sent for the link until then, and then the forge is read before
 *   anything is sent again — a create is looked for by its hidden marker, an update is settled by
 *   the next pass, which reads the issue. A process that dies mid-send leaves the same state.
 * - **answered, may pass** (5xx, rate limit): retried within the policy — a create only after
 *   looking for its marker, since a 5xx may hide a create that happened; beyond the policy the
 *   write stays pending for a later pass, and the flush stops (the forge is down or busy).
 * - **the token** (401): pending, and the flush stops: every write would meet it.
 * - **refused for good** (403, 404, 410, 422, unsupported): the write is **parked** with its error,
 *   reported by `status`, and sent again when its item changes or on request. Other writes go on.
 *
 * An outcome is recorded only for the revision that was sent: a row re-queued meanwhile (a newer
 * plan, update_issue) stays pending and is sent next. No duplicate issues, even across crashes.
 *
 * @module
 */
import { Duration, Effect, Option, Result } from "effect";
import type { Db, Tx } from "../store/db.ts";
import { nowIso } from "../domain/ids.ts";
import { confirmSent } from "../domain/merge.ts";
import type { PlatformError } from "../platform/errors.ts";
import { backoffMs, isLater, mayRetry, withinPolicy } from "../platform/retry.ts";
import type { RemoteIssue } from "../platform/types.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { fenceInTx, type Lease, LeaseLost } from "./lease.ts";
import { draftSnapshot, remoteSnapshot } from "./snapshots.ts";
import { emitPassEvent } from "./pass_events.ts";
import {
  type CreatePayload,
  loadBase,
  markLink,
  markLinked,
  type OutboxRow,
  pendingOutbox,
  type Rows,
  rowToLinkState,
  saveBase,
  type UpdatePayload,
} from "./state.ts";

/** What a flush did. */
export interface FlushResult {
  created: number;
  pushed: number;
  /** Writes parked in this flush (refused for good). */
  failed: number;
  /** Writes left pending for a later pass (forge down, rate limited, token missing, in flight). */
  pending: number;
  /** True when the lease was lost: the flush stopped before writing anything more. */
  lost: boolean;
  readonly errors: string[];
  /** Each failed write with its error. */
  readonly failures: Array<
    { readonly link_id: number; readonly kind: OutboxRow["kind"]; readonly error: PlatformError }
  >;
}

/** A new, empty {@link FlushResult}. */
export function emptyFlush(): FlushResult {
  return { created: 0, pushed: 0, failed: 0, pending: 0, lost: false, errors: [], failures: [] };
}

/** Options of {@link flushOutbox}. */
export interface FlushOptions {
  /** Only this link's writes. */
  readonly linkId?: number;
  /** Only writes of this kind. */
  readonly kind?: OutboxRow["kind"];
  /** Called after each claim, before the request leaves (tests interleave events there). */
  readonly beforeSend?: () => Promise<void>;
}

/** How far before the first attempt to look for a marker (clock skew between us and the forge). */
const SKEW_MS = 5 * 60_000;

/** How one row's send ended. */
type Sent =
  | { readonly _: "sent"; readonly issue: RemoteIssue }
  | { readonly _: "stale" }
  | { readonly _: "failed"; readonly error: PlatformError };

/** Failures after which the rest of the outbox waits too (the forge down or busy, the token). */
function stopsFlush(error: PlatformError): boolean {
  return isLater(error) || error.reason === "Unauthorized";
}

const lostOr = <A>(effect: Effect.Effect<A, unknown>): Effect.Effect<A | "lost"> =>
  effect.pipe(
    Effect.catch((e) => e instanceof LeaseLost ? Effect.succeed("lost" as const) : Effect.die(e)),
  );

/**
 * Sends the pending writes of a configuration (or of one link, or of one kind), creates first, in
 * order, while `lease` holds the repository. Never fails: what happened is in the result.
 */
export const flushOutbox = (
  db: Db["Service"],
  forge: ConnectedForge,
  lease: Lease,
  options: FlushOptions = {},
): Effect.Effect<FlushResult> =>
  Effect.gen(function* () {
    const rows: Rows = (sql, args) => Effect.runPromise(db.query(sql, args));
    const result = emptyFlush();
    const queue = yield* Effect.promise(() =>
      pendingOutbox(rows, forge.config.config_id, options.linkId, options.kind)
    );
    for (let i = 0; i < queue.length; i++) {
      const row = queue[i]!;
      if (row.not_before !== null && Date.parse(row.not_before) > Date.now()) {
        // A request may still be in flight at the forge: wait until it has surely ended.
        result.pending++;
        result.errors.push(
          `${row.kind} for link ${row.link_id}: an earlier request may still be in flight; it waits until ${row.not_before}.`,
        );
        continue;
      }
      const sent = yield* lostOr(sendRow(db, forge, lease, row, options));
      const recorded = sent === "lost" ? "lost" : yield* lostOr(record(db, lease, row, sent));
      // Progress for the sync command and sync_status (pass_events.ts).
      const { config_id, platform, repository } = forge.config;
      emitPassEvent(db, {
        config_id,
        platform,
        repository,
        event: { type: "sent", done: i + 1, total: queue.length },
      });
      if (recorded === "lost") {
        result.lost = true;
        result.pending += queue.length - i;
        result.errors.push("The lease on this repository was lost; nothing more was sent.");
        break;
      }
      if (sent === "lost" || sent._ === "stale") continue;
      if (sent._ === "sent") {
        if (row.kind === "create") result.created++;
        else result.pushed++;
        continue;
      }
      const error = sent.error;
      result.errors.push(`${row.kind} for link ${row.link_id}: ${error.message}`);
      result.failures.push({ link_id: row.link_id, kind: row.kind, error });
      if (!stopsFlush(error)) {
        result.failed++;
        continue;
      }
      result.pending += queue.length - i;
      break;
    }
    return result;
  });

/** Claims an attempt: the lease still held, the row unchanged, counted and marked in flight. */
const claim = (db: Db["Service"], forge: ConnectedForge, lease: Lease, row: OutboxRow) =>
  db.write(async (tx) => {
    await fenceInTx(tx, lease);
    const now = Date.now();
    const result = await tx.execute(
      `UPDATE sync_outbox SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),
              not_before = ?, updated_at = ?
        WHERE id = ? AND revision = ? AND status = 'pending'`,
      [
        new Date(now).toISOString(),
        new Date(now + forge.timeoutMs + forge.settleMs).toISOString(),
        new Date(now).toISOString(),
        row.id,
        row.revision,
      ],
    );
    return result.rowsAffected === 1;
  });

/** Attempts one row until it is sent, found (a create), refused, or must wait. */
const sendRow = (
  db: Db["Service"],
  forge: ConnectedForge,
  lease: Lease,
  row: OutboxRow,
  options: FlushOptions,
): Effect.Effect<Sent, unknown> =>
  Effect.gen(function* () {
    const rows: Rows = (sql, args) => Effect.runPromise(db.query(sql, args));
    const link = (yield* Effect.promise(() =>
      rows("SELECT * FROM feature_issue_links WHERE id = ?", [row.link_id])
    )).map(rowToLinkState)[0];
    if (link === undefined) return { _: "stale" } as const;
    const payload = row.payload;
    let send: () => Effect.Effect<RemoteIssue, PlatformError>;
    // A create is looked for by its marker whenever an earlier attempt may have made it.
    let lookUp: (() => Effect.Effect<Option.Option<RemoteIssue>, PlatformError>) | undefined;
    if (row.kind === "create") {
      const create = payload as CreatePayload;
      send = () =>
        forge.once.createIssue(forge.repo, create.draft);
      lookUp = () => {
        const since = new Date(Date.parse(row.first_attempt_at ?? nowIso()) - SKEW_MS).toISOString();
        return forge.client.findByMarker(forge.repo, create.marker, since);
      };
    } else {
      // An update waits for its link's create.
      if (link.issue_number === null) return { _: "stale" } as const;
      const number = link.issue_number;
      send = () => forge.once.updateIssue(forge.repo, number, (payload as UpdatePayload).patch);
    }
    let mayExist = row.kind === "create" && row.attempts > 0;
    for (let n = 1;; n++) {
      if (mayExist && lookUp !== undefined) {
        const found = yield* Effect.result(lookUp());
        if (Result.isFailure(found)) return { _: "failed", error: found.failure } as const;
        if (Option.isSome(found.success)) return { _: "sent", issue: found.success.value } as const;
      }
      if (!(yield* claim(db, forge, lease, row))) return { _: "stale" } as const;
      if (options.beforeSend !== undefined) yield* Effect.promise(options.beforeSend);
      const outcome = yield* Effect.result(send());
      if (Result.isSuccess(outcome)) return { _: "sent", issue: outcome.success } as const;
      const error = outcome.failure;
      if (!mayRetry("idempotent", error) || !withinPolicy(forge.policy, n, error)) {
        return { _: "failed", error } as const;
      }
      yield* Effect.sleep(Duration.millis(backoffMs(forge.policy, n, error)));
      // The forge answered: it is done with the request, which may have created the issue.
      mayExist = error.reason === "Transient";
    }
  });

/** Records a send's outcome, fenced by the lease. */
const record = (db: Db["Service"], lease: Lease, row: OutboxRow, sent: Sent) =>
  sent._ === "stale" ? Effect.void : db.write(async (tx) => {
    await fenceInTx(tx, lease);
    if (sent._ === "sent") {
      if (row.kind === "create") await recordCreated(tx, row, sent.issue);
      else await recordUpdated(tx, row, sent.issue);
      return;
    }
    const error = sent.error;
    const now = nowIso();
    if (!stopsFlush(error)) {
      // Refused for good: parked, unless the row was re-queued meanwhile (that revision goes next).
      const parked = await tx.execute(
        `UPDATE sync_outbox SET status = 'parked', not_before = NULL, last_error = ?, updated_at = ?
          WHERE id = ? AND revision = ?`,
        [error.message, now, row.id, row.revision],
      );
      if (parked.rowsAffected === 1) {
        await markLink(tx, row.link_id, "failed", error.message);
        return;
      }
    }
    // An answer means nothing is in flight any more; no answer leaves the row waiting.
    await tx.execute(
      `UPDATE sync_outbox SET not_before = CASE WHEN ? THEN not_before ELSE NULL END, last_error = ?,
              updated_at = ? WHERE id = ?`,
      [error.unanswered === true ? 1 : 0, error.message, now, row.id],
    );
    await markLink(tx, row.link_id, "pending", error.message);
  });

async function recordCreated(tx: Tx, row: OutboxRow, issue: RemoteIssue): Promise<void> {
  const payload = row.payload as CreatePayload;
  await markLinked(tx, row.link_id, issue);
  if (issue.warnings !== undefined && issue.warnings.length > 0) {
    await markLink(tx, row.link_id, "synced", issue.warnings.join(" "));
  }
  // The base is what was agreed at creation: the draft (edits since then are changes to pull).
  await saveBase(
    tx,
    row.link_id,
    { local: payload.local, remote: draftSnapshot(payload.draft) },
    payload.local_version,
    issue.created_at,
  );
  await tx.execute(
    `UPDATE sync_outbox SET status = 'done', not_before = NULL, last_error = NULL, updated_at = ? WHERE id = ?`,
    [nowIso(), row.id],
  );
}

async function recordUpdated(tx: Tx, row: OutboxRow, issue: RemoteIssue): Promise<void> {
  const payload = row.payload as UpdatePayload;
  const base = await loadBase(tx.rows, row.link_id);
  if (base !== undefined) {
    // The forge holds what was sent: those fields are agreed, whatever is queued next.
    const next = confirmSent(base, payload.fields, payload.local, remoteSnapshot(issue));
    await saveBase(tx, row.link_id, next, base.local_version, issue.updated_at);
  }
  const done = await tx.execute(
    `UPDATE sync_outbox SET status = 'done', not_before = NULL, last_error = NULL, updated_at = ?
      WHERE id = ? AND revision = ?`,
    [nowIso(), row.id, row.revision],
  );
  if (done.rowsAffected === 1) {
    // What the forge kept differently (GitLab Free keeps one assignee) is the link's last word.
    await markLink(tx, row.link_id, "synced", issue.warnings?.length ? issue.warnings.join(" ") : null);
  } else await tx.execute("UPDATE sync_outbox SET not_before = NULL WHERE id = ?", [row.id]);
}
