/**
 * Drops connections that send their request too slowly (SPEC §8). `Deno.serve` has no header
 * timeout: a client that opens a connection and sends its request head a byte at a time holds it
 * open forever ("slowloris"). So the server listens itself and relays each connection to the HTTP
 * server on a loopback port, and each connection must deliver a complete request head — seen as the
 * handler being called for it — within `headMs` of opening, and again within `headMs` after each
 * answer has been sent (which also closes idle keep-alive connections). While a request is being
 * answered (a long tool call, an event stream) no deadline runs. Request bodies get their own
 * deadline where they are read (`body_guard.ts`).
 *
 * The handler learns which connection a request came on from its remote port: the relay's own end
 * of the loopback connection.
 *
 * @module
 */

/** Deadlines of a {@link ConnectionGuard}. */
export interface ConnectionGuardOptions {
  /** Milliseconds a connection may take to deliver a request head (from opening, or after an answer). */
  readonly headMs: number;
}

/** The default deadline for a request head: 10 s. */
export const HEAD_TIMEOUT_MS = 10_000;

interface Relayed {
  readonly client: Deno.Conn;
  readonly upstream: Deno.Conn;
  inFlight: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
}

/**
 * Accepts connections on `listener` and relays them to the HTTP server on `127.0.0.1:port`, dropping
 * those too slow to send a request.
 *
 * @example
 * ```ts ignore
 * const guard = new ConnectionGuard(Deno.listen({ port: 8787 }), { headMs: 10_000 });
 * const inner = Deno.serve({ hostname: "127.0.0.1", port: 0 }, (req, info) => {
 *   const done = guard.requestArrived(info.remoteAddr.port);
 *   info.completed.then(done, done);
 *   return app.fetch(req);
 * });
 * guard.start(inner.addr.port);
 * ```
 */
export class ConnectionGuard {
  readonly #listener: Deno.Listener;
  readonly #options: ConnectionGuardOptions;
  readonly #byPort = new Map<number, Relayed>();
  #accepting: Promise<void> | undefined;
  #dropped = 0;

  constructor(listener: Deno.Listener, options: ConnectionGuardOptions = { headMs: HEAD_TIMEOUT_MS }) {
    this.#listener = listener;
    this.#options = options;
  }

  /** The address clients connect to. */
  get addr(): Deno.NetAddr {
    return this.#listener.addr as Deno.NetAddr;
  }

  /** Connections open now. */
  get open(): number {
    return this.#byPort.size;
  }

  /** Connections dropped for being too slow, so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Starts relaying accepted connections to the HTTP server on `127.0.0.1:upstreamPort`. */
  start(upstreamPort: number): void {
    this.#accepting ??= (async () => {
      try {
        for await (const client of this.#listener) {
          this.#relay(client, upstreamPort).catch(() => undefined);
        }
      } catch {
        // the listener was closed
      }
    })();
  }

  /**
   * A request's head has arrived on the connection whose relay end has `port`: its deadline stops.
   * Returns the function to call once the answer has been sent.
   */
  requestArrived(port: number): () => void {
    const relayed = this.#byPort.get(port);
    if (relayed === undefined) return () => {};
    relayed.inFlight++;
    this.#disarm(relayed);
    let finished = false;
    return () => {
      if (finished) return;
      finished = true;
      relayed.inFlight = Math.max(0, relayed.inFlight - 1);
      if (relayed.inFlight === 0) this.#arm(relayed);
    };
  }

  /** Drops the connection whose relay end has `port` (a request body too slow to arrive). */
  drop(port: number): void {
    const relayed = this.#byPort.get(port);
    if (relayed !== undefined) this.#close(relayed, true);
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const relayed of [...this.#byPort.values()]) this.#close(relayed, false);
    await this.#accepting;
  }

  async #relay(client: Deno.Conn, upstreamPort: number): Promise<void> {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: upstreamPort });
    } catch {
      client.close();
      return;
    }
    const port = (upstream.localAddr as Deno.NetAddr).port;
    const relayed: Relayed = { client, upstream, inFlight: 0, timer: undefined, closed: false };
    this.#byPort.set(port, relayed);
    this.#arm(relayed);
    const toServer = client.readable.pipeTo(upstream.writable, { preventClose: true }).then(
      // The client finished sending: let the server see the end, and still answer.
      () => (upstream as Deno.TcpConn).closeWrite?.(),
      () => this.#close(relayed, false),
    ).catch(() => undefined);
    await upstream.readable.pipeTo(client.writable, { preventClose: true }).catch(() => undefined);
    this.#close(relayed, false);
    this.#byPort.delete(port);
    await toServer;
  }

  #arm(relayed: Relayed): void {
    this.#disarm(relayed);
    if (relayed.closed) return;
    relayed.timer = setTimeout(() => {
      if (relayed.inFlight === 0) this.#close(relayed, true);
    }, this.#options.headMs);
  }

  #disarm(relayed: Relayed): void {
    if (relayed.timer !== undefined) clearTimeout(relayed.timer);
    relayed.timer = undefined;
  }

  #close(relayed: Relayed, slow: boolean): void {
    this.#disarm(relayed);
    if (relayed.closed) return;
    relayed.closed = true;
    if (slow) this.#dropped++;
    for (const conn of [relayed.client, relayed.upstream]) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
    for (const [port, r] of this.#byPort) if (r === relayed) this.#byPort.delete(port);
  }
}
