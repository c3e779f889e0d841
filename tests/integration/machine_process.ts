/**
 * A forgesync "machine" for the many-machines tests: the real `mod.ts mcp` process (the flags of
 * deno.json's `mcp` task), driven by the MCP SDK client over its stdin/stdout through a small
 * transport on `Deno.Command`, so that the test — not the SDK — decides when input ends and sees
 * whether the process then exits by itself, and every stderr line is kept.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/shared/transport"
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { childEnv, ROOT, taskArgs } from "../e2e/helpers.ts";
import type { ToolAnswer } from "./server_processes.ts";

/** A running machine. */
export interface Machine {
  readonly name: string;
  readonly client: Client;
  readonly pid: number;
  /** Every stderr line so far. */
  readonly stderr: string[];
  /** Lines of stdout that were not JSON-RPC (stdout must carry JSON-RPC only). */
  readonly stdoutNoise: string[];
  /** Calls a tool. */
  call(tool: string, args: Record<string, unknown>): Promise<ToolAnswer>;
  /** Calls a tool; throws on an error result. */
  // deno-lint-ignore no-explicit-any
  ok(tool: string, args: Record<string, unknown>): Promise<any>;
  /** Ends the process's input (what an MCP client does when it closes) without killing it. */
  closeInput(): Promise<void>;
  /** The exit status once the process ends. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Kills the process if it still runs and waits for it (clean-up). */
  kill(): Promise<void>;
}

/** JSON-RPC over a child's stdin/stdout, one message per line. */
class ChildTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #stdout: ReadableStream<Uint8Array>;
  #inputClosed = false;
  /** Lines that were not JSON-RPC. */
  readonly noise: string[] = [];

  constructor(child: Deno.ChildProcess) {
    this.#writer = child.stdin.getWriter();
    this.#stdout = child.stdout;
  }

  start(): Promise<void> {
    (async () => {
      let buffer = "";
      for await (const chunk of this.#stdout.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line === "") continue;
          try {
            this.onmessage?.(JSONRPCMessageSchema.parse(JSON.parse(line)));
          } catch (error) {
            this.onerror?.(
              new Error(`stdout carried something other than JSON-RPC: ${line}`, { cause: error }),
            );
          }
        }
      }
      this.onclose?.();
    })().catch((error) => this.onerror?.(error));
    return Promise.resolve();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  }

  async closeInput(): Promise<void> {
    if (this.#inputClosed) return;
    this.#inputClosed = true;
    await this.#writer.close().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.closeInput();
  }
}

/** Starts `mod.ts mcp` with `env` and connects the SDK client. */
export async function startMachine(name: string, env: Record<string, string>): Promise<Machine> {
  const child = new Deno.Command(Deno.execPath(), {
    args: taskArgs("mcp"),
    cwd: ROOT,
    env: childEnv({ FORGESYNC_LOG_LEVEL: "warn", ...env }),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr: string[] = [];
  const reading = (async () => {
    let buffer = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      stderr.push(...lines);
    }
    if (buffer !== "") stderr.push(buffer);
  })();
  const status = child.status.then(async (s) => {
    await reading.catch(() => undefined);
    return s;
  });
  const transport = new ChildTransport(child);
  const client = new Client({ name: `machine-${name}`, version: "0.0.0" });
  const kill = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already exited
    }
    await status;
  };
  try {
    await Promise.race([
      client.connect(transport),
      status.then((s) => {
        throw new Error(`machine ${name} exited (${s.code}) before answering:\n${stderr.join("\n")}`);
      }),
    ]);
  } catch (error) {
    await kill();
    throw error;
  }
  const call = async (tool: string, args: Record<string, unknown>): Promise<ToolAnswer> => {
    const result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: 120_000 });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? "";
    return { isError: result.isError === true, structured: result.structuredContent, text };
  };
  return {
    name,
    client,
    pid: child.pid,
    stderr,
    stdoutNoise: transport.noise,
    call,
    ok: async (tool, args) => {
      const r = await call(tool, args);
      if (r.isError) throw new Error(`machine ${name}: ${tool} ${String(args.action)}: ${r.text}`);
      return r.structured;
    },
    closeInput: () => transport.closeInput(),
    status,
    kill,
  };
}

/**
 * Runs `mod.ts mcp` with `env` to its end without a client (start-up failures): its exit code and
 * stderr lines. Input is closed at once, so a server that does start exits by itself.
 */
export async function runMachineToEnd(
  env: Record<string, string>,
): Promise<{ code: number; stderr: string[] }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: taskArgs("mcp"),
    cwd: ROOT,
    env: childEnv({ FORGESYNC_LOG_LEVEL: "warn", ...env }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr).split("\n").filter((l) => l !== "");
  return { code: output.code, stderr };
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; the last error otherwise. */
export async function eventually<A>(
  what: string,
  timeoutMs: number,
  check: () => Promise<A | undefined>,
  everyMs = 200,
): Promise<A> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (true) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last === undefined ? "" : ` (last error: ${last})`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
