/**
 * `forgesync import`: local tasks for a repository's issues that are not linked yet — the
 * `import_issues` action of `orchestrator_git_integration` (`../issues/import_issues.ts`), run as a
 * command, with its options checked as the action's parameters, progress (pages listed) on stderr
 * when it is a terminal, and a summary on stdout (or, with `--json`, the action's result).
 *
 * @module
 */
import { Cause, Effect, Schema } from "effect";
import type { AppConfig } from "../config.ts";
import { makeRuntime } from "../app.ts";
import { importIssues } from "../issues/service.ts";
import { errorResult, exitToResult, type ToolResult } from "../mcp/to_result.ts";
import { ImportIssuesParams } from "../mcp/tools/git/params.ts";
import { type CommandSpec, listOf, type OptionValues, stringOf } from "./args.ts";
import { PROGRESS_OPTIONS, progressLine, progressMode, terminalWidth } from "./progress.ts";
import { ENABLE_HINT } from "./status.ts";

/** The `import` command's options and help. */
export const IMPORT_COMMAND: CommandSpec = {
  name: "import",
  summary: "create local tasks for a repository's issues that are not linked yet",
  description:
    "The import_issues action of orchestrator_git_integration as a command: lists the repository's\n" +
    "issues (progress on stderr on a terminal), creates a task linked to each one not linked yet, and\n" +
    "prints how many on stdout. The repository is optional when only one is configured.",
  options: [
    {
      name: "repo",
      aliases: ["repository"],
      type: "string",
      value: "owner/repo",
      description: "the repository",
    },
    { name: "platform", type: "string", value: "github|gitlab|bitbucket", description: "its platform" },
    { name: "state", type: "string", value: "open|closed|all", description: "which issues (default all)" },
    {
      name: "label",
      type: "string",
      multiple: true,
      value: "LABEL",
      description: "only issues with this label",
    },
    {
      name: "feature",
      type: "string",
      value: "FEATURE_ID",
      description: "attach the new tasks to this feature",
    },
    { name: "limit", type: "string", value: "N", description: "create at most N tasks" },
    { name: "dry-run", type: "boolean", description: "count what would be created; write nothing" },
    { name: "json", type: "boolean", description: "print the action's result as JSON on stdout" },
    ...PROGRESS_OPTIONS,
  ],
  examples: [
    "deno task import",
    "deno task import --repo acme/widgets --state open --label bug",
    "deno task import --dry-run",
  ],
};

/** The action's parameters for the options given (numbers checked by the action's own schema). */
export function importArguments(values: OptionValues): Record<string, unknown> {
  const limit = stringOf(values, "limit");
  const labels = listOf(values, "label");
  const optional: Record<string, unknown> = {
    repository: stringOf(values, "repo"),
    platform: stringOf(values, "platform"),
    state: stringOf(values, "state"),
    feature_id: stringOf(values, "feature"),
    labels: labels.length > 0 ? labels : undefined,
    limit: limit === undefined ? undefined : /^\d+$/.test(limit) ? Number(limit) : limit,
    dry_run: values["dry-run"] === true ? true : undefined,
  };
  return Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
}

/** The options as the action's parameters, or the VALIDATION_ERROR result naming what is wrong. */
function checkOptions(
  values: OptionValues,
):
  | { readonly ok: true; readonly input: typeof ImportIssuesParams.Type }
  | { readonly ok: false; readonly result: ToolResult } {
  const decoded = Schema.decodeUnknownExit(ImportIssuesParams)(importArguments(values), {
    errors: "all",
    onExcessProperty: "error",
  });
  if (decoded._tag === "Success") return { ok: true, input: decoded.value };
  return {
    ok: false,
    result: errorResult({
      code: "VALIDATION_ERROR",
      message: `Invalid options for import: ${String(Cause.squash(decoded.cause))}`,
      hint: "Fix the options listed (deno task import --help shows them) and run import again.",
    }),
  };
}

/** Runs the import command with its parsed options; returns the exit code. */
export async function runImport(
  config: AppConfig,
  values: OptionValues,
  stderrIsTerminal: boolean = Deno.stderr.isTerminal(),
): Promise<number> {
  if (config.tier === "disabled") {
    console.error(`The Git integration is off, so there is nothing to import from. ${ENABLE_HINT}`);
    return 2;
  }
  const checked = checkOptions(values);
  const readOnly = config.readOnly && values["dry-run"] !== true
    ? errorResult({
      code: "FORBIDDEN",
      message:
        "import writes tasks and links, and this forgesync runs read-only (FORGESYNC_READ_ONLY=true): " +
        "nothing was changed.",
      hint: "Run import --dry-run to count what it would create, or unset FORGESYNC_READ_ONLY.",
    })
    : undefined;
  const progress = progressLine(progressMode(values, stderrIsTerminal), undefined, terminalWidth());
  const report = (_done: number, _total: number | undefined, message?: string) =>
    Effect.sync(() => progress.show(`import: ${message ?? ""}`));
  const runtime = await makeRuntime(config);
  try {
    const result = readOnly ?? (checked.ok
      ? exitToResult(
        "orchestrator_git_integration",
        await runtime.runPromiseExit(importIssues(checked.input, report)),
      )
      : checked.result);
    progress.end();
    const out = result.structuredContent as {
      imported?: { created: number; skipped: number };
      error?: { message: string; hint: string };
    };
    if (values.json === true) console.log(JSON.stringify(out, null, 2));
    if (result.isError || out.imported === undefined) {
      console.error(`${out.error?.message ?? "The import failed."} ${out.error?.hint ?? ""}`.trim());
      return 1;
    }
    if (values.json !== true) {
      const n = out.imported.created;
      console.log(
        `${values["dry-run"] === true ? "would create" : "created"} ${n} task${n === 1 ? "" : "s"}, ` +
          `${out.imported.skipped} issue${
            out.imported.skipped === 1 ? "" : "s"
          } skipped (already linked or filtered out)`,
      );
    }
    return 0;
  } finally {
    progress.end();
    await runtime.dispose();
  }
}
