/**
 * Database failures a person can act on, told apart from bugs (SPEC §5): the local database
 * refusing (read-only, full, damaged, held by another process, unopenable) is `STORAGE`; a remote
 * libSQL primary that cannot be reached is `UNAVAILABLE`. Each names the database and carries a
 * hint that tells the truth — "try again" only where trying again can work. Anything else is left
 * to the caller (a bug: `INTERNAL`).
 *
 * Recognised from `@libsql/client` errors: SQLite result codes (`SQLITE_READONLY…`, `SQLITE_FULL`,
 * `SQLITE_CORRUPT…`, `SQLITE_NOTADB`, `SQLITE_BUSY…`, `SQLITE_LOCKED…`, `SQLITE_IOERR…`,
 * `SQLITE_CANTOPEN…`, `SQLITE_PERM`), the native driver's `ConnectionFailed(…: 14)`, the Hrana
 * transport codes (`HRANA_WEBSOCKET_ERROR`, `HRANA_CLOSED_ERROR`, `SERVER_ERROR`) and a failed
 * `fetch` to the server; and Deno's `PermissionDenied` / `NotCapable` for the database's folder.
 *
 * @module
 */
import { AppError } from "../domain/errors.ts";

/** Where the database lives, for messages. */
export interface DbLocation {
  /** The database URL (`file:…`, `libsql://…`, `http(s)://…`). */
  readonly url: string;
  /** The primary of an embedded replica, if any. */
  readonly syncUrl?: string;
}

/** The path of a `file:` URL, or the URL without its query (which may carry an auth token). */
export function describeDb(url: string): string {
  if (url.startsWith("file:")) return url.slice("file:".length).replace(/^\/\/(?=\/)/, "").split("?")[0]!;
  return url.split("?")[0]!.replace(/\/\/[^/@]*@/, "//");
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether the database is reached over the network (a remote server or a replica's primary). */
function isRemote(location: DbLocation): boolean {
  return !location.url.startsWith("file:") && location.url !== ":memory:" || location.syncUrl !== undefined;
}

const NOTHING_WRITTEN = "Nothing was written by this call";

/**
 * The {@link AppError} for a database failure a person can act on, or undefined for anything
 * else (a bug).
 *
 * @example
 * ```ts
 * import { classifyDbError } from "./storage_errors.ts";
 * const e = classifyDbError({ code: "SQLITE_FULL", message: "database or disk is full" }, { url: "file:/data/f.db" });
 * console.log(e?.code); // "STORAGE"
 * ```
 */
export function classifyDbError(error: unknown, location: DbLocation): AppError | undefined {
  if (error instanceof AppError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  const db = describeDb(location.url);
  const storage = (what: string, hint: string, retry?: number) =>
    new AppError({
      code: "STORAGE",
      message: `The local database ${db} ${what}`,
      hint,
      ...(retry === undefined ? {} : { retry_after_seconds: retry }),
    });
  if (code.startsWith("SQLITE_READONLY")) {
    return storage(
      "is read-only: forgesync could not write to it.",
      `Make the file, its -wal and -shm files and its folder writable by the user running forgesync (and check ` +
        `the disk is not mounted read-only), then call again. ${NOTHING_WRITTEN}; reads still work.`,
    );
  }
  if (code.startsWith("SQLITE_FULL")) {
    return storage(
      "is full: the disk holding it has no space left (or the database reached its size limit).",
      `Free space on that disk, then call again. ${NOTHING_WRITTEN}.`,
    );
  }
  if (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB")) {
    return storage(
      code.startsWith("SQLITE_NOTADB")
        ? "is not a database (the file holds something else)."
        : "is damaged (a corrupt page): it cannot be read reliably.",
      `Stop forgesync and restore the file from a backup, or point FORGESYNC_DB_URL at another file (a new ` +
        `database starts empty). Trying again will not help. ${NOTHING_WRITTEN}.`,
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return storage(
      "stayed locked by another process past the 5 s busy timeout.",
      `Another process is writing to it (another forgesync, a backup or a SQLite tool): call again in a moment. ` +
        `${NOTHING_WRITTEN}.`,
      5,
    );
  }
  if (code.startsWith("SQLITE_IOERR")) {
    return storage(
      `could not be read or written by the operating system (${code}).`,
      `Check the disk and the file's permissions (a file made immutable or a failing disk), then call again. ` +
        `${NOTHING_WRITTEN}.`,
    );
  }
  if (
    code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM") ||
    /ConnectionFailed\(.*: 14"?\)/.test(message)
  ) {
    return storage(
      "cannot be opened or created: its folder is missing, read-only or not writable by this user.",
      "Make the folder writable by the user running forgesync, or point FORGESYNC_DB_URL at a writable place.",
    );
  }
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return storage(
      `cannot be created: ${message}.`,
      "Make the folder writable by the user running forgesync (and, under Deno permissions, allow reading and " +
        "writing it), or point FORGESYNC_DB_URL at a writable place.",
    );
  }
  if (isRemote(location)) {
    const transport = ["HRANA_WEBSOCKET_ERROR", "HRANA_CLOSED_ERROR", "SERVER_ERROR"].includes(code) ||
      (error instanceof TypeError && /fetch|connect|network|dns|request/i.test(message));
    if (transport) {
      const primary = describeDb(location.syncUrl ?? location.url);
      const refused = /\b(401|403)\b/.test(message);
      return new AppError({
        code: "UNAVAILABLE",
        message: `The libSQL primary ${primary} cannot be reached: ${message.slice(0, 200)}.`,
        hint: refused
          ? "The server refused the credentials: check FORGESYNC_DB_AUTH_TOKEN. Nothing was written."
          : "Check the network and that the server runs. Nothing was written; the call works again once the " +
            "primary answers, without a restart.",
        ...(refused ? {} : { retry_after_seconds: 5 }),
      });
    }
  }
  return undefined;
}
