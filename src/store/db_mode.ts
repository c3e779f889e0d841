/**
 * Which kind of libSQL database a configuration names, and the decisions that follow from it
 * (pure): a local file, an in-memory database, an embedded replica of a primary, or a remote
 * server; the pragmas each accepts; the URL a replica syncs from; the server's `host:port` for
 * messages (never a token, a user or a query string); what a client error means.
 *
 * @module
 */

/** The kinds of database forgesync runs on. */
export type DbMode = "memory" | "local" | "replica" | "remote";

/** Seconds between replica syncs when FORGESYNC_DB_SYNC_INTERVAL is unset (SPEC §3). */
export const DEFAULT_REPLICA_SYNC_SECONDS = 5;

/**
 * The mode of a URL and optional sync URL.
 *
 * @example
 * ```ts
 * import { dbMode } from "./db_mode.ts";
 * dbMode({ url: "file:a.db", syncUrl: "http://127.0.0.1:8080" }); // "replica"
 * dbMode({ url: "libsql://db.example.com" }); // "remote"
 * ```
 */
export function dbMode(options: { readonly url: string; readonly syncUrl?: string | undefined }): DbMode {
  const url = options.url;
  if (url === ":memory:" || url.startsWith("file::memory:")) return "memory";
  if (url.startsWith("file:")) return options.syncUrl === undefined ? "local" : "replica";
  return "remote";
}

/**
 * The statements run when a database opens. A local file is switched to WAL (separately, see
 * `enableWal`) and gets a busy timeout through the client's `timeout`. A replica refuses
 * `PRAGMA journal_mode=WAL` and `PRAGMA busy_timeout` (Sqlite3UnsupportedStatement: it is always in
 * WAL, its journal belongs to the replication), and a remote server decides for itself: neither is
 * sent anything.
 */
export function startupPragmas(mode: DbMode): readonly string[] {
  return mode === "local" ? ["PRAGMA journal_mode=WAL"] : [];
}

/**
 * The URL an embedded replica is given as its sync URL. The native replication client speaks HTTP
 * or HTTPS only: it reads `libsql://` as HTTPS and ignores `?tls=0`, so a local sqld named
 * `libsql://host:port?tls=0` would fail with "received corrupt message". That form (and `ws://`,
 * `wss://`) becomes `http://host:port` (`https://` for TLS).
 *
 * @example
 * ```ts
 * import { replicaSyncUrl } from "./db_mode.ts";
 * replicaSyncUrl("libsql://127.0.0.1:8080?tls=0"); // "http://127.0.0.1:8080"
 * replicaSyncUrl("libsql://team-db.turso.io"); // "libsql://team-db.turso.io"
 * ```
 */
export function replicaSyncUrl(syncUrl: string): string {
  let url: URL;
  try {
    url = new URL(syncUrl);
  } catch {
    return syncUrl;
  }
  const plain = url.searchParams.get("tls") === "0";
  switch (url.protocol) {
    case "libsql:":
      return plain ? `http://${url.host}${url.pathname === "/" ? "" : url.pathname}` : syncUrl;
    case "ws:":
      return `http://${url.host}${url.pathname === "/" ? "" : url.pathname}`;
    case "wss:":
      return `https://${url.host}${url.pathname === "/" ? "" : url.pathname}`;
    default:
      return syncUrl;
  }
}

/**
 * `host:port` of a server URL, for messages: never the user, password, path or query (where a
 * token could hide). The port is the scheme's default when the URL has none.
 *
 * @example
 * ```ts
 * import { serverAddress } from "./db_mode.ts";
 * serverAddress("http://127.0.0.1:8080"); // "127.0.0.1:8080"
 * serverAddress("libsql://team-db.turso.io?authToken=x"); // "team-db.turso.io:443"
 * ```
 */
export function serverAddress(url: string): string {
  try {
    const u = new URL(url);
    const tls = u.protocol === "https:" || u.protocol === "wss:" ||
      (u.protocol === "libsql:" && u.searchParams.get("tls") !== "0");
    return `${u.hostname}:${u.port === "" ? (tls ? 443 : 80) : u.port}`;
  } catch {
    return "(an unreadable URL)";
  }
}

/** What a failed call to a libSQL server (primary of a replica, or remote) means. */
export type ServerFailure = "unreachable" | "unauthorized" | "plain-http";

function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(" | ");
}

/**
 * Classifies an error of `@libsql/client` talking to a server (a replica's write delegation and
 * sync, or a remote client); undefined for anything else (SQL errors, constraint failures).
 */
export function classifyServerError(error: unknown): ServerFailure | undefined {
  const text = describe(error);
  if (/Unauthenticated|AuthError|PermissionDenied|HTTP status 40[13]\b|\b401 Unauthorized/i.test(text)) {
    return "unauthorized";
  }
  if (/InvalidContentType|corrupt message|wrong version number/i.test(text)) return "plain-http";
  if (
    /WriteDelegation\(status: Unavailable|Replication\(|sync error|error trying to connect|tcp connect error|Connection refused|connection reset|ECONNREFUSED|fetch failed|error sending request|HRANA_WEBSOCKET|dns error|Network unreachable|timed out/i
      .test(text)
  ) {
    return "unreachable";
  }
  return undefined;
}
