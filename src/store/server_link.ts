/**
 * The connection to a libSQL server: an embedded replica of a primary (`FORGESYNC_DB_URL=file:…` +
 * `FORGESYNC_DB_SYNC_URL`), or a remote database (`FORGESYNC_DB_URL=http(s)://…` / `libsql://…`).
 *
 * - Start-up asks the server once (`SELECT 1` over HTTP) before anything else, so a missing or
 *   wrong FORGESYNC_DB_AUTH_TOKEN, a TLS/plain-HTTP mix-up or an unreachable server is one clear
 *   error, never a native stack trace.
 * - A replica opens with the primary down when its file exists: reads are answered from the file
 *   (opened read-only, `query_only`), writes fail with UNAVAILABLE naming the primary, and the first
 *   sync or write after the primary answers again reopens the replica — no restart.
 * - One process per replica file (a lock file): several processes syncing one file corrupt it.
 * - Syncing is forgesync's own (see `Db`), never the native `syncInterval`: that one keeps running
 *   after `close()` and writes native log lines to stderr. A sync first checks that the primary
 *   accepts TCP connections: the native sync blocks the whole process for about 3 s when it does not.
 *
 * @module
 */
import type { Client } from "@libsql/client";
import { AppError } from "../domain/errors.ts";
import { log } from "../log.ts";
import { classifyServerError, replicaSyncUrl, serverAddress, type ServerFailure } from "./db_mode.ts";
import { type CreateClient, hostPort, probeServer, serverError, tcpAccepts } from "./server_probe.ts";
import { lockReplica } from "./replica_lock.ts";

export type { CreateClient } from "./server_probe.ts";

/**
 * Loads `@libsql/client`. Its native part writes its own log lines (`tower_http ERROR …`) straight
 * to stderr, outside forgesync's logger and redaction; the filter is read once, when the native
 * module loads, so RUST_LOG is set to `off` first unless the user set it.
 */
export async function loadCreateClient(): Promise<CreateClient> {
  try {
    if (Deno.env.get("RUST_LOG") === undefined) Deno.env.set("RUST_LOG", "off");
  } catch {
    // no permission to read or write the environment: the native log stays at its default
  }
  const module = await import("@libsql/client");
  return module.createClient;
}

/** Options of {@link openServerLink}. */
export interface ServerLinkOptions {
  /** `file:…` for a replica, the server URL for remote mode. */
  readonly url: string;
  /** The primary of a replica. */
  readonly syncUrl?: string;
  readonly authToken?: string;
}

/** A replica or remote connection. */
export interface ServerLink {
  readonly mode: "replica" | "remote";
  /** `host:port` of the primary (replica) or server (remote): what messages name. */
  readonly address: string;
  /** The client to use now (it changes when an offline replica reconnects). */
  client(): Client;
  /** True while a replica answers reads from its file because the primary could not be reached. */
  offline(): boolean;
  /**
   * Brings the replica up to date with the primary, or reconnects an offline replica. Never
   * throws: failures are logged once per change of state. Call it holding the Db's writer permit.
   */
  syncNow(): Promise<void>;
  /**
   * Before a write: resolves when writes can reach the primary; throws an UNAVAILABLE
   * {@link AppError} otherwise (an offline replica tries to reconnect at most once a second).
   * Call it holding the Db's writer permit.
   */
  writable(): Promise<void>;
  /** The {@link AppError} a client error stands for (server unreachable, token refused), if any. */
  translate(error: unknown): AppError | undefined;
  close(): void;
}

/** The path of a `file:` URL. */
function filePath(url: string): string {
  return decodeURIComponent(url.slice("file:".length).replace(/^\/\/(?=\/)/, "").split("?")[0]!);
}

/** Whether a replica file exists and holds forgesync's schema (it was synced at least once). */
async function replicaHasSchema(createClient: CreateClient, url: string): Promise<Client | undefined> {
  try {
    const info = await Deno.stat(filePath(url));
    if (!info.isFile || info.size === 0) return undefined;
  } catch {
    return undefined;
  }
  const client = createClient({ url, intMode: "number", concurrency: 1 });
  try {
    await client.execute("PRAGMA query_only = ON");
    const rows = await client.execute(
      "SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'",
    );
    if (Number(rows.rows[0]?.n ?? 0) === 1) return client;
  } catch {
    // not a database forgesync can read
  }
  client.close();
  return undefined;
}

/**
 * Opens a replica or remote connection; throws an {@link AppError} naming the server and the fix
 * when it cannot start (token refused, TLS mix-up, server unreachable without a replica file).
 */
