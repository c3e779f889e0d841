/**
 * Progress of the passes a call waits for (`sync_status`): every page pulled and every write sent
 * becomes a report, in order. How many pages and writes a pass has is not known before it ends, so
 * the total is given only with the last report, when the passes are done: 100% means finished.
 *
 * Passes tell their steps through pass events, heard by a plain callback; the callback queues each
 * report and one fiber sends them, so a slow caller never holds a pass back.
 *
 * @module
 */
import { type Cause, Effect, Fiber, Queue, Stream } from "effect";
import { Db } from "../store/db.ts";
import { describePassEvent, onPassEvents } from "../sync/pass_events.ts";
import type { Progress } from "./links.ts";

interface Report {
  readonly done: number;
  readonly total: number | undefined;
  readonly message: string;
}

/** Runs `effect` (passes over `configIds`) while reporting their steps through `progress`. */
export const withPassProgress = <A, E, R>(
  configIds: ReadonlySet<number>,
  progress: Progress,
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E, R | Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const reports = yield* Queue.unbounded<Report, Cause.Done>();
    let step = 0;
    const report = (message: string, total?: number) => {
      Queue.offerUnsafe(reports, { done: ++step, total, message });
    };
    const sending = yield* Effect.forkChild(
      Stream.fromQueue(reports).pipe(Stream.runForEach((r) => progress(r.done, r.total, r.message))),
    );
    const stop = onPassEvents(db, (e) => {
      if (configIds.has(e.config_id)) report(describePassEvent(e));
    });
    const result = yield* effect.pipe(Effect.ensuring(Effect.sync(stop)));
    report(`${configIds.size === 1 ? "pass" : `${configIds.size} passes`} done`, step + 1);
    yield* Queue.end(reports);
    yield* Fiber.join(sending);
    return result;
  });
