/**
 * End to end over HTTP: the real server (`deno run … mod.ts serve`, the flags of deno.json's
 * `start` task) on port 0, driven by the MCP SDK client over Streamable HTTP and by raw fetch for
 * the guards (bearer token, Origin, sessions), /healthz, signed webhooks and the dashboard.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../src/testing/assert.ts";
import { VERSION } from "../../src/mcp/server.ts";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { webhookDelivery } from "../../src/testing/webhooks.ts";
import {
  childEnv,
  expectedTools,
  type HttpServer,
  ROOT,
  startHttpServer,
  taskArgs,
  TIER_ENVS,
  withTempDir,
} from "./helpers.ts";

async function withServer(
  env: Record<string, string>,
  f: (server: HttpServer) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const server = await startHttpServer({ FORGESYNC_DB_URL: `file:${dir}/http.db`, ...env });
    try {
      await f(server);
    } finally {
      const status = await server.stop();
      assertEquals(status.code, 0, `serve did not stop cleanly:\n${server.stderr.lines.join("\n")}`);
    }
  });
}

async function withClient(
  url: string,
  f: (client: Client, transport: StreamableHTTPClientTransport) => Promise<void>,
  headers: Record<string, string> = {},
): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } });
  const client = new Client({ name: "forgesync-e2e-http", version: "0.0.0" });
  try {
    await client.connect(transport);
    await f(client, transport);
  } finally {
    await client.close();
  }
}

// deno-lint-ignore no-explicit-any
type Structured = any;

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as Array<{ type: string; text: string }>)[0]!.text;
  assertEquals(JSON.parse(text), result.structuredContent, "the text is not the JSON of structuredContent");
  return { isError: result.isError === true, structured: result.structuredContent as Structured };
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
};

/** A raw POST to /mcp; the body is consumed so that no stream is left open. */
async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

