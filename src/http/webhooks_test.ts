import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { type Delivery, webhookDelivery, type WebhookPlatform } from "../testing/webhooks.ts";
import { type AppFixture, eventually, withApp } from "./test_support.ts";
import { WEBHOOK_BODY_LIMIT } from "./webhooks.ts";

const SECRET_VAR = "FORGESYNC_TEST_WEBHOOK_SECRET";
const SECRET = `whsec-${crypto.randomUUID()}`;
const PLATFORMS: readonly WebhookPlatform[] = ["github", "gitlab", "bitbucket"];

function post(fx: AppFixture, platform: string, d: Pick<Delivery, "headers" | "body">): Promise<Response> {
  return fx.request(`/webhooks/${platform}`, { method: "POST", headers: d.headers, body: d.body });
}

async function configure(
  fx: AppFixture,
  platform: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { config } = await fx.tool("orchestrator_git_integration", {
    action: "configure",
    platform,
    repository: fx.sandbox!.repository,
    webhook_secret_name: SECRET_VAR,
    ...extra,
  });
  return config.repository;
}

const runs = async (fx: AppFixture) =>
  Number((await fx.query<{ n: number }>("SELECT COUNT(*) AS n FROM sync_status_logs"))[0]!.n);

const waitForRuns = (fx: AppFixture, n: number) =>
  eventually(`${n} pass(es) logged`, async () => ((await runs(fx)) >= n ? true : undefined));

for (const platform of PLATFORMS) {
  Deno.test(`webhooks (${platform}): a signed delivery is answered 202 before its pass, which pulls the remote edit; a replay requests nothing`, async () => {
    await withApp({ platform, env: { [SECRET_VAR]: SECRET } }, async (fx) => {
      const repository = await configure(fx, platform);
      const { task } = await fx.tool("orchestrator_task", { action: "create", title: "Before the webhook" });
      const { link } = await fx.tool("orchestrator_git_integration", {
        action: "create_issue",
        task_id: task.task_id,
      });
      await fx.sandbox!.remoteEdit(link.issue_number, { title: "Edited on the forge" });
      const titleIs = (title: string) => async () => {
        const rows = await fx.query<{ title: string }>("SELECT title FROM tasks WHERE task_id = ?", [
          task.task_id,
        ]);
        return rows[0]!.title === title ? true : undefined;
      };

      fx.gate.hold();
      const d = await webhookDelivery(platform, { secret: SECRET, repository, issue: link.issue_number });
      const accepted = await post(fx, platform, d);
      assertEquals(accepted.status, 202);
      assertEquals(await accepted.json(), { delivery_id: d.deliveryId, enqueued: true, repository });
      // The pass was requested and is waiting for its first answer from the forge: the handler
      // answered without waiting for it.
      await eventually("the pass's first request", () => Promise.resolve(fx.gate.waiting > 0 || undefined));
      assertEquals(await runs(fx), 0);
      const recorded = await fx.query(
        "SELECT platform, delivery_id, repository, status FROM webhook_deliveries",
      );
      assertEquals(recorded, [{ platform, delivery_id: d.deliveryId, repository, status: "enqueued" }]);
      fx.gate.release();
      await eventually("the webhook's pass pulls the remote title", titleIs("Edited on the forge"));
      await waitForRuns(fx, 1);

      const replay = await post(fx, platform, d);
      assertEquals(replay.status, 200);
      assertEquals(await replay.json(), { duplicate: true, delivery_id: d.deliveryId });

      // A later delivery runs one more pass: had the replay requested one, three would be logged.
      await fx.sandbox!.remoteEdit(link.issue_number, { title: "Edited again" });
      const next = await webhookDelivery(platform, { secret: SECRET, repository, issue: link.issue_number });
      assertEquals((await post(fx, platform, next)).status, 202);
      await eventually("the second delivery's pass", titleIs("Edited again"));
      await waitForRuns(fx, 2);
      assertEquals(await runs(fx), 2);
      assertEquals((await fx.query("SELECT * FROM webhook_deliveries")).length, 2);
    });
  });

  Deno.test(`webhooks (${platform}): a wrong or missing signature is refused 401 and nothing is recorded`, async () => {
    await withApp({ platform, env: { [SECRET_VAR]: SECRET } }, async (fx) => {
      const repository = await configure(fx, platform);
      const deliveryId = crypto.randomUUID();
      const forged = await webhookDelivery(platform, {
        secret: `${SECRET}x`,
        repository,
        issue: 1,
        deliveryId,
      });
      const refused = await post(fx, platform, forged);
      assertEquals(refused.status, 401);
      const message = await refused.text();
      assertStringIncludes(message, "signature");
      assert(!message.includes(SECRET), "the secret appeared in the answer");
      const unsigned = await webhookDelivery(platform, { repository, issue: 1, deliveryId });
      assertEquals((await post(fx, platform, unsigned)).status, 401);
      const good = await webhookDelivery(platform, { secret: SECRET, repository, issue: 1, deliveryId });
      const tampered = {
        headers: good.headers,
        body: good.body.replace(`"${repository}"`, `"${repository}" `),
      };
      assertEquals(
        (await post(fx, platform, tampered)).status,
        platform === "gitlab" ? 202 : 401,
        "GitLab's token does not cover the body; the HMACs do",
      );
      if (platform !== "gitlab") {
        assertEquals(await fx.query("SELECT * FROM webhook_deliveries"), []);
        // The refused deliveries left no trace: the genuine one with the same id is accepted.
        assertEquals((await post(fx, platform, good)).status, 202);
      }
      await waitForRuns(fx, 1);
    });
  });
}

