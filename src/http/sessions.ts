/**
 * The MCP-over-HTTP sessions of one server (SPEC §8): each is closed once idle longer than
 * `FORGESYNC_HTTP_SESSION_IDLE_SECONDS`, and over `FORGESYNC_HTTP_MAX_SESSIONS` the least recently
 * used one is closed to make room. A closed session is forgotten, so its id answers 404 and the
 * client starts a new one (as the MCP specification asks). Clients that never send DELETE (the
 * SDK client's `close()` does not) therefore cost memory for a while, not forever.
 *
 * A session with a request in progress (a long tool call, an open event stream) is not idle; it is
 * closed for room only when every session has one.
 *
 * @module
 */

/** What the pool closes. */
export interface Closable {
  close(): Promise<void>;
}

/** Limits of a {@link SessionPool}. */
export interface SessionLimits {
  /** Milliseconds without a request after which a session closes. */
  readonly idleMs: number;
  /** The most sessions kept open. */
  readonly maxSessions: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

interface Entry<S> {
  readonly session: S;
  lastUsed: number;
  inFlight: number;
}

/**
 * Sessions by id, in least-recently-used order.
 *
 * @example
 * ```ts ignore
 * const pool = new SessionPool({ idleMs: 1_800_000, maxSessions: 100 });
 * pool.add(id, transport);
 * const transport = pool.get(id); // undefined once closed: answer 404
 * ```
 */
export class SessionPool<S extends Closable> {
  readonly #entries = new Map<string, Entry<S>>();
  readonly #limits: SessionLimits;
  readonly #now: () => number;

  constructor(limits: SessionLimits) {
    this.#limits = limits;
    this.#now = limits.now ?? Date.now;
  }

  /** Sessions open. */
  get size(): number {
    return this.#entries.size;
  }

  /** Adds a session, first closing the least recently used ones over the cap. */
  add(id: string, session: S): void {
    while (this.#entries.size >= this.#limits.maxSessions) {
      const victim = this.#leastRecentlyUsed();
      if (victim === undefined) break;
      this.close(victim);
    }
    this.#entries.set(id, { session, lastUsed: this.#now(), inFlight: 0 });
  }

  /**
   * The session `id` for a request starting now, or undefined when unknown, closed or idle too long
   * (then closed). Call the returned `done` when the request's answer has been sent.
   */
  use(id: string): { session: S; done: () => void } | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (this.#expired(entry)) {
      this.close(id);
      return undefined;
    }
    entry.lastUsed = this.#now();
    entry.inFlight++;
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    let finished = false;
    return {
      session: entry.session,
      done: () => {
        if (finished) return;
        finished = true;
        entry.inFlight = Math.max(0, entry.inFlight - 1);
        entry.lastUsed = this.#now();
      },
    };
  }

  /** Forgets session `id` without closing it (it closed itself: DELETE). */
  forget(id: string): void {
    this.#entries.delete(id);
  }

  /** Closes and forgets session `id`. */
  close(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    entry.session.close().catch(() => undefined);
  }

  /** Closes every session idle longer than the limit; returns how many. */
  sweep(): number {
    let closed = 0;
    for (const [id, entry] of [...this.#entries]) {
      if (this.#expired(entry)) {
        this.close(id);
        closed++;
      }
    }
    return closed;
  }

  /** Closes every session. */
  async closeAll(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(all.map((e) => e.session.close().catch(() => undefined)));
  }

  #expired(entry: Entry<S>): boolean {
    return entry.inFlight === 0 && this.#now() - entry.lastUsed > this.#limits.idleMs;
  }

  /** The least recently used session without a request in progress, else the least recently used. */
  #leastRecentlyUsed(): string | undefined {
    let fallback: string | undefined;
    for (const [id, entry] of this.#entries) {
      fallback ??= id;
      if (entry.inFlight === 0) return id;
    }
    return fallback;
  }
}
