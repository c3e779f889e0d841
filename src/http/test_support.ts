/**
 * Test support for the HTTP layer: the real Hono app over a real runtime (libSQL file in a temp
 * folder), an MCP client on the same runtime to set things up, and, when asked, a sandbox forge
 * reached through a fetch that can be held back (to see what a handler does before a pass's
 * first request is answered).
 *
 * @module
 */
import { connectTestClient, type TestClient } from "../testing/mcp_client.ts";
import type { SandboxHarness } from "../testing/harness.ts";
import { quickSettings, SANDBOX_FACTORIES, sandboxEnv } from "../testing/platforms.ts";
import type { WebhookPlatform } from "../testing/webhooks.ts";
import { Db } from "../store/db.ts";
import { createHttpApp, type HttpApp } from "./app.ts";

/** The sandbox of each built-in platform and the variables that reach it. */
export const SANDBOXES: Readonly<Record<WebhookPlatform, () => Promise<SandboxHarness>>> = SANDBOX_FACTORIES;

/** A gate on the forge fetch: while held, requests wait until it is released. */
export class FetchGate {
  #held: PromiseWithResolvers<void> | undefined;
  /** Requests started while held. */
  waiting = 0;
  /** Holds every later request. */
  hold(): void {
    this.#held ??= Promise.withResolvers<void>();
  }
  /** Lets held and later requests through. */
  release(): void {
    this.#held?.resolve();
    this.#held = undefined;
  }
  /** A fetch going through the gate. */
  readonly fetch: typeof fetch = async (input, init) => {
    const held = this.#held;
    if (held !== undefined) {
      this.waiting++;
      await held.promise;
    }
    return await fetch(input, init);
  };
}

/** An app, its runtime's MCP client and maybe a sandbox. */
export interface AppFixture {
  readonly http: HttpApp;
  readonly client: TestClient;
  readonly sandbox: SandboxHarness | undefined;
  readonly gate: FetchGate;
  /** Sends a request to the app (no network). */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Rows of a query on the app's database. */
  query<T = Record<string, unknown>>(sql: string, args?: readonly (string | number | null)[]): Promise<T[]>;
  /** Calls a tool; throws on an error result. */
  // deno-lint-ignore no-explicit-any
  tool(name: string, args: Record<string, unknown>): Promise<any>;
}

/**
 * Runs `f` with an app over a fresh database; with `platform`, a sandbox of it is started and the
 * integration enabled against it. Everything is closed afterwards.
 */
export async function withApp(
  options: { readonly platform?: WebhookPlatform; readonly env?: Record<string, string> },
  f: (fixture: AppFixture) => Promise<void>,
): Promise<void> {
  const sandbox = options.platform === undefined ? undefined : await SANDBOXES[options.platform]();
  const gate = new FetchGate();
  let client: TestClient | undefined;
  let http: HttpApp | undefined;
  try {
    const env: Record<string, string> = {
      ...(sandbox === undefined ? {} : sandboxEnv(sandbox)),
      ...options.env,
    };
    client = await connectTestClient(env, {
      settings: quickSettings({ maxAttempts: 2, maxWaitSeconds: 0, timeoutMs: 5_000, fetch: gate.fetch }),
    });
    const runtime = client.runtime;
    const app = createHttpApp(runtime);
    http = app;
    const c = client;
    await f({
      http: app,
      client: c,
      sandbox,
      gate,
      request: async (path, init) => await app.app.fetch(new Request(`http://127.0.0.1:8787${path}`, init)),
      query: (sql, args = []) => runtime.runPromise(Db.use((db) => db.query(sql, [...args]))),
      tool: async (name, args) => {
        const r = await c.call(name, args);
        if (r.isError) {
          throw new Error(`${name} ${String(args.action)} failed: ${JSON.stringify(r.structured)}`);
        }
        return r.structured;
      },
    });
  } finally {
    gate.release();
    await http?.close();
    await client?.close();
    await sandbox?.close();
  }
}

/**
 * Polls `check` until it returns a value other than undefined, at most `attempts` times with a
 * short pause between tries; fails naming `what` when it never does. A bound on work, not a timing
 * assertion: a pass that needs more tries just uses more of them.
 */
export async function eventually<A>(
  what: string,
  check: () => Promise<A | undefined>,
  attempts = 400,
): Promise<A> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Gave up waiting: ${what}.`);
}