Deno.test("webhooks: unknown platforms are 404 saying which", async () => {
  await withApp({ platform: "github", env: { [SECRET_VAR]: SECRET } }, async (fx) => {
    await configure(fx, "github");
    const d = await webhookDelivery("github", { secret: SECRET, repository: "someone/elsewhere", issue: 1 });
    for (const platform of ["gitea", "GitHub", "git%20hub", "x".repeat(50)]) {
      const unknown = await post(fx, platform, d);
      assertEquals(unknown.status, 404, platform);
      assertStringIncludes(await unknown.text(), "/webhooks/github");
    }
    assertEquals(await fx.query("SELECT * FROM webhook_deliveries"), []);
  });
});

for (const platform of PLATFORMS) {
  Deno.test(`webhooks (${platform}): an unsigned or wrongly signed delivery gets one answer, whether or not its repository is configured`, async () => {
    await withApp({ platform, env: { [SECRET_VAR]: SECRET } }, async (fx) => {
      const configured = fx.sandbox!.repository;
      // Another configured repository of the same platform has no secret at all.
      const bare = platform === "gitlab" ? "acme/tools/bare" : "acme/bare";
      await fx.tool("orchestrator_git_integration", { action: "configure", platform, repository: bare });
      await configure(fx, platform);
      const unknown = platform === "gitlab" ? "someone/else/where" : "someone/elsewhere";
      const answers = new Set<string>();
      for (const repository of [configured, bare, unknown]) {
        for (const secret of [undefined, `${SECRET}x`]) {
          const d = await webhookDelivery(platform, { secret, repository, issue: 1 });
          const answer = await post(fx, platform, d);
          const text = await answer.text();
          assert(!text.includes(SECRET), "the secret appeared in the answer");
          answers.add(`${answer.status} ${text}`);
        }
      }
      // A configured repository whose secret variable is unset answers the same too.
      await configure(fx, platform, { webhook_secret_name: "FORGESYNC_UNSET_WEBHOOK_SECRET" });
      const unset = await post(
        fx,
        platform,
        await webhookDelivery(platform, { repository: configured, issue: 1 }),
      );
      answers.add(`${unset.status} ${await unset.text()}`);
      assertEquals(answers.size, 1, [...answers].join("\n"));
      assertStringIncludes([...answers][0]!, "401 ");
      assertEquals(await fx.query("SELECT * FROM webhook_deliveries"), []);
    });
  });
}

