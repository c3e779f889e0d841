/**
 * Sending one outbox row (`outbox.ts` loops over them): each attempt is claimed first, in a
 * transaction fenced by the lease, then sent once; a create whose earlier attempt may have landed
 * is looked for by its hidden marker before it is sent again.
 *
 * @module
 */
import { Effect, Option, Result } from "effect";
import type { Db } from "../store/db.ts";
import { nowIso } from "../domain/ids.ts";
import type { PlatformError } from "../platform/errors.ts";
import { retrySchedule } from "../platform/retry.ts";
import type { RemoteIssue } from "../platform/types.ts";
import { linkById } from "../store/links.ts";
import type { OutboxRow } from "../store/outbox.ts";
import { claimAttempt } from "../store/outbox_sends.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { fence, type Lease } from "./lease.ts";

/** How far before the first attempt to look for a marker (clock skew between us and the forge). */
const SKEW_MS = 5 * 60_000;

/** How one row's send ended. */
export type Sent =
  | { readonly _: "sent"; readonly issue: RemoteIssue }
  | { readonly _: "stale" }
  | { readonly _: "failed"; readonly error: PlatformError };

/**
 * Claims an attempt: the lease still held, the row unchanged, counted and marked in flight until
 * the request has surely ended (the client's timeout plus the time a forge may still act on it).
 */
const claim = (db: Db["Service"], forge: ConnectedForge, lease: Lease, row: OutboxRow) =>
  db.transaction(Effect.gen(function* () {
    yield* fence(lease);
    const now = Date.now();
    return yield* claimAttempt(row, now, now + forge.timeoutMs + forge.settleMs);
  }));

/** Attempts one row until it is sent, found (a create), refused, or must wait. */
export const sendRow = (
  db: Db["Service"],
  forge: ConnectedForge,
  lease: Lease,
  row: OutboxRow,
  beforeSend: (() => Promise<void>) | undefined,
): Effect.Effect<Sent, unknown> =>
  Effect.gen(function* () {
    const link = yield* db.reading(linkById(row.link_id)).pipe(Effect.orDie);
    if (link === undefined) return { _: "stale" } as const;
    let send: () => Effect.Effect<RemoteIssue, PlatformError>;
    // A create is looked for by its marker whenever an earlier attempt may have made it.
    let lookUp: (() => Effect.Effect<Option.Option<RemoteIssue>, PlatformError>) | undefined;
    if (row.kind === "create") {
      const create = row.payload;
      send = () => forge.once.createIssue(forge.repo, create.draft);
      lookUp = () => {
        const since = new Date(Date.parse(row.first_attempt_at ?? nowIso()) - SKEW_MS).toISOString();
        return forge.client.findByMarker(forge.repo, create.marker, since);
      };
    } else {
      // An update waits for its link's create.
      if (link.issue_number === null) return { _: "stale" } as const;
      const number = link.issue_number;
      const patch = row.payload.patch;
      send = () => forge.once.updateIssue(forge.repo, number, patch);
    }
    let mayExist = row.kind === "create" && row.attempts > 0;
    // One attempt: the marker looked for when an earlier one may have landed, then claimed and sent
    // once. A send's failure is the attempt's failure, which the platform's policy may retry; the
    // rest ends the attempts as an outcome.
    const attempt = Effect.gen(function* () {
      if (mayExist && lookUp !== undefined) {
        const found = yield* Effect.result(lookUp());
        if (Result.isFailure(found)) return { _: "failed", error: found.failure } as const;
        if (Option.isSome(found.success)) return { _: "sent", issue: found.success.value } as const;
      }
      const claimed = yield* Effect.result(claim(db, forge, lease, row));
      if (Result.isFailure(claimed)) return { _: "aborted", error: claimed.failure } as const;
      if (!claimed.success) return { _: "stale" } as const;
      if (beforeSend !== undefined) yield* Effect.promise(beforeSend);
      const issue = yield* send().pipe(
        // The forge answered: it is done with the request, which may have created the issue.
        Effect.tapError((error) => Effect.sync(() => (mayExist = error.reason === "Transient"))),
      );
      return { _: "sent", issue } as const;
    });
    const ended = yield* attempt.pipe(
      Effect.retry(retrySchedule("idempotent", forge.policy)),
      Effect.catch((error) => Effect.succeed({ _: "failed", error } as const)),
    );
    if (ended._ === "aborted") return yield* Effect.fail(ended.error);
    return ended;
  });