Deno.test("http: /healthz reports the database and unknown routes are 404", async () => {
  await withServer({}, async ({ url }) => {
    assertMatch(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/healthz`);
    assertEquals(health.status, 200);
    assertEquals(await health.json(), { status: "ok", version: VERSION, database: "ok" });
    const missing = await fetch(`${url}/nowhere`);
    assertEquals(missing.status, 404);
    assertStringIncludes(await missing.text(), "/healthz");
  });
});

Deno.test("http: tools/list lists exactly the tools of each tier", async (t) => {
  for (const { label, env, tier } of TIER_ENVS.filter((e) => !e.label.includes("false with"))) {
    await t.step(`${label} → ${tier}`, async () => {
      await withServer(env, async ({ url }) => {
        await withClient(url, async (client) => {
          assertEquals(client.getServerVersion(), { name: "forgesync", version: VERSION });
          const { tools } = await client.listTools();
          assertEquals(tools.map((tool: { name: string }) => tool.name).sort(), expectedTools(tier).sort());
        });
      });
    });
  }
});

Deno.test("http: task and feature actions and error results through the SDK client", async () => {
  await withServer({}, async ({ url }) => {
    await withClient(url, async (client) => {
      await client.listTools();
      const proposed = await call(client, "orchestrator_feature", { action: "propose", title: "Over HTTP" });
      assertFalse(proposed.isError);
      const featureId = proposed.structured.feature.feature_id;
      const approved = await call(client, "orchestrator_feature", {
        action: "set_status",
        feature_id: featureId,
        status: "approved",
      });
      assertEquals(approved.structured.feature.status, "approved");
      const created = await call(client, "orchestrator_task", {
        action: "create",
        title: "HTTP task 🚀",
        feature_id: featureId,
      });
      const taskId = created.structured.task.task_id;
      const archived = await call(client, "orchestrator_task", { action: "archive", task_id: taskId });
      assertEquals(archived.structured.task.status, "archived");
      const listed = await call(client, "orchestrator_task", { action: "list", include_archived: true });
      assertEquals(listed.structured.tasks.map((task: { title: string }) => task.title), ["HTTP task 🚀"]);
      const features = await call(client, "orchestrator_feature", { action: "list", status: ["approved"] });
      assertEquals(features.structured.features.length, 1);

      const done = await call(client, "orchestrator_feature", {
        action: "set_status",
        feature_id: featureId,
        status: "completed",
      });
      assertEquals(done.structured.feature.status, "completed");
      const refused = await call(client, "orchestrator_feature", {
        action: "set_status",
        feature_id: featureId,
        status: "rejected",
      });
      assert(refused.isError);
      assertEquals(refused.structured.error.code, "CONFLICT");
      assertStringIncludes(refused.structured.error.message, `from "completed" to "rejected"`);
      assertStringIncludes(refused.structured.error.hint, "in_progress");
      const invalid = await call(client, "orchestrator_task", { action: "create", title: 7 });
      assert(invalid.isError);
      assertEquals(invalid.structured.error.code, "VALIDATION_ERROR");
      assertStringIncludes(invalid.structured.error.message, "title");
    });
  });
});

Deno.test("http: a closed or unknown session id is answered 404", async () => {
  await withServer({}, async ({ url }) => {
    let sessionId: string | undefined;
    await withClient(url, async (client, transport) => {
      await client.listTools();
      sessionId = transport.sessionId;
      assert(sessionId !== undefined, "no session id");
      await transport.terminateSession();
    });
    const list = { jsonrpc: "2.0", id: 2, method: "tools/list" };
    const closed = await post(url, list, {
      "mcp-session-id": sessionId!,
      "mcp-protocol-version": "2025-06-18",
    });
    assertEquals(closed.status, 404);
    const unknown = await post(url, list, { "mcp-session-id": "no-such-session" });
    assertEquals(unknown.status, 404);
    assertStringIncludes(unknown.text, "initialize");
    const body = JSON.parse(unknown.text);
    assertEquals(body.jsonrpc, "2.0");
    const noSession = await post(url, list);
    assertEquals(noSession.status, 400);
    const get = await fetch(`${url}/mcp`, { headers: { accept: "text/event-stream" } });
    assertEquals(get.status, 400);
    await get.body?.cancel();
  });
});

Deno.test("http: two sessions are served side by side on one database", async () => {
  await withServer({}, async ({ url }) => {
    await withClient(url, async (a, ta) => {
      await withClient(url, async (b, tb) => {
        assert(ta.sessionId !== tb.sessionId);
        const created = await call(a, "orchestrator_task", { action: "create", title: "from a" });
        const seen = await call(b, "orchestrator_task", {
          action: "get",
          task_id: created.structured.task.task_id,
        });
        assertEquals(seen.structured.task.title, "from a");
      });
    });
  });
});

Deno.test("http: with FORGESYNC_HTTP_TOKEN set, /mcp needs the bearer token", async () => {
  const token = "e2e-token-" + crypto.randomUUID();
  await withServer({ FORGESYNC_HTTP_TOKEN: token }, async ({ url, stderr }) => {
    const without = await post(url, INITIALIZE);
    assertEquals(without.status, 401);
    assertStringIncludes(without.headers.get("www-authenticate") ?? "", "Bearer");
    assertStringIncludes(without.text, "FORGESYNC_HTTP_TOKEN");
    assert(!without.text.includes(token));
    const wrong = await post(url, INITIALIZE, { authorization: `Bearer ${token}x` });
    assertEquals(wrong.status, 401);
    const basic = await post(url, INITIALIZE, { authorization: `Basic ${btoa(`user:${token}`)}` });
    assertEquals(basic.status, 401);
    await withClient(url, async (client) => {
      const { tools } = await client.listTools();
      assertEquals(tools.map((t: { name: string }) => t.name).sort(), expectedTools("disabled").sort());
      const created = await call(client, "orchestrator_task", { action: "create", title: "authorized" });
      assertFalse(created.isError);
    }, { authorization: `Bearer ${token}` });
    assert(!stderr.lines.join("\n").includes(token), "the token appeared in the log");
  });
});

Deno.test("http: a foreign Origin is refused and a loopback Origin is allowed", async () => {
  await withServer({}, async ({ url }) => {
    const foreign = await post(url, INITIALIZE, { origin: "https://evil.example" });
    assertEquals(foreign.status, 403);
    assertStringIncludes(foreign.text, "evil.example");
    const rebinding = await post(url, INITIALIZE, { origin: "http://attacker.test:8787" });
    assertEquals(rebinding.status, 403);
    const local = await post(url, INITIALIZE, { origin: url.replace("127.0.0.1", "localhost") });
    assertEquals(local.status, 200, local.text);
  });
});

/** A raw HTTP/1.1 request, to send a Host header fetch would replace. Returns the status code. */
async function rawRequest(
  url: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<number> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    const bytes = new TextEncoder().encode(body);
    const head = [
      `POST ${path} HTTP/1.1`,
      ...Object.entries({ ...headers, "content-length": String(bytes.length), connection: "close" })
        .map(([k, v]) => `${k}: ${v}`),
      "",
      "",
    ].join("\r\n");
    await conn.write(new TextEncoder().encode(head));
    await conn.write(bytes);
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(4096);
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
    const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  } finally {
    conn.close();
  }
}

Deno.test("http: a DNS-rebinding request (foreign Host and Origin) is refused", async () => {
  await withServer({}, async ({ url }) => {
    const port = new URL(url).port;
    const headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    };
    const body = JSON.stringify(INITIALIZE);
    // A page on attacker.test whose name now resolves to 127.0.0.1: the browser sends its own name.
    const rebound = await rawRequest(url, "/mcp", {
      ...headers,
      host: `attacker.test:${port}`,
      origin: `http://attacker.test:${port}`,
    }, body);
    assertEquals(rebound, 403);
    const noOrigin = await rawRequest(url, "/mcp", { ...headers, host: `attacker.test:${port}` }, body);
    assertEquals(noOrigin, 403);
    // A name that merely starts like a loopback address is not one.
    const lookalike = await rawRequest(url, "/mcp", {
      ...headers,
      host: `127.0.0.1.attacker.test:${port}`,
      origin: `http://127.0.0.1.attacker.test:${port}`,
    }, body);
    assertEquals(lookalike, 403);
    const lookalike2 = await rawRequest(url, "/mcp", { ...headers, host: `127.attacker.test:${port}` }, body);
    assertEquals(lookalike2, 403);
    const local = await rawRequest(url, "/mcp", { ...headers, host: `localhost:${port}` }, body);
    assertEquals(local, 200);
  });
});