Deno.test("webhooks: bodies over 1 MB are refused 413, with or without a content-length", async () => {
  await withApp({ platform: "github", env: { [SECRET_VAR]: SECRET } }, async (fx) => {
    const repository = await configure(fx, "github");
    const d = await webhookDelivery("github", { secret: SECRET, repository, issue: 1 });
    const over = "x".repeat(WEBHOOK_BODY_LIMIT + 1);
    const sized = await post(fx, "github", { headers: d.headers, body: over });
    assertEquals(sized.status, 413);
    assertStringIncludes(await sized.text(), "over");
    const bytes = new TextEncoder().encode(over);
    const streamed = await fx.request("/webhooks/github", {
      method: "POST",
      headers: d.headers,
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    assertEquals(streamed.status, 413);
    // At the limit the body is read (and refused for what it is, not for its size).
    const atLimit = await post(fx, "github", { headers: d.headers, body: over.slice(1) });
    assertEquals(atLimit.status, 400);
    assertStringIncludes(await atLimit.text(), "not a JSON object");
    assertEquals(await fx.query("SELECT * FROM webhook_deliveries"), []);
  });
});

Deno.test("webhooks: ignored events answer 200 and record nothing; unreadable ones are 400", async () => {
  await withApp({ platform: "github", env: { [SECRET_VAR]: SECRET } }, async (fx) => {
    const repository = await configure(fx, "github");
    for (const event of ["push", "ping"]) {
      const d = await webhookDelivery("github", { secret: SECRET, repository, event });
      const ignored = await post(fx, "github", d);
      assertEquals(ignored.status, 200);
      assertEquals((await ignored.json()).ignored, true);
    }
    const bad = await webhookDelivery("github", { secret: SECRET, repository, body: "{not json" });
    const refused = await post(fx, "github", bad);
    assertEquals(refused.status, 400);
    assertStringIncludes(await refused.text(), "not a JSON object");
    assertEquals(await fx.query("SELECT * FROM webhook_deliveries"), []);
  });
});

Deno.test("webhooks: with auto sync off a delivery is recorded as ignored and requests no pass", async () => {
  await withApp({ platform: "bitbucket", env: { [SECRET_VAR]: SECRET } }, async (fx) => {
    const repository = await configure(fx, "bitbucket", { auto_sync_enabled: false });
    const d = await webhookDelivery("bitbucket", { secret: SECRET, repository, issue: 1 });
    const answer = await post(fx, "bitbucket", d);
    assertEquals(answer.status, 200);
    const body = await answer.json();
    assertEquals(body.enqueued, false);
    assertStringIncludes(body.reason, "auto_sync_enabled");
    assertEquals(await fx.query("SELECT status FROM webhook_deliveries"), [{ status: "ignored" }]);
  });
});

Deno.test("webhooks: a GitLab project configured by its numeric id matches the delivery's project id", async () => {
  await withApp({ platform: "gitlab", env: { [SECRET_VAR]: SECRET } }, async (fx) => {
    await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "gitlab",
      repository: "4242",
      webhook_secret_name: SECRET_VAR,
    });
    const d = await webhookDelivery("gitlab", {
      secret: SECRET,
      repository: fx.sandbox!.repository,
      projectId: 4242,
      issue: 1,
    });
    const answer = await post(fx, "gitlab", d);
    assertEquals(answer.status, 202);
    assertEquals((await answer.json()).repository, "4242");
    await waitForRuns(fx, 1);
  });
});

Deno.test("webhooks: not behind the bearer token, and refused while the integration is disabled", async () => {
  await withApp(
    { platform: "github", env: { [SECRET_VAR]: SECRET, FORGESYNC_HTTP_TOKEN: "t0ken-for-mcp" } },
    async (fx) => {
      const repository = await configure(fx, "github");
      const d = await webhookDelivery("github", { secret: SECRET, repository, issue: 1 });
      assertEquals((await post(fx, "github", d)).status, 202);
      assertEquals((await fx.request("/mcp", { method: "POST", body: "{}" })).status, 401);
      await waitForRuns(fx, 1);
    },
  );
  await withApp({ env: { [SECRET_VAR]: SECRET } }, async (fx) => {
    const d = await webhookDelivery("github", { secret: SECRET, repository: "octo-org/widgets", issue: 1 });
    const disabled = await post(fx, "github", d);
    assertEquals(disabled.status, 404);
    assertStringIncludes(await disabled.text(), "MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true");
  });
});
