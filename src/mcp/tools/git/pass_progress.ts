/**
 * MCP progress for `sync_status`: every page pulled and every write sent by the passes the call waits
 * for becomes a progress notification (when the caller sent a progress token). How many pages and
 * writes a pass has is not known before it ends, so the total is given only with the last
 * notification, when the passes are done: 100% means finished.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../../../store/db.ts";
import { describePassEvent, onPassEvents } from "../../../sync/pass_events.ts";
import type { CallContext } from "../../tool.ts";

/** Runs `effect` (passes over `configIds`) while reporting their steps through `context`. */
export const withPassProgress = <A, E, R>(
  configIds: ReadonlySet<number>,
  context: CallContext,
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E, R | Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    let step = 0;
    let reported: Promise<void> = Promise.resolve();
    const report = (message: string, total?: number) => {
      const done = ++step;
      reported = reported.then(() => Effect.runPromise(context.progress(done, total, message)));
    };
    const stop = onPassEvents(db, (e) => {
      if (configIds.has(e.config_id)) report(describePassEvent(e));
    });
    const result = yield* effect.pipe(Effect.ensuring(Effect.sync(stop)));
    report(`${configIds.size === 1 ? "pass" : `${configIds.size} passes`} done`, step + 1);
    yield* Effect.promise(() => reported);
    return result;
  });
