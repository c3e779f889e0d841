/**
 * Sending the outbox: each pending write is sent, then marked done together with the new merge
 * base, in one transaction. A create counts its attempt before it is sent, so a create whose
 * outcome was lost — by a crash, a timeout or a 5xx — is settled by looking for its hidden marker
 * before anything is sent again: no duplicate issues, even across restarts.
 *
 * When is that look reliable? After an answer (a 5xx, a garbled body) the forge is done with the
 * request, so the create is looked for and retried within the same pass. After no answer at all (a
 * timeout) the forge may still be creating the issue — a look now would miss it and a retry would
 * make a second one — so the create waits, pending, for a later pass to look first. An update that
 * got no answer waits the same way, so that it cannot land after (and undo) a newer write.
 *
 * @module
 */
import { Duration, Effect, Option, Result } from "effect";
import { backoffMs } from "../platform/wrap.ts";
import type { Db } from "../store/db.ts";
import { nowIso } from "../domain/ids.ts";
import { confirmSent } from "../domain/merge.ts";
import type { PlatformError } from "../platform/errors.ts";
import type { RemoteIssue } from "../platform/types.ts";
import type { ConnectedForge } from "./forges.ts";
import { draftSnapshot, remoteSnapshot } from "./snapshots.ts";
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
  failed: number;
  /** Writes left pending for a later pass (forge down, rate limited, token missing). */
  pending: number;
  readonly errors: string[];
  /** Each failed write with its error. */
  readonly failures: Array<
    { readonly link_id: number; readonly kind: OutboxRow["kind"]; readonly error: PlatformError }
  >;
}

/** A new, empty {@link FlushResult}. */
export function emptyFlush(): FlushResult {
  return { created: 0, pushed: 0, failed: 0, pending: 0, errors: [], failures: [] };
}

/** Failures that a later pass may fix without anyone changing the write. */
function isLater(error: PlatformError): boolean {
  return ["Transient", "RateLimited", "Unauthorized", "Forbidden"].includes(error.reason);
}

/** How far before the first attempt to look for a marker (clock skew between us and the forge). */
const SKEW_MS = 5 * 60_000;

/**
 * Sends the pending writes of a configuration (or of one link, or of one kind), in order, stopping
 * early when the forge is unreachable or rate limited (the rest waits for the next pass).
 */
export const flushOutbox = (
  db: Db["Service"],
  forge: ConnectedForge,
  linkId?: number,
  kind?: OutboxRow["kind"],
): Effect.Effect<FlushResult> =>
  Effect.gen(function* () {
    const rows: Rows = (sql, args) => Effect.runPromise(db.query(sql, args));
    const result = emptyFlush();
    const queue = yield* Effect.promise(() => pendingOutbox(rows, forge.config.config_id, linkId, kind));
    for (let i = 0; i < queue.length; i++) {
      const row = queue[i]!;
      const notBefore = row.payload.not_before;
      if (notBefore !== undefined && Date.parse(notBefore) > Date.now()) {
        // An unanswered request may still be in progress at the forge: wait until it has ended.
        result.pending++;
        result.errors.push(
          `${row.kind} for link ${row.link_id}: its last request got no answer; it waits until ${notBefore}.`,
        );
        continue;
      }
      const outcome = yield* Effect.result(
        row.kind === "create" ? sendCreate(db, forge, row) : sendUpdate(db, forge, row),
      );
      if (Result.isSuccess(outcome)) {
        if (!outcome.success) continue;
        if (row.kind === "create") result.created++;
        else result.pushed++;
        continue;
      }
      const error = outcome.failure;
      const later = isLater(error);
      result.errors.push(`${row.kind} for link ${row.link_id}: ${error.message}`);
      result.failures.push({ link_id: row.link_id, kind: row.kind, error });
      yield* db.write(async (tx) => {
        await tx.execute(
          `UPDATE sync_outbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ?`,
          [later ? "pending" : "failed", error.message, nowIso(), row.id],
        );
        await markLink(tx, row.link_id, later ? "pending" : "failed", error.message);
      }).pipe(Effect.orDie);
      if (later) {
        result.pending += queue.length - i;
        if (
          error.reason === "Transient" || error.reason === "RateLimited" || error.reason === "Unauthorized"
        ) break;
      } else result.failed++;
    }
    return result;
  });