export async function openServerLink(
  createClient: CreateClient,
  options: ServerLinkOptions,
): Promise<ServerLink> {
  if (options.syncUrl === undefined) return await openRemote(createClient, options);
  const lock = await lockReplica(filePath(options.url));
  try {
    const link = await openReplica(createClient, { ...options, syncUrl: options.syncUrl });
    return {
      ...link,
      close: () => {
        link.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openRemote(createClient: CreateClient, options: ServerLinkOptions): Promise<ServerLink> {
  const address = serverAddress(options.url);
  const probe = await probeServer(createClient, options.url, options.authToken);
  if (probe instanceof Error) throw startError(`The libSQL server ${address} failed a first query`, probe);
  if (probe !== "ok") throw serverError(probe, "remote", address, "checking");
  const client = createClient({ url: options.url, authToken: options.authToken, intMode: "number" });
  return {
    mode: "remote",
    address,
    client: () => client,
    offline: () => false,
    syncNow: () => Promise.resolve(),
    writable: () => Promise.resolve(),
    translate: (error) => {
      const failure = classifyServerError(error);
      return failure === undefined ? undefined : serverError(failure, "remote", address);
    },
    close: () => client.close(),
  };
}

function startError(what: string, error: Error): AppError {
  return new AppError({
    code: "INTERNAL",
    message: `${what}: ${error.message.split("\n")[0]}`,
    hint: 'Check FORGESYNC_DB_URL and FORGESYNC_DB_SYNC_URL (see the README, "Many machines").',
  });
}

async function openReplica(
  createClient: CreateClient,
  options: ServerLinkOptions & { readonly syncUrl: string },
): Promise<ServerLink> {
  const syncUrl = replicaSyncUrl(options.syncUrl);
  const address = serverAddress(syncUrl);
  const { hostname, port } = hostPort(syncUrl);
  const unavailable = () => serverError("unreachable", "replica", address);
  const openClient = () =>
    createClient({ url: options.url, syncUrl, authToken: options.authToken, intMode: "number" });

  let client: Client;
  let offline = false;
  let state: "ok" | ServerFailure = "ok";
  let lastAttempt = 0;

  /** Logs a change of the primary's state (once, not at every sync). */
  const note = (next: "ok" | ServerFailure, error?: unknown) => {
    if (next === state) return;
    state = next;
    if (next === "ok") log.info(`The libSQL primary ${address} answers again; the replica is in sync.`);
    else {
      const e = serverError(next, "replica", address, "checking");
      log.warn(`${e.message} ${e.hint}`, {
        ...(error === undefined ? {} : { detail: String(error).split("\n")[0]!.slice(0, 200) }),
      });
    }
  };

  const probe = await probeServer(createClient, syncUrl, options.authToken);
  if (probe === "unauthorized" || probe === "plain-http") {
    throw serverError(probe, "replica", address, "checking");
  }
  if (probe instanceof Error) throw startError(`The libSQL primary ${address} failed a first query`, probe);
  if (probe === "ok") {
    try {
      client = openClient();
      await client.sync();
    } catch (error) {
      const failure = classifyServerError(error);
      if (failure !== "unreachable") {
        throw failure === undefined
          ? startError(`Cannot open the replica of ${address}`, error as Error)
          : serverError(failure, "replica", address);
      }
      const local = await replicaHasSchema(createClient, options.url);
      if (local === undefined) throw noReplica(address, options.url);
      client = local;
      offline = true;
      note("unreachable", error);
    }
  } else {
    const local = await replicaHasSchema(createClient, options.url);
    if (local === undefined) throw noReplica(address, options.url);
    client = local;
    offline = true;
    note("unreachable");
  }

  /** Reopens the replica of an offline machine; true when it is back online. */
  const reconnect = async (): Promise<boolean> => {
    lastAttempt = Date.now();
    if (!(await tcpAccepts(hostname, port, 1000))) return false;
    const readOnly = client;
    readOnly.close();
    try {
      client = openClient();
      await client.sync();
      offline = false;
      note("ok");
      return true;
    } catch (error) {
      try {
        client.close();
      } catch {
        // it did not open
      }
      client = (await replicaHasSchema(createClient, options.url)) ?? readOnly;
      note(classifyServerError(error) ?? "unreachable", error);
      return false;
    }
  };

  return {
    mode: "replica",
    address,
    client: () => client,
    offline: () => offline,
    syncNow: async () => {
      if (offline) {
        await reconnect();
        return;
      }
      // The native sync blocks the process for seconds when the primary does not answer: ask first.
      if (!(await tcpAccepts(hostname, port, 1000))) {
        note("unreachable");
        return;
      }
      try {
        await client.sync();
        note("ok");
      } catch (error) {
        note(classifyServerError(error) ?? "unreachable", error);
      }
    },
    writable: async () => {
      if (!offline) return;
      if (Date.now() - lastAttempt < 1000 || !(await reconnect())) throw unavailable();
    },
    translate: (error) => {
      const failure = classifyServerError(error);
      if (failure === undefined) return undefined;
      note(failure, error);
      return serverError(failure, "replica", address);
    },
    close: () => client.close(),
  };
}

function noReplica(address: string, url: string): AppError {
  return new AppError({
    code: "UNAVAILABLE",
    message: `The libSQL primary ${address} cannot be reached, and this machine has no replica at ` +
      `${url} to answer from yet.`,
    hint: "Start the primary (deno task db-server) or check FORGESYNC_DB_SYNC_URL; once this machine has " +
      "synced, it also starts while the primary is down.",
  });
}
