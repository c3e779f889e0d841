/**
 * The pull phase of a pass: every page of the issues changed since the cursor (linked ones kept),
 * then each issue whose queued update was sent without an answer, once that request has surely
 * ended and if the listing did not bring it: the plan then sees whether the write landed.
 *
 * @module
 */
import { Effect, Option, Stream } from "effect";
import type { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { PlatformError } from "../platform/errors.ts";
import type { RemoteIssue } from "../platform/types.ts";
import { readCursor } from "../store/cursors.ts";
import { linkedAmong } from "../store/links.ts";
import { unsettledUpdates } from "../store/outbox.ts";
import type { SqlRead } from "../store/sql.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { emitPassEvent } from "./pass_events.ts";

/** What the pull phase found. */
export interface Pulled {
  /** Linked issues listed (or read again), by number: the newest version seen of each. */
  readonly changed: Map<number, RemoteIssue>;
  readonly cursor: string | null;
  readonly nextCursor: string | null;
}

/** The repository of a connected forge, as pass events name it. */
export const where = (
  forge: ConnectedForge,
): { config_id: number; platform: string; repository: string } => ({
  config_id: forge.config.config_id,
  platform: forge.config.platform,
  repository: forge.config.repository,
});

/** Pulls what changed on the forge since the stored cursor (see the module documentation). */
export const pull = (db: Db["Service"], forge: ConnectedForge): Effect.Effect<Pulled, PlatformError> =>
  Effect.gen(function* () {
    const configId = forge.config.config_id;
    // A storage fault while reading is a defect here, as it always was for the pass's reads.
    const read = <A>(effect: Effect.Effect<A, AppError, SqlRead>) => db.reading(effect).pipe(Effect.orDie);
    const cursor = yield* read(readCursor(configId));
    let nextCursor = cursor;
    const changed = new Map<number, RemoteIssue>();
    const keep = (issue: RemoteIssue) => {
      const seen = changed.get(issue.number);
      if (seen === undefined || seen.updated_at <= issue.updated_at) changed.set(issue.number, issue);
    };
    let pages = 0;
    let listed = 0;
    // Only linked issues are kept: each page is checked against the links by an index.
    yield* Stream.runForEach(forge.client.listChanged(forge.repo, cursor), (page) =>
      Effect.gen(function* () {
        const linked = yield* read(linkedAmong(configId, page.issues.map((i) => i.number)));
        for (const issue of page.issues) if (linked.has(issue.number)) keep(issue);
        nextCursor = page.cursor ?? nextCursor;
        // Progress for the sync command and sync_status (pass_events.ts).
        listed += page.issues.length;
        emitPassEvent(db, { ...where(forge), event: { type: "pulled", pages: ++pages, issues: listed } });
      }));
    for (const n of yield* read(unsettledUpdates(configId, nowIso()))) {
      if (changed.has(n)) continue;
      const issue = yield* forge.client.getIssue(forge.repo, n);
      if (Option.isSome(issue)) keep(issue.value);
    }
    return { changed, cursor, nextCursor } satisfies Pulled;
  });
