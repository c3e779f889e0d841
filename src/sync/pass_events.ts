/**
 * What a pass is doing while it runs — pages pulled, writes sent, and its end — for whoever shows
 * progress: the `sync` and `import` commands on a terminal, and MCP progress notifications of
 * `sync_status`. Passes run detached from the caller that requested them, so progress cannot be
 * passed down as an argument: the pass emits events and callers listen for their repository.
 *
 * Listeners are kept per database service (one per runtime), so that two runtimes in one process
 * (tests) never hear each other's passes. Emitting with no listener costs a map lookup.
 *
 * @module
 */
import type { RunSummary } from "./run_summary.ts";

/** One step of a pass. */
export type PassEvent =
  /** A page of the listing arrived: `pages` so far, holding `issues` issues in all. */
  | { readonly type: "pulled"; readonly pages: number; readonly issues: number }
  /** A queued write was handled (sent, refused or left waiting): `done` of `total`. */
  | { readonly type: "sent"; readonly done: number; readonly total: number }
  /** The pass ended and was logged (a pass that found the repository busy is not). */
  | { readonly type: "finished"; readonly run: RunSummary };

/** An event with the repository it is about. */
export interface RepositoryEvent {
  readonly config_id: number;
  readonly platform: string;
  readonly repository: string;
  readonly event: PassEvent;
}

/** Receives events. */
export type PassListener = (event: RepositoryEvent) => void;

const listeners = new WeakMap<object, Set<PassListener>>();

/** Tells the listeners of `scope` (the runtime's database service) about a step of a pass. */
export function emitPassEvent(scope: object, event: RepositoryEvent): void {
  const set = listeners.get(scope);
  if (set === undefined) return;
  for (const listener of [...set]) {
    try {
      listener(event);
    } catch {
      // A listener's fault (a closed terminal, a gone client) must not break the pass.
    }
  }
}

/**
 * Listens to every pass of `scope`'s runtime until the returned function is called.
 *
 * @example
 * ```ts ignore
 * const db = yield* Db;
 * const stop = onPassEvents(db, (e) => console.error(e.repository, e.event.type));
 * // … run passes …
 * stop();
 * ```
 */
export function onPassEvents(scope: object, listener: PassListener): () => void {
  let set = listeners.get(scope);
  if (set === undefined) listeners.set(scope, set = new Set());
  set.add(listener);
  return () => void set.delete(listener);
}

/**
 * One line saying what an event means, for progress messages.
 *
 * @example
 * ```ts
 * import { describePassEvent } from "./pass_events.ts";
 * describePassEvent({
 *   config_id: 1,
 *   platform: "github",
 *   repository: "acme/widgets",
 *   event: { type: "pulled", pages: 2, issues: 200 },
 * }); // "github:acme/widgets: page 2 pulled (200 issues listed)"
 * ```
 */
export function describePassEvent(e: RepositoryEvent): string {
  const where = `${e.platform}:${e.repository}`;
  const event = e.event;
  switch (event.type) {
    case "pulled":
      return `${where}: page ${event.pages} pulled (${event.issues} issue${
        event.issues === 1 ? "" : "s"
      } listed)`;
    case "sent":
      return `${where}: write ${event.done} of ${event.total} sent`;
    case "finished": {
      const r = event.run;
      return `${where}: pass ${r.status} — pulled ${r.pulled}, pushed ${r.pushed}, created ${r.created}, ` +
        `conflicts ${r.conflicts}, failed ${r.failed}`;
    }
  }
}
