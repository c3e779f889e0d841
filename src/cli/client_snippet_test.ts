import { assertEquals } from "../testing/assert.ts";
import { clientConfig, denoOnPath, forwardedEnv, shellExports } from "./client_snippet.ts";

Deno.test("denoOnPath() finds deno on PATH but not the one npx puts there for a single command", () => {
  const files = new Set([
    "/home/u/.npm/_npx/ab12/node_modules/.bin/deno",
    "/opt/x/node_modules/.bin/deno",
    "/usr/local/bin/deno",
  ]);
  const has = (f: string) => files.has(f);
  assertEquals(denoOnPath("/home/u/.npm/_npx/ab12/node_modules/.bin:/usr/bin", has), undefined);
  assertEquals(denoOnPath("/opt/x/node_modules/.bin:/usr/bin", has), undefined);
  assertEquals(
    denoOnPath("/home/u/.npm/_npx/ab12/node_modules/.bin:/usr/local/bin/", has),
    "/usr/local/bin/deno",
  );
  assertEquals(denoOnPath(undefined, has), undefined);
});

Deno.test("forwardedEnv() carries forgesync's variables and hides secrets behind a placeholder", () => {
  assertEquals(
    forwardedEnv({
      GITLAB_API_URL: "https://gitlab.example/api/v4",
      BITBUCKET_EMAIL: "me@example.com",
      FORGESYNC_DB_AUTH_TOKEN: "s3cret",
      HOME: "/home/u",
      FORGESYNC_SYNC_INTERVAL: " ",
    }),
    {
      GITLAB_API_URL: "https://gitlab.example/api/v4",
      BITBUCKET_EMAIL: "me@example.com",
      FORGESYNC_DB_AUTH_TOKEN: "<your token>",
    },
  );
});

const INPUT = {
  denoVersion: "2.9.6",
  modPath: "/src/forgesync/mod.ts",
  dbUrl: "file:/data/f.db",
  tier: "full",
  tokenVariable: "GITHUB_TOKEN",
  env: { GITHUB_API_URL: "https://ghe.example/api/v3" },
} as const;

Deno.test("clientConfig() starts deno directly, or through npx with this Deno's version, with every variable", () => {
  const direct = clientConfig({ ...INPUT, launcher: "deno" }).mcpServers as Record<
    string,
    Record<string, unknown>
  >;
  assertEquals(direct.forgesync!.command, "deno");
  assertEquals((direct.forgesync!.args as string[]).slice(0, 2), ["run", "--quiet"]);
  assertEquals((direct.forgesync!.args as string[]).slice(-2), ["/src/forgesync/mod.ts", "mcp"]);
  assertEquals(direct.forgesync!.env, {
    FORGESYNC_DB_URL: "file:/data/f.db",
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: "full",
    GITHUB_API_URL: "https://ghe.example/api/v3",
    GITHUB_TOKEN: "<your token>",
  });
  const npx = clientConfig({ ...INPUT, launcher: "npx" }).mcpServers as Record<
    string,
    Record<string, unknown>
  >;
  assertEquals(npx.forgesync!.command, "npx");
  assertEquals((npx.forgesync!.args as string[]).slice(0, 3), ["-y", "deno@2.9.6", "run"]);
});

Deno.test("shellExports() gives this shell the same variables, with no secret value", () => {
  assertEquals(shellExports({ ...INPUT, launcher: "deno" }), [
    "export MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER=full " +
    "FORGESYNC_DB_URL=file:/data/f.db GITHUB_API_URL=https://ghe.example/api/v3",
    "export GITHUB_TOKEN=…   # your token: forgesync never prints or saves it",
  ]);
});
