import { createGitHubSandbox } from "../testing/github_sandbox.ts";
import { connectTestClient } from "../testing/mcp_client.ts";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
// @ts-types="@modelcontextprotocol/sdk/types"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { logMessage, reaches } from "./logging.ts";
import { log } from "../log.ts";

Deno.test("reaches() compares forgesync's levels with the MCP level a client set", () => {
  assert(reaches("warn", "warning"));
  assert(reaches("error", "warning"));
  assert(!reaches("info", "warning"));
  assert(reaches("debug", "debug"));
  assert(!reaches("warn", "error"));
  assertEquals(logMessage({ level: "warn", message: "m", fields: { a: 1 } }), {
    level: "warning",
    logger: "forgesync",
    data: { message: "m", a: 1 },
  });
});

Deno.test("a failed pass reaches the client as a warning log message, redacted, at the level it set", async () => {
  const forge = await createGitHubSandbox();
  const client = await connectTestClient({
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_TOKEN: forge.token,
  });
  try {
    const initialize = client.client.getServerCapabilities();
    assertEquals(initialize?.logging, {}, "the logging capability is declared");
    const messages: Array<{ level: string; data: { message: string } }> = [];
    client.client.setNotificationHandler(
      LoggingMessageNotificationSchema,
      (n) => void messages.push(n.params as never),
    );
    const configured = await client.call("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: forge.repository,
    });
    assert(!configured.isError, configured.text);
    forge.faults.add({ kind: "status", status: 401, times: Infinity });
    await client.call("orchestrator_git_integration", { action: "sync_status" });
    const warnings = messages.filter((m) => m.level === "warning");
    assert(warnings.length >= 1, JSON.stringify(messages));
    assertStringIncludes(warnings.at(-1)!.data.message, `sync of github:${forge.repository} failed`);
    assert(!JSON.stringify(messages).includes(forge.token), "no token in a log message");

    // At "error", warnings stay on the server.
    await client.client.setLoggingLevel("error");
    const before = messages.length;
    await client.call("orchestrator_git_integration", { action: "sync_status" });
    assertEquals(messages.length, before);

    // At "debug", debug lines come too.
    await client.client.setLoggingLevel("debug");
    log.debug("a debug line for the client");
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert(messages.some((m) => m.level === "debug" && m.data.message === "a debug line for the client"));
  } finally {
    await client.close();
    await forge.close();
  }
});