const sendCreate = (db: Db["Service"], forge: ConnectedForge, row: OutboxRow) =>
  Effect.gen(function* () {
    const payload = row.payload as CreatePayload;
    const firstAttempt = row.first_attempt_at ?? nowIso();
    yield* db.batch([{
      sql: `UPDATE sync_outbox SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),
              updated_at = ? WHERE id = ?`,
      args: [firstAttempt, nowIso(), row.id],
    }]);
    // An earlier attempt may have created the issue before its answer was lost.
    const lookUp = Effect.suspend(() => {
      const since = new Date(Date.parse(firstAttempt) - SKEW_MS).toISOString();
      return forge.client.findByMarker(forge.repo, payload.marker, since);
    });
    let issue: RemoteIssue | undefined;
    if (row.attempts > 0) issue = Option.getOrUndefined(yield* lookUp);
    for (let n = 1; issue === undefined; n++) {
      const unansweredBefore = forge.unansweredWrites();
      const outcome = yield* Effect.result(forge.createOnce(forge.repo, payload.draft));
      if (Result.isSuccess(outcome)) {
        issue = outcome.success;
        break;
      }
      const error = outcome.failure;
      const answered = forge.unansweredWrites() === unansweredBefore;
      if (!answered) {
        // No answer: the forge may still be creating the issue. Look for it only once that request
        // has surely ended (as long again as it was given), never now.
        const notBefore = new Date(Date.now() + forge.settleMs).toISOString();
        yield* db.batch([{
          sql: "UPDATE sync_outbox SET payload = ? WHERE id = ?",
          args: [JSON.stringify({ ...payload, not_before: notBefore } satisfies CreatePayload), row.id],
        }]);
      }
      const again = n < forge.policy.maxAttempts && (
        (error.reason === "Transient" && answered) ||
        (error.reason === "RateLimited" && (error.retryAfterSeconds ?? 0) <= forge.policy.maxWaitSeconds)
      );
      if (!again) return yield* Effect.fail(error);
      yield* Effect.sleep(Duration.millis(backoffMs(forge.policy, n, error)));
      if (error.reason === "Transient") issue = Option.getOrUndefined(yield* lookUp);
    }
    const created = issue;
    yield* db.write(async (tx) => {
      await markLinked(tx, row.link_id, created);
      // The base is what was agreed at creation: the draft (edits since then are changes to pull).
      await saveBase(
        tx,
        row.link_id,
        { local: payload.local, remote: draftSnapshot(payload.draft) },
        payload.local_version,
        created.created_at,
      );
      await tx.execute(
        "UPDATE sync_outbox SET status = 'done', last_error = NULL, updated_at = ? WHERE id = ?",
        [
          nowIso(),
          row.id,
        ],
      );
    }).pipe(Effect.orDie);
    return true;
  });

const sendUpdate = (db: Db["Service"], forge: ConnectedForge, row: OutboxRow) =>
  Effect.gen(function* () {
    const payload = row.payload as UpdatePayload;
    const rows: Rows = (sql, args) => Effect.runPromise(db.query(sql, args));
    const links = yield* Effect.promise(() =>
      rows("SELECT * FROM feature_issue_links WHERE id = ?", [row.link_id])
    );
    const base = yield* Effect.promise(() => loadBase(rows, row.link_id));
    const link = links[0] === undefined ? undefined : rowToLinkState(links[0]);
    if (link === undefined || link.issue_number === null || base === undefined) {
      yield* db.batch([{ sql: "UPDATE sync_outbox SET status = 'done' WHERE id = ?", args: [row.id] }]);
      return false;
    }
    const unansweredBefore = forge.unansweredWrites();
    const sent = yield* Effect.result(forge.client.updateIssue(forge.repo, link.issue_number, payload.patch));
    if (Result.isFailure(sent)) {
      if (forge.unansweredWrites() > unansweredBefore) {
        // The write may still land: send nothing newer for this link until it surely has ended.
        const notBefore = new Date(Date.now() + forge.settleMs).toISOString();
        yield* db.batch([{
          sql: "UPDATE sync_outbox SET payload = ? WHERE id = ?",
          args: [JSON.stringify({ ...payload, not_before: notBefore } satisfies UpdatePayload), row.id],
        }]);
      }
      return yield* Effect.fail(sent.failure);
    }
    const issue = sent.success;
    yield* db.write(async (tx) => {
      const current = await loadBase(tx.rows, row.link_id);
      const next = confirmSent(current ?? base, payload.fields, payload.local, remoteSnapshot(issue));
      await saveBase(tx, row.link_id, next, (current ?? base).local_version, issue.updated_at);
      await markLink(tx, row.link_id, "synced", null);
      await tx.execute(
        "UPDATE sync_outbox SET status = 'done', last_error = NULL, updated_at = ? WHERE id = ?",
        [
          nowIso(),
          row.id,
        ],
      );
    }).pipe(Effect.orDie);
    return true;
  });
