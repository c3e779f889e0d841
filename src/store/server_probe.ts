/**
 * Asking a libSQL server (or a replica's primary) whether it answers, and saying why it does not: the
 * errors start-up, syncs and writes report, naming the server by `host:port`, never a token.
 *
 * @module
 */
import type { Client, Config as ClientConfig } from "@libsql/client";
import { AppError } from "../domain/errors.ts";
import { classifyServerError, serverAddress, type ServerFailure } from "./db_mode.ts";

/** `createClient` of `@libsql/client` (loaded by `loadCreateClient` of `server_link.ts`). */
export type CreateClient = (config: ClientConfig) => Client;

/**
 * The error of a server failure, naming the server by `host:port` (never a token). `when` says
 * whether a write was refused by it (the default) or the server was found so otherwise (at start-up,
 * during a sync), where there was no change to lose.
 */
export function serverError(
  failure: ServerFailure,
  mode: "replica" | "remote",
  address: string,
  when: "writing" | "checking" = "writing",
): AppError {
  const who = mode === "replica" ? `The libSQL primary ${address}` : `The libSQL server ${address}`;
  const variable = mode === "replica" ? "FORGESYNC_DB_SYNC_URL" : "FORGESYNC_DB_URL";
  switch (failure) {
    case "unauthorized":
      return new AppError({
        code: "UNAUTHORIZED",
        message: `${who} refused FORGESYNC_DB_AUTH_TOKEN (missing, wrong or expired); nothing was written.`,
        hint: "Set FORGESYNC_DB_AUTH_TOKEN to a token the server accepts: for sqld started with " +
          "--auth-jwt-key-file, an Ed25519 JWT signed with its key (deno task db-server --new-key makes one); " +
          "for Turso, `turso db tokens create`.",
      });
    case "plain-http":
      return new AppError({
        code: "UNAVAILABLE",
        message: `${who} answers plain HTTP, but ${variable} asks for TLS.`,
        hint: `For a server without TLS (a local sqld), use http://${address} or libsql://${address}?tls=0.`,
      });
    case "unreachable":
      return new AppError({
        code: "UNAVAILABLE",
        message: when === "writing"
          ? `${who} cannot be reached; this change was not saved.`
          : `${who} cannot be reached.`,
        hint: mode === "replica"
          ? "Reads still answer from this machine's replica, and writes work again as soon as the primary " +
            `is back, without a restart. Start it (deno task db-server) or check ${variable}.`
          : `Start the server or check ${variable}. In remote mode nothing answers without the server; an ` +
            "embedded replica (FORGESYNC_DB_URL=file:… with FORGESYNC_DB_SYNC_URL) keeps reads working offline.",
      });
  }
}

/** Asks a server for `SELECT 1` over HTTP; "ok", a {@link ServerFailure}, or the unexpected error. */
export async function probeServer(
  createClient: CreateClient,
  url: string,
  authToken: string | undefined,
): Promise<"ok" | ServerFailure | Error> {
  let client: Client | undefined;
  try {
    client = createClient({ url, authToken });
    await client.execute("SELECT 1");
    return "ok";
  } catch (error) {
    return classifyServerError(error) ?? (error instanceof Error ? error : new Error(String(error)));
  } finally {
    client?.close();
  }
}

/** host and port of a server URL, for TCP checks. */
export function hostPort(url: string): { hostname: string; port: number } {
  const [host, port] = serverAddress(url).split(/:(?=\d+$)/);
  return { hostname: host!.replace(/^\[|\]$/g, ""), port: Number(port) };
}

/** Whether host:port accepts a TCP connection within `timeoutMs`. */
export async function tcpAccepts(hostname: string, port: number, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connecting = Deno.connect({ hostname, port }).then((conn) => {
    conn.close();
    return true;
  }, () => false);
  const timeout = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), timeoutMs));
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
