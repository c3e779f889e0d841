/**
 * The MCP client configuration `init` prints: a command that starts this checkout's server (`deno`
 * when Deno is on PATH, else `npx -y deno@<this version>`), and every variable the server needs as it
 * was given to init — the integration switched on, the tier, the database, the API base and account
 * variables of the forge, and placeholders for the secrets (never their values).
 *
 * @module
 */
import { RUN_PERMISSIONS } from "./permissions.ts";

/** How the MCP client starts Deno. */
export type Launcher = "deno" | "npx";

/**
 * The `deno` executable a client would find on `path`, or undefined. Folders of npx's cache and
 * `node_modules/.bin` are skipped: `npx -y deno@… task init` puts its own `deno` there for the length
 * of that one command, and an MCP client started later will not have it.
 */
export function denoOnPath(
  path: string | undefined,
  isExecutable: (file: string) => boolean,
  separator = ":",
): string | undefined {
  for (const dir of (path ?? "").split(separator)) {
    if (dir === "" || /[\\/]_npx[\\/]/.test(dir) || /node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    const file = `${dir.replace(/[\\/]+$/, "")}/deno`;
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/** Whether `file` is an executable file (false when it cannot be read). */
export function isExecutableFile(file: string): boolean {
  try {
    const info = Deno.statSync(file);
    return info.isFile && (info.mode === null || (info.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/** The command and its first arguments, to which `run …` is appended. */
export function launcherCommand(
  launcher: Launcher,
  denoVersion: string,
): { command: string; args: string[] } {
  return launcher === "deno"
    ? { command: "deno", args: [] }
    : { command: "npx", args: ["-y", `deno@${denoVersion}`] };
}

/** The variables forgesync reads whose values init copies into the configuration when they are set. */
export const FORWARDED_VARIABLES: readonly string[] = [
  "GITHUB_API_URL",
  "GITLAB_API_URL",
  "BITBUCKET_API_URL",
  "BITBUCKET_EMAIL",
  "FORGESYNC_ALLOWED_API_HOSTS",
  "FORGESYNC_TOKEN_VARIABLES",
  "FORGESYNC_DB_SYNC_URL",
  "FORGESYNC_DB_SYNC_INTERVAL",
  "FORGESYNC_SYNC_INTERVAL",
  "FORGESYNC_READ_ONLY",
  "FORGESYNC_PLUGINS",
];

/** Secrets forgesync reads: named in the configuration with a placeholder, never with their value. */
export const SECRET_VARIABLES: readonly string[] = ["FORGESYNC_DB_AUTH_TOKEN"];

/** The placeholder written instead of a secret. */
export const SECRET_PLACEHOLDER = "<your token>";

/** What the snippet is made of. */
export interface SnippetInput {
  readonly launcher: Launcher;
  readonly denoVersion: string;
  /** Absolute path of this checkout's mod.ts. */
  readonly modPath: string;
  /** Absolute database URL. */
  readonly dbUrl: string;
  readonly tier: string;
  /** The variable holding the forge token (a placeholder is written for it). */
  readonly tokenVariable: string;
  /** Variables to carry over with their values (already chosen: see {@link forwardedEnv}). */
  readonly env: Readonly<Record<string, string>>;
}

/** The variables of `given` worth carrying into the client's configuration, secrets as placeholders. */
export function forwardedEnv(given: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_VARIABLES) {
    const value = given[name]?.trim();
    if (value) out[name] = value;
  }
  for (const name of SECRET_VARIABLES) if (given[name]) out[name] = SECRET_PLACEHOLDER;
  return out;
}

/** The `mcpServers` configuration (as an object) for an MCP client. */
export function clientConfig(input: SnippetInput): Record<string, unknown> {
  const { command, args } = launcherCommand(input.launcher, input.denoVersion);
  return {
    mcpServers: {
      forgesync: {
        command,
        args: [...args, "run", "--quiet", ...RUN_PERMISSIONS, input.modPath, "mcp"],
        env: {
          FORGESYNC_DB_URL: input.dbUrl,
          MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
          MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: input.tier,
          ...input.env,
          [input.tokenVariable]: SECRET_PLACEHOLDER,
        },
      },
    },
  };
}

/** Shell lines that give this shell what the client configuration gives the server. */
export function shellExports(input: SnippetInput): string[] {
  const quote = (v: string) => /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", `'"'"'`)}'`;
  const plain = {
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: input.tier,
    FORGESYNC_DB_URL: input.dbUrl,
    ...Object.fromEntries(Object.entries(input.env).filter(([, v]) => v !== SECRET_PLACEHOLDER)),
  };
  const secrets = [
    input.tokenVariable,
    ...Object.keys(input.env).filter((k) => input.env[k] === SECRET_PLACEHOLDER),
  ];
  return [
    `export ${Object.entries(plain).map(([k, v]) => `${k}=${quote(v)}`).join(" ")}`,
    ...secrets.map((name) => `export ${name}=…   # your token: forgesync never prints or saves it`),
  ];
}
