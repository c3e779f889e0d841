import { assert, assertEquals } from "../testing/assert.ts";
import { VERSION } from "../version.ts";
import { type AppFixture, withApp } from "./test_support.ts";

const healthz = async (fx: AppFixture, headers: Record<string, string> = {}) => {
  const response = await fx.request("/healthz", { headers });
  return { status: response.status, body: await response.json() };
};

Deno.test("/healthz with the integration disabled reports the database only", async () => {
  await withApp({}, async (fx) => {
    assertEquals(await healthz(fx), {
      status: 200,
      body: { status: "ok", version: VERSION, database: "ok" },
    });
  });
});

Deno.test("/healthz reports each repository's last pass and is degraded (still 200) when one failed", async () => {
  await withApp({ platform: "github" }, async (fx) => {
    assertEquals((await healthz(fx)).body, {
      status: "ok",
      version: VERSION,
      database: "ok",
      repositories: [],
    });
    const { config } = await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: fx.sandbox!.repository,
    });
    const never = await healthz(fx);
    assertEquals(never.body.repositories, [{
      platform: "github",
      repository: config.repository,
      last_run: null,
    }]);
    assertEquals(never.body.status, "ok");

    await fx.tool("orchestrator_git_integration", { action: "sync_status" });
    const clean = await healthz(fx);
    assertEquals([clean.status, clean.body.status], [200, "ok"]);
    assertEquals(clean.body.repositories[0].last_run.status, "completed");

    fx.sandbox!.faults.add({ kind: "status", status: 502, times: Infinity });
    await fx.client.call("orchestrator_git_integration", { action: "sync_status" });
    const [last] = await fx.query("SELECT operation_status FROM sync_status_logs ORDER BY id DESC LIMIT 1");
    assertEquals(last, { operation_status: "failed" });
    const degraded = await healthz(fx);
    assertEquals([degraded.status, degraded.body.status, degraded.body.database], [200, "degraded", "ok"]);
    assertEquals(degraded.body.repositories[0].last_run.status, "failed");
    const [row] = await fx.query<{ finished_at: string }>(
      "SELECT finished_at FROM sync_status_logs ORDER BY id DESC LIMIT 1",
    );
    assertEquals(degraded.body.repositories[0].last_run.finished_at, row!.finished_at);

    fx.sandbox!.faults.clear();
    await fx.tool("orchestrator_git_integration", { action: "sync_status" });
    assertEquals((await healthz(fx)).body.status, "ok", "a clean pass clears the degradation");
  });
});

Deno.test("/healthz names repositories only to callers with the bearer token when one is set", async () => {
  await withApp({ platform: "github", env: { FORGESYNC_HTTP_TOKEN: "health-t0ken" } }, async (fx) => {
    await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: fx.sandbox!.repository,
    });
    fx.sandbox!.faults.add({ kind: "status", status: 502, times: Infinity });
    await fx.client.call("orchestrator_git_integration", { action: "sync_status" });
    const anonymous = await healthz(fx);
    assertEquals(anonymous, {
      status: 200,
      body: { status: "degraded", version: VERSION, database: "ok", failing: 1 },
    });
    const wrong = await healthz(fx, { authorization: "Bearer nope" });
    assertEquals(wrong.body.repositories, undefined);
    const authorized = await healthz(fx, { authorization: "Bearer health-t0ken" });
    assertEquals(authorized.body.status, "degraded");
    assertEquals(authorized.body.repositories.length, 1);
  });
});

Deno.test("/healthz is behind the Host guard: a DNS-rebinding page cannot read repository names", async () => {
  await withApp({ platform: "github" }, async (fx) => {
    await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: fx.sandbox!.repository,
    });
    const rebound = await fx.request("/healthz", { headers: { host: "attacker.example:8787" } });
    const text = await rebound.text();
    assertEquals(rebound.status, 403, text);
    assert(!text.includes(fx.sandbox!.repository), text);
    const local = await healthz(fx, { host: "127.0.0.1:8787" });
    assertEquals(local.status, 200);
    assertEquals(local.body.repositories.length, 1);
  });
});