Deno.test("http: binding 0.0.0.0 without a token is refused at start-up naming FORGESYNC_HTTP_TOKEN", async () => {
  await withTempDir(async (dir) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: taskArgs("start"),
      cwd: ROOT,
      env: childEnv({
        FORGESYNC_DB_URL: `file:${dir}/refused.db`,
        FORGESYNC_HTTP_HOST: "0.0.0.0",
        FORGESYNC_HTTP_PORT: "0",
      }),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertFalse(output.success, "serve started on 0.0.0.0 without a token");
    assert(output.code !== 0);
    assertStringIncludes(stderr, "FORGESYNC_HTTP_TOKEN");
    assertStringIncludes(stderr, "0.0.0.0");
    assertFalse(stderr.includes("listening on"), stderr);
  });
});

Deno.test("http: binding 0.0.0.0 with a token is allowed", async () => {
  const token = "e2e-token-" + crypto.randomUUID();
  await withServer({ FORGESYNC_HTTP_HOST: "0.0.0.0", FORGESYNC_HTTP_TOKEN: token }, async ({ url }) => {
    const port = new URL(url).port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assertEquals(health.status, 200);
    await health.body?.cancel();
  });
});

Deno.test("http: a signed webhook makes the running server pull a remote edit; the dashboard needs the token", async () => {
  const token = "e2e-token-" + crypto.randomUUID();
  const secret = "e2e-whsec-" + crypto.randomUUID();
  const sandbox = await createGitHubSandbox();
  try {
    await withServer({
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      GITHUB_API_URL: sandbox.apiUrl,
      GITHUB_TOKEN: sandbox.token,
      // The interval loop stays asleep: only the webhook can start a pass.
      FORGESYNC_SYNC_INTERVAL: "86400",
      FORGESYNC_HTTP_TOKEN: token,
      E2E_WEBHOOK_SECRET: secret,
    }, async ({ url, stderr }) => {
      await withClient(url, async (client) => {
        const configured = await call(client, "orchestrator_git_integration", {
          action: "configure",
          platform: "github",
          repository: sandbox.repository,
          webhook_secret_name: "E2E_WEBHOOK_SECRET",
        });
        assertFalse(configured.isError, JSON.stringify(configured.structured));
        const repository = configured.structured.config.repository;
        const task =
          (await call(client, "orchestrator_task", { action: "create", title: "<script>alert(1)</script>" }))
            .structured.task;
        const created = await call(client, "orchestrator_git_integration", {
          action: "create_issue",
          task_id: task.task_id,
        });
        const number = created.structured.link.issue_number;
        await sandbox.remoteEdit(number, { title: "Renamed on GitHub" });

        const d = await webhookDelivery("github", { secret, repository, issue: number });
        const hook = await fetch(`${url}/webhooks/github`, {
          method: "POST",
          headers: d.headers,
          body: d.body,
        });
        assertEquals(hook.status, 202, "no bearer token is needed: the signature authenticates the forge");
        assertEquals((await hook.json()).enqueued, true);
        let title = task.title;
        for (let i = 0; i < 300 && title !== "Renamed on GitHub"; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          title =
            (await call(client, "orchestrator_task", { action: "get", task_id: task.task_id })).structured
              .task
              .title;
        }
        assertEquals(title, "Renamed on GitHub", "the webhook's pass never pulled the edit");
        const replay = await fetch(`${url}/webhooks/github`, {
          method: "POST",
          headers: d.headers,
          body: d.body,
        });
        assertEquals([replay.status, (await replay.json()).duplicate], [200, true]);
        const forged = await webhookDelivery("github", { secret: "not-it", repository, issue: number });
        const refused = await fetch(`${url}/webhooks/github`, {
          method: "POST",
          headers: forged.headers,
          body: forged.body,
        });
        assertEquals(refused.status, 401);
        await refused.body?.cancel();

        await call(client, "orchestrator_task", { action: "create", title: "<script>alert(2)</script>" });
        const anonymous = await fetch(`${url}/`);
        assertEquals(anonymous.status, 401);
        await anonymous.body?.cancel();
        const dashboard = await fetch(`${url}/`, { headers: { authorization: `Bearer ${token}` } });
        assertEquals(dashboard.status, 200);
        const html = await dashboard.text();
        assertStringIncludes(html, "Renamed on GitHub");
        assertStringIncludes(html, "&lt;script&gt;alert(2)&lt;/script&gt;");
        assertFalse(/<script/i.test(html), "a script tag reached the dashboard");
        assertStringIncludes(html, "issues.edited");

        const health = await fetch(`${url}/healthz`, { headers: { authorization: `Bearer ${token}` } });
        const report = await health.json();
        assertEquals([health.status, report.status], [200, "ok"]);
        assertEquals(report.repositories[0].repository, repository);
        assertEquals(report.repositories[0].last_run.status, "completed");
      }, { authorization: `Bearer ${token}` });
      const log = stderr.lines.join("\n");
      assert(!log.includes(secret), "the webhook secret appeared in the log");
      assert(!log.includes(token), "the token appeared in the log");
    });
  } finally {
    await sandbox.close();
  }
});
