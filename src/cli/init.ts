/**
 * `forgesync init`: set up the Git integration in a few questions — platform, repository, the
 * name of the token variable, the tier — test access against the forge, save the repository
 * configuration, and print the MCP client configuration to paste (see `client_snippet.ts`) and the
 * shell lines that turn the integration on for `sync`, `status` and `import`.
 *
 * Questions need a terminal. Every answer can also be given as a flag; without a terminal (piped
 * input, CI) the flags are the answers and the defaults fill the rest, and a missing `--repository`
 * is refused with the command to run.
 *
 * @module
 */
import { Effect } from "effect";
import { loadConfig, TIERS } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { Forges } from "../forges/forges.ts";
import { Configs, unsavedConfig } from "../store/configs.ts";
import { AppError } from "../domain/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { type CommandSpec, type OptionValues, stringOf } from "./args.ts";
import {
  clientConfig,
  denoOnPath,
  forwardedEnv,
  isExecutableFile,
  type Launcher,
  shellExports,
  type SnippetInput,
} from "./client_snippet.ts";

const DEFAULT_TOKENS: Record<string, string> = {
  github: "GITHUB_TOKEN",
  gitlab: "GITLAB_TOKEN",
  bitbucket: "BITBUCKET_TOKEN",
};

const FLAGS_EXAMPLE = "deno task init --platform github --repository owner/repo [--token-var GITHUB_TOKEN] " +
  "[--tier full] [--api-url URL] [--no-verify]";

/** The `init` command's options and help. */
export const INIT_COMMAND: CommandSpec = {
  name: "init",
  summary: "set up a repository, test access, and print the MCP client configuration to paste",
  description:
    "Asks for the platform, the repository, the NAME of the variable holding the token and the tier\n" +
    "(questions need a terminal), tests access with that token, saves the repository and prints the MCP\n" +
    "client configuration on stdout. Without a terminal, give the answers as flags: the defaults fill the\n" +
    "rest (--yes does the same on a terminal). The token itself is never asked, printed or saved.",
  options: [
    {
      name: "platform",
      type: "string",
      value: "github|gitlab|bitbucket",
      description: "the forge (default github)",
    },
    {
      name: "repository",
      aliases: ["repo"],
      type: "string",
      value: "owner/repo",
      description: "the repository, as owner/repo (GitLab: group/…/project) or its URL",
    },
    {
      name: "token-var",
      type: "string",
      value: "NAME",
      description: "the variable holding the token (default GITHUB_TOKEN, GITLAB_TOKEN or BITBUCKET_TOKEN)",
    },
    {
      name: "tier",
      type: "string",
      value: "basic|project|full",
      description: "what to turn on (default full)",
    },
    {
      name: "api-url",
      type: "string",
      value: "URL",
      description:
        "API base of a self-hosted forge (sets GITHUB_API_URL, GITLAB_API_URL or BITBUCKET_API_URL)",
    },
    {
      name: "email",
      type: "string",
      value: "EMAIL",
      description: "Bitbucket: the Atlassian account email of an API token (sets BITBUCKET_EMAIL)",
    },
    {
      name: "command",
      type: "string",
      value: "deno|npx",
      description: "how the MCP client starts Deno (default: deno when it is on PATH, else npx -y deno@…)",
    },
    {
      name: "yes",
      short: "y",
      type: "boolean",
      description: "ask nothing: take the defaults for what is not given",
    },
    { name: "no-verify", type: "boolean", description: "save without testing access (no token needed)" },
  ],
  examples: [
    "deno task init",
    "deno task init --platform gitlab --repository acme/platform/widgets --api-url https://gitlab.acme.test/api/v4",
    "GITHUB_TOKEN=… deno task init --platform github --repository acme/widgets --yes",
  ],
};

/** Where init reads answers: a terminal's questions, or none. */
export interface Asker {
  readonly interactive: boolean;
  ask(question: string, fallback: string): string;
}

/** The default asker: `prompt()` when stdin is a terminal. */
export function terminalAsker(yes: boolean): Asker {
  const interactive = !yes && Deno.stdin.isTerminal();
  return {
    interactive,
    ask: (question, fallback) => {
      if (!interactive) return fallback;
      const answer = prompt(`${question} [${fallback}]`);
      return answer === null || answer.trim() === "" ? fallback : answer.trim();
    },
  };
}

