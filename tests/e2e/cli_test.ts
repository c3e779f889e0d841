/**
 * The command line as a user runs it: init, sync and status as real processes against the sandbox
 * GitHub, on one database file.
 */
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { assert, assertEquals, assertStringIncludes } from "../../src/testing/assert.ts";
import { RUN_PERMISSIONS } from "../../src/cli/permissions.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

async function cli(args: string[], env: Record<string, string>) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...RUN_PERMISSIONS,
      MOD,
      ...args,
    ],
    env: { ...env, FORGESYNC_LOG_LEVEL: "warn", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("init, sync and status work as commands; a failed pass exits non-zero", async () => {
  const forge = await createGitHubSandbox();
  const dir = await Deno.makeTempDir();
  try {
    const env = {
      FORGESYNC_DB_URL: `file:${dir}/cli.db`,
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      GITHUB_API_URL: forge.apiUrl,
      GITHUB_TOKEN: forge.token,
    };
    const init = await cli(["init", "--yes", "--platform", "github", "--repository", forge.repository], env);
    assertEquals(init.code, 0, init.stderr);
    assertStringIncludes(init.stderr, "can write issues: true");
    const snippet = JSON.parse(init.stdout);
    assertEquals(snippet.mcpServers.forgesync.args.at(-1), "mcp");
    assertEquals(snippet.mcpServers.forgesync.env.GITHUB_TOKEN, "<your token>", "the token is never printed");
    assert(!init.stdout.includes(forge.token) && !init.stderr.includes(forge.token));

    const sync = await cli(["sync"], env);
    assertEquals(sync.code, 0, sync.stderr);
    assertStringIncludes(sync.stdout, `github:${forge.repository} completed`);

    const status = await cli(["status", "--json"], env);
    assertEquals(status.code, 0, status.stderr);
    const report = JSON.parse(status.stdout);
    assertEquals(report.tier, "full");
    assertEquals(report.repositories[0].config.repository, forge.repository);
    assertEquals(report.repositories[0].last_runs[0].operation_status, "completed");

    const broken = await cli(["sync"], { ...env, GITHUB_TOKEN: "" });
    assertEquals(broken.code, 1);
    assertStringIncludes(broken.stdout + broken.stderr, "GITHUB_TOKEN");

    // Read-only: a pass would write; only --dry-run runs.
    const readOnly = await cli(["sync"], { ...env, FORGESYNC_READ_ONLY: "true" });
    assertEquals(readOnly.code, 2);
    assertStringIncludes(readOnly.stderr, "FORGESYNC_READ_ONLY");
    const dry = await cli(["sync", "--dry-run"], { ...env, FORGESYNC_READ_ONLY: "true" });
    assertEquals(dry.code, 0, dry.stderr);

    const unknown = await cli(["sync", "--bogus"], env);
    assertEquals(unknown.code, 2);
    assertStringIncludes(unknown.stderr, "--bogus");
  } finally {
    await forge.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("init refuses a malformed repository with an example of the right form", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const result = await cli([
      "init",
      "--yes",
      "--no-verify",
      "--platform",
      "gitlab",
      "--repository",
      "not a repo!",
    ], {
      FORGESYNC_DB_URL: `file:${dir}/cli.db`,
    });
    assertEquals(result.code, 1);
    assertStringIncludes(result.stderr, "not a repo!");
    assertStringIncludes(result.stderr, "acme/platform/widgets");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
