import { Redacted } from "effect";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "./testing/assert.ts";
import { ConfigError, DEFAULT_DB_URL, loadConfig, tierIncludes, TIERS } from "./config.ts";

const ENABLE = "MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION";
const TIER = "MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER";

Deno.test("loadConfig() uses the documented defaults for an empty environment", () => {
  const config = loadConfig({});
  assertEquals(config.tier, "disabled");
  assertEquals(config.dbUrl, DEFAULT_DB_URL);
  assertEquals(config.dbUrl, "file:.forgesync/forgesync.db");
  assertEquals(config.dbSyncUrl, undefined);
  assertEquals(config.dbAuthToken, undefined);
  assertEquals(config.dbSyncInterval, undefined);
  assertEquals(config.syncIntervalSeconds, 60);
  assertEquals(config.httpHost, "127.0.0.1");
  assertEquals(config.httpPort, 8787);
  assertEquals(config.httpToken, undefined);
});

Deno.test("loadConfig() keeps the Git integration disabled unless it is enabled", () => {
  for (
    const env of [{}, { [ENABLE]: "false" }, { [ENABLE]: "FALSE" }, { [ENABLE]: "" }, { [ENABLE]: "  " }]
  ) {
    assertEquals(loadConfig(env).tier, "disabled", JSON.stringify(env));
    for (const tier of TIERS) {
      assertEquals(loadConfig({ ...env, [TIER]: tier }).tier, "disabled", `${JSON.stringify(env)} + ${tier}`);
    }
  }
});

Deno.test("loadConfig() enables the full tier by default and honours each tier", () => {
  for (const on of ["true", "TRUE", "True", " true "]) {
    assertEquals(loadConfig({ [ENABLE]: on }).tier, "full", on);
  }
  for (const tier of TIERS) assertEquals(loadConfig({ [ENABLE]: "true", [TIER]: tier }).tier, tier);
  assertEquals(loadConfig({ [ENABLE]: "true", [TIER]: "Project" }).tier, "project");
  assertEquals(loadConfig({ [ENABLE]: "true", [TIER]: "" }).tier, "full");
});

Deno.test("loadConfig() rejects invalid values naming the variable", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ [ENABLE]: "maybe" }, ENABLE],
    [{ [ENABLE]: "true", [TIER]: "premium" }, TIER],
    [{ [TIER]: "premium" }, TIER],
    [{ FORGESYNC_HTTP_PORT: "http" }, "FORGESYNC_HTTP_PORT"],
    [{ FORGESYNC_HTTP_PORT: "70000" }, "FORGESYNC_HTTP_PORT"],
    [{ FORGESYNC_HTTP_PORT: "-1" }, "FORGESYNC_HTTP_PORT"],
    [{ FORGESYNC_HTTP_PORT: "80.5" }, "FORGESYNC_HTTP_PORT"],
    [{ FORGESYNC_SYNC_INTERVAL: "0" }, "FORGESYNC_SYNC_INTERVAL"],
    [{ FORGESYNC_SYNC_INTERVAL: "soon" }, "FORGESYNC_SYNC_INTERVAL"],
    [{ FORGESYNC_DB_SYNC_INTERVAL: "1e9" }, "FORGESYNC_DB_SYNC_INTERVAL"],
  ];
  for (const [env, variable] of cases) {
    const error = assertThrows(() => loadConfig(env), variable);
    assert(error instanceof ConfigError, `${JSON.stringify(env)} threw ${error}`);
    assertStringIncludes(error.message, `"${Object.values(env).at(-1)}"`);
  }
});

Deno.test("only true enables the Git integration: yes, 1, on and their opposites are refused with the fix", () => {
  for (const value of ["yes", "1", "on", "no", "0", "off", "enabled", "truee"]) {
    const error = assertThrows(() => loadConfig({ [ENABLE]: value }), ENABLE);
    assert(error instanceof ConfigError, `${value} threw ${error}`);
    assertStringIncludes(error.message, `is "${value}", which is neither "true" nor "false"`);
    assertStringIncludes(error.message, `Set it to "true" to enable the Git integration`);
  }
});

Deno.test("loadConfig() names the accepted tiers when the tier is wrong", () => {
  const error = assertThrows(() => loadConfig({ [ENABLE]: "true", [TIER]: "premium" }));
  for (const tier of TIERS) assertStringIncludes(error.message, tier);
});

