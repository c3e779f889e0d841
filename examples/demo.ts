/**
 * `deno task demo`: the whole forgesync workflow in under a minute, offline, with no token.
 *
 * A sandbox GitHub (an in-process imitation of the GitHub REST API) plays the forge; the real
 * forgesync MCP server runs as a child process over stdio, driven by the real MCP SDK client —
 * exactly what Claude Desktop or Claude Code would do.
 *
 * @module
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createGitHubSandbox } from "../src/testing/github_sandbox.ts";
import { RUN_PERMISSIONS } from "../src/cli/permissions.ts";

const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const green = (s: string) => `\x1b[32m${s}\x1b[0m`;
const cyan = (s: string) => `\x1b[36m${s}\x1b[0m`;
let stepNo = 0;
const step = (title: string) => console.log(`\n${bold(`${++stepNo}. ${title}`)}`);
const say = (text: string) => console.log(`   ${text}`);
const ok = (text: string) => console.log(`   ${green("✓")} ${text}`);

if (Deno.args.length > 0) {
  const help = Deno.args.every((a) => a === "--help" || a === "-h");
  (help ? console.log : console.error)(
    `${help ? "" : `demo takes no option (got ${Deno.args.join(" ")}).\n`}` +
      "deno task demo — the whole workflow against a sandbox GitHub: offline, no token, about a second.",
  );
  Deno.exit(help ? 0 : 2);
}

const started = performance.now();
const dir = await Deno.makeTempDir({ prefix: "forgesync_demo_" });
const forge = await createGitHubSandbox();
const root = new URL("..", import.meta.url).pathname;

console.log(
  bold("forgesync demo") + dim(" — features and tasks in libSQL, kept in step with GitHub issues over MCP"),
);
say(dim(`sandbox GitHub at ${forge.apiUrl}, repository ${forge.repository}; database in ${dir}`));

const transport = new StdioClientTransport({
  command: Deno.execPath(),
  args: [
    "run",
    "--quiet",
    ...RUN_PERMISSIONS,
    `${root}mod.ts`,
    "mcp",
  ],
  env: {
    ...Deno.env.toObject(),
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    FORGESYNC_DB_URL: `file:${dir}/forgesync.db`,
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
    FORGESYNC_SYNC_INTERVAL: "3600",
    FORGESYNC_LOG_LEVEL: "warn",
  },
  stderr: "inherit",
});
const client = new Client({ name: "forgesync-demo", version: "1.0.0" });

// deno-lint-ignore no-explicit-any
async function call(tool: string, args: Record<string, unknown>): Promise<any> {
  const result = await client.callTool({ name: tool, arguments: args });
  const data = result.structuredContent as Record<string, unknown>;
  if (result.isError) {
    const error = data.error as { code: string; message: string };
    throw new Error(`${tool} ${String(args.action)} failed: ${error.code} ${error.message}`);
  }
  return data;
}

// deno-lint-ignore no-explicit-any
const runLine = (run: any) =>
  `pass ${run.status}: pulled ${run.pulled}, pushed ${run.pushed}, created ${run.created}, ` +
  `conflicts ${run.conflicts}, ${run.requests} HTTP request(s) in ${run.duration_ms} ms`;

try {
  step("Connect an MCP client to forgesync over stdio");
  await client.connect(transport);
  const { tools } = await client.listTools();
  ok(
    `server ${client.getServerVersion()?.name} ${client.getServerVersion()?.version}; tools: ${
      tools.map((t) => t.name).join(", ")
    }`,
  );

  step("Configure the repository (the token is read from GITHUB_TOKEN, never stored)");
  const { config, verification } = await call("orchestrator_git_integration", {
    action: "configure",
    platform: "github",
    repository: `https://github.com/${forge.repository}.git`,
    default_labels: ["forgesync"],
    verify: true,
  });
  ok(`${config.platform}:${config.repository} verified (can write: ${verification.can_write})`);

  step("Propose a feature, approve it, turn it into an issue");
  const { feature } = await call("orchestrator_feature", {
    action: "propose",
    title: "Dark mode",
    specification: "Offer a dark colour scheme, following the system setting by default.",
    labels: ["ui"],
  });
  say(`proposed ${cyan(feature.feature_id)} "${feature.title}"`);
  const refused = await client.callTool({
    name: "orchestrator_git_integration",
    arguments: { action: "create_issue", feature_id: feature.feature_id },
  });
  say(
    dim(
      `before approval create_issue is refused: ${
        (refused.structuredContent as { error: { message: string } }).error.message
      }`,
    ),
  );
  await call("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
  const created = await call("orchestrator_git_integration", {
    action: "create_issue",
    feature_id: feature.feature_id,
  });
  const featureIssue = created.link.issue_number;
  ok(`issue #${featureIssue} created: ${created.link.issue_url}`);
  const onForge = forge.readIssue(featureIssue)!;
  say(
    dim(
      `on the forge: "${onForge.title}", labels [${
        onForge.labels.join(", ")
      }], body ends with a hidden marker`,
    ),
  );

  step("A teammate closes the issue on GitHub; forgesync pulls it");
  await forge.remoteEdit(featureIssue, { status: "completed" });
  say(`issue #${featureIssue} closed as completed on the forge`);
  const pass1 = await call("orchestrator_git_integration", { action: "sync_status" });
  say(runLine(pass1.run));
  const after = await call("orchestrator_feature", { action: "get", feature_id: feature.feature_id });
  ok(`feature is now ${bold(after.feature.status)} locally`);

  step("A task edited locally is pushed to its issue");
  const { task } = await call("orchestrator_task", {
    action: "create",
    title: "Write the theme docs",
    labels: ["docs"],
  });
  const taskIssue = await call("orchestrator_git_integration", {
    action: "create_issue",
    task_id: task.task_id,
  });
  say(`task ${cyan(task.task_id)} → issue #${taskIssue.link.issue_number}`);
  await call("orchestrator_task", {
    action: "update",
    task_id: task.task_id,
    status: "in_progress",
    title: "Write the dark-mode docs",
  });
  const pass2 = await call("orchestrator_git_integration", { action: "sync_status" });
  say(runLine(pass2.run));
  const pushed = forge.readIssue(taskIssue.link.issue_number)!;
  ok(`on the forge: "${pushed.title}", status ${pushed.status} (label "status: in progress")`);

  step("Both sides change the same title: a conflict, recorded and resolved");
  await call("orchestrator_git_integration", {
    action: "configure",
    platform: "github",
    repository: forge.repository,
    default_labels: ["forgesync"],
    conflict_policy: "manual",
  });
  say(dim('conflict_policy set to "manual" (the default, newest_wins, would settle it on its own)'));
  await call("orchestrator_task", {
    action: "update",
    task_id: task.task_id,
    title: "Dark-mode docs (local)",
  });
  await forge.remoteEdit(taskIssue.link.issue_number, { title: "Dark-mode docs (edited on GitHub)" });
  const pass3 = await call("orchestrator_git_integration", { action: "sync_status" });
  say(runLine(pass3.run));
  const status = await call("orchestrator_git_integration", { action: "status" });
  const conflict = status.repositories[0].open_conflicts[0];
  say(
    `conflict ${conflict.conflict_id} on ${conflict.field}: local "${conflict.local_value}" vs remote "${conflict.remote_value}"`,
  );
  await call("orchestrator_git_integration", {
    action: "resolve_conflict",
    conflict_id: conflict.conflict_id,
    resolution: "local",
  });
  ok(
    `resolved with the local value; the forge now says "${
      forge.readIssue(taskIssue.link.issue_number)!.title
    }"`,
  );

  step("Steady state: nothing changed, nothing written");
  const pass4 = await call("orchestrator_git_integration", { action: "sync_status" });
  say(runLine(pass4.run));
  const final = await call("orchestrator_git_integration", { action: "status" });
  const repo = final.repositories[0];
  ok(
    `links synced: ${repo.links.synced}, queued writes: ${repo.outbox.pending}, open conflicts: ${repo.open_conflicts.length}, rate-limit budget left: ${
      repo.rate_limit?.remaining ?? "n/a"
    }/${repo.rate_limit?.limit ?? "n/a"}`,
  );

  console.log(
    `\n${green(bold("Done"))} in ${((performance.now() - started) / 1000).toFixed(1)} s. ` +
      "Point an MCP client at `deno task mcp` (see README) to use forgesync with your own repositories.",
  );
} finally {
  await client.close().catch(() => undefined);
  await forge.close();
  await Deno.remove(dir, { recursive: true }).catch(() => undefined);
}
