/**
 * Recording how one outbox send ended (`outbox.ts`), in a transaction fenced by the lease: the row
 * done with the link's new merge base, pending with its error, or parked. An outcome is recorded
 * only on the revision that was sent: a row re-queued meanwhile stays pending and is sent next.
 *
 * @module
 */
import { Effect } from "effect";
import type { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { confirmSent } from "../domain/merge.ts";
import type { RemoteIssue } from "../platform/types.ts";
import { markLink, markLinked } from "../store/link_writes.ts";
import type { OutboxRow } from "../store/outbox.ts";
import { keepPending, markDone, markSentRevisionDone, parkWrite } from "../store/outbox_sends.ts";
import { loadBase, saveBase } from "../store/sync_bases.ts";
import { fence, type Lease } from "./lease.ts";
import { stopsFlush } from "./later.ts";
import type { Sent } from "./outbox_send.ts";
import { draftSnapshot, remoteSnapshot } from "./snapshots.ts";

/** Records a send's outcome, fenced by the lease. */
export const record = (
  db: Db["Service"],
  lease: Lease,
  row: OutboxRow,
  sent: Sent,
): Effect.Effect<void, AppError> =>
  sent._ === "stale" ? Effect.void : db.transaction(Effect.gen(function* () {
    yield* fence(lease);
    if (sent._ === "sent") {
      return yield* row.kind === "create" ? recordCreated(row, sent.issue) : recordUpdated(row, sent.issue);
    }
    const error = sent.error;
    if (!stopsFlush(error)) {
      // Refused for good: parked, unless the row was re-queued meanwhile (that revision goes next).
      if (yield* parkWrite(row, error.message)) {
        yield* markLink(row.link_id, "failed", error.message);
        return;
      }
    }
    // An answer means nothing is in flight any more; no answer leaves the row waiting.
    yield* keepPending(row.id, error.unanswered === true, error.message);
    yield* markLink(row.link_id, "pending", error.message);
  }));

const recordCreated = (row: OutboxRow & { readonly kind: "create" }, issue: RemoteIssue) =>
  Effect.gen(function* () {
    const payload = row.payload;
    yield* markLinked(row.link_id, issue);
    if (issue.warnings !== undefined && issue.warnings.length > 0) {
      yield* markLink(row.link_id, "synced", issue.warnings.join(" "));
    }
    // The base is what was agreed at creation: the draft (edits since then are changes to pull).
    yield* saveBase(
      row.link_id,
      { local: payload.local, remote: draftSnapshot(payload.draft) },
      payload.local_version,
      issue.created_at,
    );
    yield* markDone(row.id);
  });

const recordUpdated = (row: OutboxRow & { readonly kind: "update" }, issue: RemoteIssue) =>
  Effect.gen(function* () {
    const payload = row.payload;
    const base = yield* loadBase(row.link_id);
    if (base !== undefined) {
      // The forge holds what was sent: those fields are agreed, whatever is queued next.
      const next = confirmSent(base, payload.fields, payload.local, remoteSnapshot(issue));
      yield* saveBase(row.link_id, next, base.local_version, issue.updated_at);
    }
    if (yield* markSentRevisionDone(row)) {
      // What the forge kept differently (GitLab Free keeps one assignee) is the link's last word.
      yield* markLink(row.link_id, "synced", issue.warnings?.length ? issue.warnings.join(" ") : null);
    }
  });
