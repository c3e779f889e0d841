/**
 * Secrets against the real server process (issue 9, findings 1 and 2): a hostile tool caller tries
 * to send tokens elsewhere and to store credentials; no token reaches the attacker, a tool result,
 * the database file, its WAL, or stderr (logs at debug level). Also: the read-only mode as a client
 * of the real stdio server sees it.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/stdio"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { assert, assertEquals } from "../../src/testing/assert.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { assertNotInDatabaseFiles, walSize } from "../integration/secret_support.ts";
import { childEnv, ROOT, taskArgs, withTempDir } from "./helpers.ts";

const G = "orchestrator_git_integration";
const OTHER_SECRET = "other-secret-value-0123456789";
const HTTP_TOKEN = "http-bearer-token-0123456789";
const PASSWORD = "plainPasswordInAUrl42";

async function withStdio(
  env: Record<string, string>,
  f: (client: Client, stderr: () => string) => Promise<void>,
): Promise<string> {
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: taskArgs("mcp"),
    cwd: ROOT,
    env: childEnv({ FORGESYNC_LOG_LEVEL: "debug", ...env }),
    stderr: "pipe",
  });
  let err = "";
  const client = new Client({ name: "forgesync-e2e-secrets", version: "0.0.0" });
  await client.connect(transport);
  const reading = (async () => {
    const stream = transport.stderr as unknown as AsyncIterable<Uint8Array> | null;
    if (stream === null) return;
    for await (const chunk of stream) err += new TextDecoder().decode(chunk);
  })();
  try {
    await f(client, () => err);
  } finally {
    await client.close();
    await reading.catch(() => undefined);
  }
  return err;
}

async function call(client: Client, args: Record<string, unknown>) {
  const result = await client.callTool({ name: G, arguments: args });
  const text = (result.content as Array<{ type: string; text: string }>)[0]!.text;
  return { isError: result.isError === true, text };
}

Deno.test("stdio: a hostile caller gets no token to an attacker, a result, the database, its WAL or stderr", async () => {
  const forge = await createGitHubSandbox();
  const seen: string[] = [];
  const attacker = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    seen.push(JSON.stringify([request.url, [...request.headers]]));
    return Response.json({ full_name: "o/r", permissions: { push: true } });
  });
  const attackerUrl = `http://127.0.0.1:${attacker.addr.port}/api/v3`;
  const secrets = [forge.token, OTHER_SECRET, HTTP_TOKEN, PASSWORD];
  try {
    await withTempDir(async (dir) => {
      const dbUrl = `file:${dir}/secrets.db`;
      const stderr = await withStdio({
        FORGESYNC_DB_URL: dbUrl,
        MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
        GITHUB_API_URL: forge.apiUrl,
        GITHUB_TOKEN: forge.token,
        SOME_OTHER_SECRET: OTHER_SECRET,
        FORGESYNC_HTTP_TOKEN: HTTP_TOKEN,
      }, async (client) => {
        const texts: string[] = [];
        const attempt = async (args: Record<string, unknown>) => {
          const r = await call(client, args);
          texts.push(r.text);
          return r;
        };
        const repository = forge.repository;
        for (
          const args of [
            { action: "configure", platform: "github", repository, api_url: attackerUrl, verify: true },
            {
              action: "configure",
              platform: "github",
              repository,
              api_url: attackerUrl,
              api_token_name: "SOME_OTHER_SECRET",
              verify: true,
            },
            {
              action: "configure",
              platform: "github",
              repository,
              api_token_name: "FORGESYNC_HTTP_TOKEN",
              verify: true,
            },
            {
              action: "configure",
              platform: "github",
              repository: `https://x-access-token:${forge.token}@github.com/${repository}.git`,
            },
            {
              action: "configure",
              platform: "github",
              repository: `https://me:${PASSWORD}@github.com/${repository}`,
            },
          ]
        ) {
          const r = await attempt(args);
          assert(r.isError, `${JSON.stringify(args).slice(0, 200)} should be refused: ${r.text}`);
        }
        // Ordinary use: the token is used, for the forge only.
        assert(
          !(await attempt({ action: "configure", platform: "github", repository, verify: true })).isError,
        );
        const task = await client.callTool({
          name: "orchestrator_task",
          arguments: { action: "create", title: "T" },
        });
        const taskId = (task.structuredContent as { task: { task_id: string } }).task.task_id;
        assert(!(await attempt({ action: "create_issue", task_id: taskId })).isError);
        assert(!(await attempt({ action: "sync_status" })).isError);
        await attempt({ action: "status" });
        for (const text of texts) for (const secret of secrets) assert(!text.includes(secret), text);
        assert(await walSize(dbUrl) > 0, "the WAL holds frames while the server runs");
        await assertNotInDatabaseFiles(dbUrl, secrets);
      });
      assertEquals(seen, [], "the attacker received nothing");
      assert(stderr.length > 0, "the server logged at debug level");
      for (const secret of secrets) assert(!stderr.includes(secret), `stderr holds ${secret.slice(0, 6)}…`);
      await assertNotInDatabaseFiles(dbUrl, secrets);
    });
  } finally {
    await attacker.shutdown();
    await forge.close();
  }
});

Deno.test("stdio: FORGESYNC_READ_ONLY=true lists every tool read-only and refuses a write", async () => {
  await withTempDir(async (dir) => {
    await withStdio(
      { FORGESYNC_DB_URL: `file:${dir}/ro.db`, FORGESYNC_READ_ONLY: "true" },
      async (client) => {
        const { tools } = await client.listTools();
        for (const tool of tools) assertEquals(tool.annotations?.readOnlyHint, true, tool.name);
        const r = await client.callTool({
          name: "orchestrator_task",
          arguments: { action: "create", title: "x" },
        });
        assertEquals((r.structuredContent as { error: { code: string } }).error.code, "FORBIDDEN");
        const listed = await client.callTool({ name: "orchestrator_task", arguments: { action: "list" } });
        assertEquals(listed.isError, undefined);
      },
    );
  });
});
