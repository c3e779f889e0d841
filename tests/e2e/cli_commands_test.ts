/**
 * The command line as a person meets it, each finding of issue 14 as a real process: --help on every
 * command, unknown flags refused, init's configuration (it starts, with every variable given), status
 * while the integration is off, init without a terminal, the import command, and sync's progress on a
 * terminal (a pseudo-terminal from util-linux `script`) and silence elsewhere.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../src/testing/assert.ts";
import { RUN_PERMISSIONS } from "../../src/cli/permissions.ts";
import { childEnv, withTempDir } from "./helpers.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const DENO_DIR_OF_EXEC = Deno.execPath().replace(/\/[^/]+$/, "");

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Ran> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...RUN_PERMISSIONS, MOD, ...args],
    env: childEnv({ FORGESYNC_LOG_LEVEL: "warn", NO_COLOR: "1", ...env }),
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("every command answers --help on stdout with exit 0, and mcp --help does not start the server", async () => {
  for (const command of ["mcp", "serve", "start", "sync", "status", "init", "import"]) {
    const help = await cli([command, "--help"]);
    assertEquals(help.code, 0, `${command} --help: ${help.stderr}`);
    assertStringIncludes(help.stdout, "Usage: deno task");
    assertStringIncludes(help.stdout, "--help");
    assertFalse(help.stdout.includes("jsonrpc"), `${command} --help printed JSON-RPC`);
  }
  const short = await cli(["sync", "-h"]);
  assertEquals(short.code, 0);
  assertStringIncludes(short.stdout, "--dry-run");
  const topic = await cli(["help", "import"]);
  assertStringIncludes(topic.stdout, "--label <LABEL>");
  const demo = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...RUN_PERMISSIONS,
      "--allow-run",
      new URL("../../examples/demo.ts", import.meta.url).pathname,
      "--help",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(demo.code, 0);
  assertStringIncludes(new TextDecoder().decode(demo.stdout), "deno task demo —");
  const all = await cli(["help"]);
  for (const command of ["mcp", "serve", "sync", "status", "init", "import"]) {
    assertStringIncludes(all.stdout, `  ${command}`);
  }
});

Deno.test("unknown flags and commands are refused with exit 2 and the closest spelling", async () => {
  const bogus = await cli(["status", "--bogus"]);
  assertEquals(bogus.code, 2);
  assertStringIncludes(bogus.stderr, 'Unknown option "--bogus" for status');
  assertStringIncludes(bogus.stderr, "deno task status --help");
  const typo = await cli(["sync", "--dry-rn"]);
  assertEquals(typo.code, 2);
  assertStringIncludes(typo.stderr, 'Did you mean "--dry-run"?');
  const command = await cli(["stauts"]);
  assertEquals(command.code, 2);
  assertStringIncludes(command.stderr, 'Unknown command "stauts". Did you mean "status"?');
  const stray = await cli(["sync", "acme/widgets"]);
  assertEquals(stray.code, 2);
  assertStringIncludes(stray.stderr, "Did you mean --repo acme/widgets?");
});

Deno.test("init without a terminal and without flags says it needs one and which flags to give", async () => {
  await withTempDir(async (dir) => {
    const piped = await cli(["init"], { FORGESYNC_DB_URL: `file:${dir}/x.db` }, "github\nacme/widgets\n");
    assertEquals(piped.code, 2);
    assertStringIncludes(piped.stderr, "needs");
    assertStringIncludes(piped.stderr, "terminal");
    assertStringIncludes(piped.stderr, "--repository owner/repo");
  });
});

Deno.test("init's configuration carries every variable given to init, starts as pasted, and status lists the repository while the integration is off", async () => {
  const forge = await createGitHubSandbox();
  try {
    await withTempDir(async (dir) => {
      const db = `file:${dir}/init.db`;
      // Deno on PATH (the folder of this deno): the configuration runs "deno".
      const init = await cli(["init", "--platform", "github", "--repository", forge.repository], {
        FORGESYNC_DB_URL: db,
        GITHUB_API_URL: forge.apiUrl,
        GITHUB_TOKEN: forge.token,
        FORGESYNC_SYNC_INTERVAL: "3600",
        PATH: DENO_DIR_OF_EXEC,
      });
      assertEquals(init.code, 0, init.stderr);
      const server = JSON.parse(init.stdout).mcpServers.forgesync;
      assertEquals(server.command, "deno");
      assertEquals(server.env.GITHUB_API_URL, forge.apiUrl, "the API base given to init");
      assertEquals(server.env.FORGESYNC_SYNC_INTERVAL, "3600");
      assertEquals(server.env.MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION, "true");
      assertEquals(server.env.GITHUB_TOKEN, "<your token>");
      assertFalse(
        init.stdout.includes(forge.token) || init.stderr.includes(forge.token),
        "the token is never printed",
      );
      assertStringIncludes(init.stderr, "export MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true");

      // The configuration starts as pasted (the token put in place of the placeholder) and reaches the forge.
      const transport = new StdioClientTransport({
        command: server.command,
        args: server.args,
        env: {
          ...server.env,
          GITHUB_TOKEN: forge.token,
          PATH: DENO_DIR_OF_EXEC,
          HOME: Deno.env.get("HOME") ?? dir,
        },
        stderr: "pipe",
      });
      const client = new Client({ name: "pasted", version: "1" });
      await client.connect(transport);
      try {
        const result = await client.callTool({
          name: "orchestrator_git_integration",
          arguments: { action: "sync_status" },
        });
        assertFalse(result.isError ?? false, JSON.stringify(result.structuredContent));
      } finally {
        await client.close();
      }

      // Without the integration switched on in this shell, status still lists the repository and says how.
      const status = await cli(["status"], { FORGESYNC_DB_URL: db });
      assertEquals(status.code, 0, status.stderr);
      assertStringIncludes(status.stdout, "Git integration: off");
      assertStringIncludes(status.stdout, `github:${forge.repository}`);
      assertStringIncludes(status.stdout, "MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true");
      const json = JSON.parse((await cli(["status", "--json"], { FORGESYNC_DB_URL: db })).stdout);
      assertEquals([json.integration, json.repositories[0].config.repository], ["off", forge.repository]);
      assertStringIncludes(json.how_to_enable, "MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true");
      const sync = await cli(["sync"], { FORGESYNC_DB_URL: db });
      assertEquals(sync.code, 2);
      assertStringIncludes(sync.stderr, "export MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true");
    });
  } finally {
    await forge.close();
  }
});

Deno.test("init without Deno on PATH prints the npx form, and keeps BITBUCKET_EMAIL and the API base it was given", async () => {
  await withTempDir(async (dir) => {
    const init = await cli([
      "init",
      "--yes",
      "--no-verify",
      "--platform",
      "bitbucket",
      "--repository",
      "acme/widgets",
      "--email",
      "me@example.com",
      "--api-url",
      "https://bb.example.test/2.0",
    ], { FORGESYNC_DB_URL: `file:${dir}/bb.db`, PATH: dir });
    assertEquals(init.code, 0, init.stderr);
    const server = JSON.parse(init.stdout).mcpServers.forgesync;
    assertEquals(server.command, "npx");
    assertEquals(server.args.slice(0, 3), ["-y", `deno@${Deno.version.deno}`, "run"]);
    assertEquals(server.args.slice(-2), [MOD, "mcp"]);
    assertEquals(server.env.BITBUCKET_EMAIL, "me@example.com");
    assertEquals(server.env.BITBUCKET_API_URL, "https://bb.example.test/2.0");
    assertEquals(server.env.BITBUCKET_TOKEN, "<your token>");
    assertStringIncludes(init.stderr, "starts through npx");
  });
});

Deno.test("import creates tasks for unlinked issues with progress on request; sync is quiet off a terminal and shows pages and writes on one", async () => {
  const forge = await createGitHubSandbox();
  try {
    await withTempDir(async (dir) => {
      const env = {
        FORGESYNC_DB_URL: `file:${dir}/import.db`,
        MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
        GITHUB_API_URL: forge.apiUrl,
        GITHUB_TOKEN: forge.token,
      };
      const init = await cli(
        ["init", "--yes", "--platform", "github", "--repository", forge.repository],
        env,
      );
      assertEquals(init.code, 0, init.stderr);
      await forge.seedIssues(150);
      const dry = await cli(["import", "--dry-run"], env);
      assertEquals(dry.code, 0, dry.stderr);
      assertStringIncludes(dry.stdout, "would create 150 tasks");
      const imported = await cli(["import", "--progress"], env);
      assertEquals(imported.code, 0, imported.stderr);
      assertStringIncludes(imported.stdout, "created 150 tasks, 0 issues skipped");
      assertStringIncludes(imported.stderr, "import: page 1 listed");
      assertStringIncludes(imported.stderr, "import: 150 tasks created");

      for (const n of forge.issueNumbers().slice(0, 120)) await forge.remoteEdit(n, { title: `edited ${n}` });
      const quiet = await cli(["sync"], env);
      assertEquals(quiet.code, 0, quiet.stderr);
      assertEquals(quiet.stderr, "", "nothing on stderr off a terminal");
      assertMatch(quiet.stdout, new RegExp(`^github:${forge.repository} completed — pulled 120,`));

      for (const n of forge.issueNumbers().slice(0, 120)) await forge.remoteEdit(n, { title: `again ${n}` });
      const command = [Deno.execPath(), "run", ...RUN_PERMISSIONS, MOD, "sync"].join(" ");
      const onTerminal = await new Deno.Command("script", {
        args: ["-qefc", command, "/dev/null"],
        env: childEnv({ ...env, FORGESYNC_LOG_LEVEL: "warn", NO_COLOR: "1" }),
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const screen = new TextDecoder().decode(onTerminal.stdout);
      assertEquals(onTerminal.code, 0, screen);
      assertStringIncludes(screen, `\r\x1b[2Kgithub:${forge.repository}: page 1 pulled`);
      assertStringIncludes(screen, "page 2 pulled");
      assert(screen.includes(`github:${forge.repository} completed — pulled 120,`), screen);
    });
  } finally {
    await forge.close();
  }
});
