/**
 * Helpers of the end-to-end tests: the real server started as a process with `Deno.execPath()`
 * and the permission flags of deno.json's tasks, on a database in a temp folder.
 *
 * @module
 */
import { allTools } from "../../src/mcp/tools/mod.ts";
import { type Tier, tierIncludes } from "../../src/config.ts";

/** The repository root. */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

const denoJson = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: Record<string, string> };

/** The `deno` arguments of a deno.json task (`deno run --quiet --allow-… mod.ts mcp`), without `deno`. */
export function taskArgs(task: "mcp" | "start"): string[] {
  const words = denoJson.tasks[task]!.split(/\s+/);
  if (words[0] !== "deno") throw new Error(`deno.json task ${task} does not start with deno: ${words}`);
  return words.slice(1);
}

/** The variables the tests set themselves; the parent's values must not leak into the child. */
const CONTROLLED = /^(MCP_TASK_ORCHESTRATOR_|FORGESYNC_)/;

/** The child's environment: the parent's (PATH, DENO_DIR, HOME…) minus forgesync's, plus `env`. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(Object.entries(Deno.env.toObject()).filter(([k]) => !CONTROLLED.test(k)));
  return { ...base, FORGESYNC_LOG_LEVEL: "info", ...env };
}

/** The tool names a tier lists, computed from the tools' own metadata. */
export function expectedTools(tier: Tier): string[] {
  return allTools.filter((t) => t.tier === "core" || tierIncludes(tier, t.tier)).map((t) => t.name);
}

/** The environments of every tier, with the tier each one must give. */
export const TIER_ENVS: ReadonlyArray<
  { readonly label: string; readonly env: Record<string, string>; readonly tier: Tier }
> = [
  { label: "integration unset", env: {}, tier: "disabled" },
  { label: "integration false", env: { MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "false" }, tier: "disabled" },
  {
    label: "integration false with tier full",
    env: {
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "false",
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: "full",
    },
    tier: "disabled",
  },
  {
    label: "enabled, tier disabled",
    env: {
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: "disabled",
    },
    tier: "disabled",
  },
  ...(["basic", "project", "full"] as const).map((tier) => ({
    label: `enabled, tier ${tier}`,
    env: { MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true", MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: tier },
    tier,
  })),
  { label: "enabled, tier unset", env: { MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true" }, tier: "full" },
];

/** A temp folder removed afterwards. */
export async function withTempDir<A>(f: (dir: string) => Promise<A>): Promise<A> {
  const dir = await Deno.makeTempDir({ prefix: "forgesync_e2e_" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
}

/** Reads a byte stream as lines, keeping every line read so far. */
export class LineReader {
  readonly lines: string[] = [];
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next line, or undefined at the end of the stream. */
  async next(): Promise<string | undefined> {
    while (true) {
      const newline = this.#buffer.indexOf("\n");
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        this.lines.push(line);
        return line;
      }
      if (this.#done) {
        if (this.#buffer === "") return undefined;
        const rest = this.#buffer;
        this.#buffer = "";
        this.lines.push(rest);
        return rest;
      }
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += value;
    }
  }

  /** Reads until a line matches `pattern`; undefined if the stream ends first. */
  async until(pattern: RegExp): Promise<RegExpExecArray | undefined> {
    while (true) {
      const line = await this.next();
      if (line === undefined) return undefined;
      const match = pattern.exec(line);
      if (match !== null) return match;
    }
  }

  /** Reads everything left. */
  async rest(): Promise<string[]> {
    while ((await this.next()) !== undefined) { /* keep reading */ }
    return this.lines;
  }

  /** Stops reading and releases the stream. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}

/** A running `serve` process. */
export interface HttpServer {
  readonly url: string;
  readonly child: Deno.ChildProcess;
  readonly stderr: LineReader;
  /** Stops the process (SIGTERM) and waits for it; returns its status. */
  stop(): Promise<Deno.CommandStatus>;
}

/**
 * Starts `mod.ts serve` on port 0 and waits for its "listening on" line. Rejects with the
 * process's stderr when it exits first.
 */
export async function startHttpServer(env: Record<string, string>): Promise<HttpServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: taskArgs("start"),
    cwd: ROOT,
    env: childEnv({ FORGESYNC_HTTP_PORT: "0", ...env }),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new LineReader(child.stderr);
  let stopped: Promise<Deno.CommandStatus> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
      const status = await child.status;
      await stderr.rest();
      return status;
    })();
    return stopped;
  };
  const match = await stderr.until(/listening on (http:\/\/[^\s"]+)/);
  if (match === undefined) {
    await stop();
    throw new Error(`serve exited before listening:\n${stderr.lines.join("\n")}`);
  }
  return { url: match[1]!, child, stderr, stop };
}