Deno.test("loadConfig() reads every variable and keeps secrets redacted", () => {
  const config = loadConfig({
    FORGESYNC_DB_URL: "file:/tmp/x.db",
    FORGESYNC_DB_SYNC_URL: "libsql://primary.example",
    FORGESYNC_DB_AUTH_TOKEN: "db-secret-token",
    FORGESYNC_DB_SYNC_INTERVAL: "30",
    FORGESYNC_SYNC_INTERVAL: "15",
    FORGESYNC_HTTP_HOST: "0.0.0.0",
    FORGESYNC_HTTP_PORT: "0",
    FORGESYNC_HTTP_TOKEN: "http-secret-token",
    GITHUB_TOKEN: "ghp_whatever",
  });
  assertEquals(config.dbUrl, "file:/tmp/x.db");
  assertEquals(config.dbSyncUrl, "libsql://primary.example");
  assertEquals(config.dbSyncInterval, 30);
  assertEquals(config.syncIntervalSeconds, 15);
  assertEquals(config.httpHost, "0.0.0.0");
  assertEquals(config.httpPort, 0);
  assert(config.httpToken !== undefined && config.dbAuthToken !== undefined);
  assertEquals(Redacted.value(config.httpToken), "http-secret-token");
  assertEquals(Redacted.value(config.dbAuthToken), "db-secret-token");
  const printed = `${config.httpToken} ${String(config.dbAuthToken)} ${JSON.stringify(config)}`;
  assert(!printed.includes("http-secret-token"), printed);
  assert(!printed.includes("db-secret-token"), printed);
  assertEquals(config.env("GITHUB_TOKEN"), "ghp_whatever");
  assertEquals(config.env("NOT_SET"), undefined);
});

Deno.test("loadConfig() accepts a function as the environment", () => {
  const config = loadConfig((name) => (name === ENABLE ? "true" : name === TIER ? "basic" : undefined));
  assertEquals(config.tier, "basic");
});

Deno.test("tierIncludes() orders the tiers disabled < basic < project < full", () => {
  assert(tierIncludes("full", "basic"));
  assert(tierIncludes("project", "project"));
  assert(!tierIncludes("basic", "project"));
  assert(!tierIncludes("disabled", "basic"));
  assert(tierIncludes("basic", "disabled"));
});

Deno.test("loadConfig() reads the access, read-only and session variables with their defaults", () => {
  const none = loadConfig({});
  assertEquals(none.allowedApiOrigins, []);
  assertEquals(none.tokenVariables, []);
  assertEquals(none.readOnly, false);
  assertEquals(none.httpSessionIdleSeconds, 1800);
  assertEquals(none.httpMaxSessions, 100);
  const set = loadConfig({
    FORGESYNC_ALLOWED_API_HOSTS: "ghe.example.com, gitlab.example.com:8443,http://127.0.0.1:9000",
    FORGESYNC_TOKEN_VARIABLES: "ACME_TOKEN, GHE_TOKEN",
    FORGESYNC_READ_ONLY: "true",
    FORGESYNC_HTTP_SESSION_IDLE_SECONDS: "60",
    FORGESYNC_HTTP_MAX_SESSIONS: "5",
  });
  assertEquals(set.allowedApiOrigins, [
    "https://ghe.example.com",
    "https://gitlab.example.com:8443",
    "http://127.0.0.1:9000",
  ]);
  assertEquals(set.tokenVariables, ["ACME_TOKEN", "GHE_TOKEN"]);
  assertEquals(set.readOnly, true);
  assertEquals(set.httpSessionIdleSeconds, 60);
  assertEquals(set.httpMaxSessions, 5);
});

Deno.test("loadConfig() refuses malformed hosts, variable names and session limits naming the variable", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ FORGESYNC_ALLOWED_API_HOSTS: "https://ghe.example.com/api/v3" }, "FORGESYNC_ALLOWED_API_HOSTS"],
    [{ FORGESYNC_ALLOWED_API_HOSTS: "ftp://ghe.example.com" }, "FORGESYNC_ALLOWED_API_HOSTS"],
    [{ FORGESYNC_ALLOWED_API_HOSTS: "user:pw@ghe.example.com" }, "FORGESYNC_ALLOWED_API_HOSTS"],
    [{ FORGESYNC_TOKEN_VARIABLES: "ghp_notaname-value" }, "FORGESYNC_TOKEN_VARIABLES"],
    [{ FORGESYNC_READ_ONLY: "sometimes" }, "FORGESYNC_READ_ONLY"],
    [{ FORGESYNC_HTTP_SESSION_IDLE_SECONDS: "0" }, "FORGESYNC_HTTP_SESSION_IDLE_SECONDS"],
    [{ FORGESYNC_HTTP_MAX_SESSIONS: "none" }, "FORGESYNC_HTTP_MAX_SESSIONS"],
  ];
  for (const [env, name] of cases) {
    const error = assertThrows(() => loadConfig(env));
    assert(error instanceof ConfigError);
    assertStringIncludes(error.message, name);
  }
});

Deno.test("loadConfig() collects the values of secret-named and listed variables for redaction", () => {
  const config = loadConfig({
    GITHUB_TOKEN: "ghp_value_long_enough",
    ACME_WEBHOOK_SECRET: "webhook-secret-value",
    MY_CUSTOM: "custom-token-value",
    FORGESYNC_TOKEN_VARIABLES: "MY_CUSTOM",
    SHORT_TOKEN: "abc",
    HOME: "/root/home/dir",
  });
  const values = config.secretValues.map((v) => Redacted.value(v)).sort();
  assertEquals(values, ["custom-token-value", "ghp_value_long_enough", "webhook-secret-value"]);
});
