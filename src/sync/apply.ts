/**
 * The apply phase of a pass: ONE transaction, fenced by the lease, in which the selected links' rows
 * are read again and planned against exactly what is written — their local writes, conflicts, bases
 * and outbox rows — with the cursor moved to what the pull consumed. Planning here is what makes a
 * local edit made while the pass pulled safe: the plan sees it (a conflict if the issue changed the
 * same field, a push otherwise).
 *
 * @module
 */
import { Effect } from "effect";
import type { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { recordConflict } from "../store/conflicts.ts";
import { saveCursor } from "../store/cursors.ts";
import { markLink } from "../store/link_writes.ts";
import { enqueue } from "../store/outbox.ts";
import { settleQueuedUpdate } from "../store/outbox_sends.ts";
import type { SqlRead, SqlWrite } from "../store/sql.ts";
import { saveBase } from "../store/sync_bases.ts";
import { clearDirty } from "../store/sync_selection.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { loadCandidates } from "./candidates.ts";
import { updateItem } from "./items.ts";
import { fence, type Lease } from "./lease.ts";
import { type Candidate, isActing, mustWait, nextUpdate, planCandidate, staysParked } from "./plan.ts";
import type { Pulled } from "./pull.ts";
import { itemId } from "./snapshots.ts";

/** What the apply phase wrote. */
export interface Applied {
  readonly pulled: number;
  readonly conflicts: number;
}

/** Writes one planned candidate inside the apply transaction. */
const applyOne = (
  forge: ConnectedForge,
  c: Candidate,
  counts: { pulled: number; conflicts: number },
): Effect.Effect<void, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const cfg = forge.config;
    if (mustWait(c, Date.now())) return;
    const plan = planCandidate(cfg, forge.plugin, c);
    if (!isActing(forge.plugin, c, plan)) return;
    let local = c.local;
    if (Object.keys(plan.local).length > 0) {
      local = yield* updateItem({ kind: c.local.kind, id: itemId(c.local) }, plan.local, { bySync: true });
      counts.pulled++;
    }
    for (const conflict of plan.conflicts) {
      yield* recordConflict(c.link.link_id, conflict, cfg.conflict_policy);
      counts.conflicts++;
    }
    yield* saveBase(
      c.link.link_id,
      plan.base,
      local.item.version,
      c.remote?.updated_at ?? c.base.remote_updated_at,
    );
    const update = nextUpdate(forge.plugin, c, plan, local);
    if (update !== undefined) {
      // Replaces a queued update: it was planned against an older state of the issue.
      yield* enqueue(cfg.config_id, c.link.link_id, { kind: "update", payload: update }, {
        keepParked: staysParked(c),
      });
    } else if (c.queued !== undefined) {
      // Nothing is left to send: the issue already holds it, or a conflict settled it.
      yield* settleQueuedUpdate(c.link.link_id);
      yield* markLink(c.link.link_id, "synced", null);
    }
  });

/**
 * Apply: in one transaction fenced by the lease, the selected links are read again and planned
 * against exactly what is written, and the cursor moves to what the pull consumed.
 */
export const apply = (
  db: Db["Service"],
  forge: ConnectedForge,
  lease: Lease,
  ids: readonly number[],
  pulled: Pulled,
): Effect.Effect<Applied, AppError> =>
  db.transaction(Effect.gen(function* () {
    yield* fence(lease);
    const counts = { pulled: 0, conflicts: 0 };
    for (const c of yield* loadCandidates(ids, pulled.changed)) yield* applyOne(forge, c, counts);
    yield* clearDirty(ids);
    if (pulled.nextCursor !== pulled.cursor) {
      const budget = forge.stats.rate_limit === null ? null : JSON.stringify(forge.stats.rate_limit);
      yield* saveCursor(forge.config.config_id, pulled.nextCursor, budget);
    }
    return counts;
  }));
