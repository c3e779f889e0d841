/**
 * `POST /webhooks/:platform` (SPEC §8): a forge tells forgesync that an issue changed, and a
 * reconcile of that repository is requested without waiting for it.
 *
 * Not behind the bearer token (forges cannot send it) but behind the delivery's signature or token,
 * checked in constant time with the secret read from the variable the configuration names
 * (`webhook_secret_name`). In order: body limit (413), platform (404), event (ignored events 200,
 * unreadable ones 400), configured repository (404), configured secret (403), signature (401,
 * nothing recorded), delivery id (a redelivery answers 200 `duplicate: true` and requests
 * nothing), then the delivery is recorded and a pass requested: 202. Polling stays on as the
 * fallback for missed deliveries.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Effect } from "effect";
import type { AppRuntime } from "../app.ts";
import { Config } from "../config.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { recordDelivery } from "../store/deliveries.ts";
import { Forges } from "../sync/forges.ts";
import { Sync } from "../sync/service.ts";
import {
  type PlatformPlugin,
  type WebhookEvent,
  WebhookPayloadError,
  type WebhookRequest,
} from "../platform/types.ts";
import { originGuard } from "./middleware.ts";
import { log, registerSecret } from "../log.ts";

/** The largest webhook body accepted (forges cap theirs at 25 MB; issue events are a few KB). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const PLATFORM_ID = /^[a-z][a-z0-9_-]{0,30}$/;

/** The configurations an event may concern: its platform, its repository or one of its aliases. */
export function matchingConfigs(
  configs: readonly RepoConfig[],
  platform: string,
  event: WebhookEvent,
): RepoConfig[] {
  const names = new Set([event.repository, ...(event.repository_aliases ?? [])].map((n) => n.toLowerCase()));
  return configs.filter((c) => c.platform === platform && names.has(c.repository.toLowerCase()));
}

/** The webhook routes, to mount under `/webhooks`. */
export function webhookRoutes(runtime: AppRuntime): Hono {
  const config = runtime.runSync(Config.use(Effect.succeed));
  const app = new Hono();

  app.post(
    "/:platform",
    originGuard(),
    bodyLimit({
      maxSize: WEBHOOK_BODY_LIMIT,
      onError: (c) => c.json({ error: `Webhook body over ${WEBHOOK_BODY_LIMIT} bytes: refused.` }, 413),
    }),
    async (c) => {
      const id = c.req.param("platform");
      if (config.tier === "disabled") {
        return c.json({
          error: "The Git integration is disabled, so webhooks are not accepted. " +
            "Set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to enable it.",
        }, 404);
      }
      const plugin = PLATFORM_ID.test(id)
        ? await runtime.runPromise(Forges.use((f) => f.plugin(id)).pipe(Effect.option))
        : undefined;
      if (plugin === undefined || plugin._tag === "None") {
        return c.json({
          error: `No platform "${id.slice(0, 40)}": send webhooks to /webhooks/github, /webhooks/gitlab or ` +
            "/webhooks/bitbucket (or a platform loaded with FORGESYNC_PLUGINS).",
        }, 404);
      }
      const hooks = plugin.value.webhooks;
      if (hooks === undefined) {
        return c.json({ error: `The ${plugin.value.name} plugin does not handle webhooks.` }, 404);
      }
      const request: WebhookRequest = {
        headers: c.req.raw.headers,
        body: new Uint8Array(await c.req.arrayBuffer()),
      };
      return await handle(c, runtime, plugin.value, request);
    },
  );
  return app;
}

async function handle(
  c: Context,
  runtime: AppRuntime,
  plugin: PlatformPlugin,
  request: WebhookRequest,
): Promise<Response> {
  const hooks = plugin.webhooks!;
  let event: WebhookEvent | null;
  try {
    event = hooks.parse(request);
  } catch (error) {
    const message = error instanceof WebhookPayloadError
      ? error.message
      : `The ${plugin.name} webhook could not be read.`;
    if (!(error instanceof WebhookPayloadError)) {
      log.warn("webhook parse failed", { platform: plugin.id, error: String(error) });
    }
    return c.json({ error: message }, 400);
  }
  if (event === null) {
    return c.json({ ignored: true, message: `forgesync does not act on this ${plugin.name} event.` }, 200);
  }
  const { configs, env } = await runtime.runPromise(Effect.gen(function* () {
    const all = yield* Configs.use((s) => s.list());
    const app = yield* Config;
    return { configs: all, env: app.env };
  }));
  const candidates = matchingConfigs(configs, plugin.id, event);
  const repository = event.repository.slice(0, 200);
  if (candidates.length === 0) {
    return c.json({
      error: `Repository "${repository}" is not configured on ${plugin.id}: configure it with ` +
        `orchestrator_git_integration {action:"configure", platform:"${plugin.id}", repository:"${repository}", ` +
        `webhook_secret_name:"…"} or remove this webhook.`,
    }, 404);
  }
  const withName = candidates.filter((cfg) => cfg.webhook_secret_name !== null);
  if (withName.length === 0) {
    return c.json({
      error: `Repository "${repository}" has no webhook secret configured: set webhook_secret_name to the ` +
        `name of an environment variable holding the webhook's secret, with orchestrator_git_integration ` +
        `{action:"configure", platform:"${plugin.id}", repository:"${repository}", webhook_secret_name:"…"}.`,
    }, 403);
  }
  const secrets = withName.flatMap((cfg) => {
    const secret = env(cfg.webhook_secret_name!)?.trim() ?? "";
    registerSecret(secret);
    return secret === "" ? [] : [{ cfg, secret }];
  });
  if (secrets.length === 0) {
    return c.json({
      error: `webhook_secret_name of repository "${repository}" names ${
        withName.map((cfg) => cfg.webhook_secret_name).join(", ")
      }, which is not set in forgesync's environment: set it to the webhook's secret and restart.`,
    }, 403);
  }
  const verified: RepoConfig[] = [];
  for (const { cfg, secret } of secrets) {
    if (await hooks.verify(request, secret)) verified.push(cfg);
  }
  if (verified.length === 0) {
    log.warn("webhook refused: bad signature", {
      platform: plugin.id,
      repository,
      delivery: event.delivery_id,
    });
    return c.json({
      error: `The ${plugin.name} delivery's signature does not match the secret of "${repository}": ` +
        "check that the webhook's secret equals the value of the variable webhook_secret_name names.",
    }, 401);
  }
  const enqueue = verified.filter((cfg) => cfg.auto_sync_enabled);
  const fresh = await runtime.runPromise(recordDelivery({
    platform: plugin.id,
    delivery_id: event.delivery_id.slice(0, 200),
    config_id: verified[0]!.config_id,
    repository: event.repository.slice(0, 500),
    event: event.event.slice(0, 100),
    issue_numbers: event.issue_numbers.slice(0, 100),
    status: enqueue.length > 0 ? "enqueued" : "ignored",
  }));
  if (!fresh) {
    return c.json({ duplicate: true, delivery_id: event.delivery_id }, 200);
  }
  for (const cfg of enqueue) runtime.runFork(Sync.use((s) => s.enqueue(cfg.config_id)));
  log.info("webhook accepted", {
    platform: plugin.id,
    repository,
    event: event.event,
    delivery: event.delivery_id,
    enqueued: enqueue.length > 0,
  });
  if (enqueue.length === 0) {
    return c.json({
      delivery_id: event.delivery_id,
      enqueued: false,
      reason: `auto_sync_enabled is off for "${repository}": no pass was requested.`,
    }, 200);
  }
  return c.json({ delivery_id: event.delivery_id, enqueued: true, repository: verified[0]!.repository }, 202);
}
