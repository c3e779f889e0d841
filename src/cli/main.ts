/**
 * The command line: `mcp`, `serve`, and the commands later issues add.
 *
 * @module
 */
import { ConfigError, loadConfig } from "../config.ts";
import { AppError } from "../domain/errors.ts";
import { log } from "../log.ts";
import { runStdio } from "./mcp.ts";
import { runServe } from "./serve.ts";
import { runSync } from "./sync.ts";
import { runStatus } from "./status.ts";
import { runInit } from "./init.ts";
import { runDbServer } from "./db_server.ts";

const USAGE = `forgesync — tasks and features linked to GitHub, GitLab and Bitbucket issues, over MCP

Usage: deno task <command>   (or: deno run … mod.ts <command>)
  mcp      MCP server over stdio (for Claude Desktop, Claude Code, any MCP client)
  serve    HTTP server: /mcp (Streamable HTTP), /healthz  [alias: start]
  sync     one reconciliation pass over every configured repository
           [--repo owner/repo] [--platform github] [--watch] [--dry-run]
  status   the local state: tasks, features, links, queued writes, conflicts  [--json]
  init     set up a repository in a few questions and print the MCP client configuration
  db-server  a local libSQL primary (sqld) for a team: [--data DIR] [--host H] [--port N]
           [--jwt-key-file FILE] [--new-key]; prints the FORGESYNC_DB_SYNC_URL for each machine
  help     this text
`;

/** Runs the CLI with `args`; returns the process exit code (servers keep running). */
export async function main(args: readonly string[]): Promise<number> {
  const [command = "help"] = args;
  try {
    switch (command) {
      case "mcp":
        await runStdio(loadConfig(Deno.env.toObject()));
        return 0;
      case "serve":
      case "start": {
        const server = await runServe(loadConfig(Deno.env.toObject()));
        for (const signal of ["SIGINT", "SIGTERM"] as const) {
          Deno.addSignalListener(signal, async () => {
            await server.shutdown();
            Deno.exit(0);
          });
        }
        return 0;
      }
      case "sync":
        return await runSync(loadConfig(Deno.env.toObject()), args.slice(1));
      case "status":
        return await runStatus(loadConfig(Deno.env.toObject()), args.slice(1));
      case "init":
        return await runInit(args.slice(1));
      case "db-server":
        return await runDbServer(args.slice(1));
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return 0;
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
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
