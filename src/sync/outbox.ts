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
 * This file is the loop over the queue; `outbox_send.ts` claims and sends one row,
 * `outbox_record.ts` records how it went. The rows and their statements are in `../store/outbox.ts`.
 *
 * @module
 */

import { Effect } from "effect";
import type { Db } from "../store/db.ts";
import type { PlatformError } from "../platform/errors.ts";
import { pendingOutbox, type WriteKind } from "../store/outbox.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { type Lease, LeaseLost } from "./lease.ts";
import { emitPassEvent } from "./pass_events.ts";
import { stopsFlush } from "./later.ts";
import { sendRow } from "./outbox_send.ts";
import { record } from "./outbox_record.ts";

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
    { readonly link_id: number; readonly kind: WriteKind; readonly error: PlatformError }
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
  readonly kind?: WriteKind;
  /** Called after each claim, before the request leaves (tests interleave events there). */
  readonly beforeSend?: () => Promise<void>;
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
    const result = emptyFlush();
    const queue = yield* db.reading(pendingOutbox(forge.config.config_id, options.linkId, options.kind)).pipe(
      Effect.orDie,
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
      const sent = yield* lostOr(sendRow(db, forge, lease, row, options.beforeSend));
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