/** Runs init with its parsed options; returns the exit code. */
export async function runInit(
  values: OptionValues,
  asker: Asker = terminalAsker(values.yes === true),
): Promise<number> {
  const given = Deno.env.toObject();
  if (!asker.interactive && values.yes !== true && stringOf(values, "repository") === undefined) {
    console.error(
      "init needs a terminal to ask its questions, and stdin is not one (input is piped or redirected). Run it " +
        `in a terminal, or give the answers as flags: ${FLAGS_EXAMPLE}`,
    );
    return 2;
  }
  const ask = asker.ask;
  const platform = ask("Platform (github, gitlab, bitbucket)", stringOf(values, "platform") ?? "github")
    .toLowerCase();
  const repository = ask("Repository (owner/repo or its URL)", stringOf(values, "repository") ?? "");
  const tokenVariable = ask(
    "Name of the environment variable holding the token",
    stringOf(values, "token-var") ?? DEFAULT_TOKENS[platform] ?? "FORGE_TOKEN",
  );
  const tier = ask(
    `Tier (${TIERS.filter((t) => t !== "disabled").join(", ")})`,
    stringOf(values, "tier") ?? "full",
  );
  const command = stringOf(values, "command");
  if (command !== undefined && command !== "deno" && command !== "npx") {
    console.error(`--command "${command}" is not deno or npx.`);
    return 2;
  }
  if (!(TIERS as readonly string[]).includes(tier) || tier === "disabled") {
    console.error(`Tier "${tier}" is not one of basic, project, full.`);
    return 2;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(tokenVariable)) {
    console.error(
      "The token variable answer is not a variable name (letters, digits, _): give the NAME of the variable " +
        "holding the token (e.g. GITHUB_TOKEN), never the token itself (it was not printed or saved).",
    );
    return 2;
  }
  if (repository === "") {
    console.error(`A repository is required: ${FLAGS_EXAMPLE}`);
    return 2;
  }
  // What init was given (flags over the environment) is what the server will be given.
  const apiUrl = stringOf(values, "api-url");
  const email = stringOf(values, "email");
  const env: Record<string, string> = {
    ...given,
    ...(apiUrl === undefined ? {} : { [`${platform.toUpperCase()}_API_URL`]: apiUrl }),
    ...(email === undefined ? {} : { BITBUCKET_EMAIL: email }),
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: tier,
  };
  // The person running init chose the token variable: it is allowed, as the printed configuration says.
  if (DEFAULT_TOKENS[platform] !== tokenVariable) {
    env.FORGESYNC_TOKEN_VARIABLES = [given.FORGESYNC_TOKEN_VARIABLES ?? "", tokenVariable].filter(Boolean)
      .join(",");
  }
  const config = loadConfig(env);
  const dbUrl = config.dbUrl.startsWith("file:") && !config.dbUrl.startsWith("file:/")
    ? `file:${Deno.cwd()}/${config.dbUrl.slice("file:".length)}`
    : config.dbUrl;
  const runtime = await makeRuntime({ ...config, dbUrl });
  try {
    const exit = await runtime.runPromiseExit(Effect.gen(function* () {
      const forges = yield* Forges;
      const { plugin, repo, text } = yield* forges.parse(platform, repository);
      const settings = {
        platform: plugin.id,
        repository: repo.path,
        repository_url: text,
        api_token_name: tokenVariable === plugin.defaultTokenVariable ? null : tokenVariable,
      };
      if (values["no-verify"] !== true) {
        if (config.env(tokenVariable) === undefined) {
          return yield* Effect.fail(AppError.notConfigured(
            `${tokenVariable} is not set, so access cannot be tested.`,
            `Export ${tokenVariable}=<token> and run init again, or pass --no-verify.`,
          ));
        }
        const forge = yield* forges.connect(unsavedConfig(settings));
        const info = yield* forge.client.verify(forge.repo).pipe(Effect.mapError(toAppError));
        console.error(`✓ ${plugin.name} answered: ${info.url} (can write issues: ${info.can_write})`);
      }
      return yield* Configs.use((c) => c.upsert(settings));
    }));
    if (exit._tag === "Failure") {
      const failure = exit.cause.reasons.find((r) => r._tag === "Fail");
      const error = failure?._tag === "Fail" ? failure.error : undefined;
      console.error(
        error instanceof AppError ? `${error.message}\n${error.hint}` : "init failed; see above.",
      );
      return 1;
    }
    const onPath = denoOnPath(given.PATH, isExecutableFile);
    const launcher: Launcher = (command as Launcher | undefined) ?? (onPath === undefined ? "npx" : "deno");
    const snippet: SnippetInput = {
      launcher,
      denoVersion: Deno.version.deno,
      modPath: new URL("../../mod.ts", import.meta.url).pathname,
      dbUrl,
      tier,
      tokenVariable,
      env: forwardedEnv(env),
    };
    console.error(`✓ saved ${exit.value.platform}:${exit.value.repository} in ${dbUrl}`);
    console.error(
      `\nAdd this to your MCP client configuration (claude_desktop_config.json, or .mcp.json for Claude Code)${
        launcher === "npx" ? "; Deno is not on PATH, so it starts through npx" : ""
      }, and put the token in place of "<your token>":\n`,
    );
    console.log(JSON.stringify(clientConfig(snippet), null, 2));
    console.error(
      "\nThe Git integration is on only where MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true: the configuration above " +
        "sets it for your MCP client. For deno task sync, status and import in this shell:\n",
    );
    for (const line of shellExports(snippet)) console.error(`  ${line}`);
    return 0;
  } finally {
    await runtime.dispose();
  }
}
