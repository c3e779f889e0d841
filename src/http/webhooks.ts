/**
 * `POST /webhooks/:platform` (SPEC §8): a forge tells forgesync that an issue changed, and a
 * reconcile of that repository is requested without waiting for it.
 *
 * Not behind the bearer token (forges cannot send it) but behind the delivery's signature or token,
 * checked in constant time with the secret read from the variable the configuration names
 * (`webhook_secret_name`). In order: body limit (413), platform (404), event (ignored events 200,
 * unreadable ones 400), then a signature made with the secret of a configured repository of that
 * name — anything else (repository not configured, no secret or its variable unset, a missing or
 * wrong signature) gets the same 401 and records nothing, so that a caller who cannot sign learns
 * nothing about what is configured (the reason goes to the server log); then the delivery id (a
 * redelivery answers 200 `duplicate: true` and requests nothing), then the delivery is recorded
 * and a pass requested: 202. Polling stays on as the fallback for missed deliveries.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { Effect, Option } from "effect";
import type { ToolRuntime } from "../mcp/tools/mod.ts";
import { type AppConfig, Config } from "../config.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { recordDelivery } from "../store/deliveries.ts";
import { Forges } from "../forges/forges.ts";
import { Sync } from "../sync/service.ts";
import {
  type PlatformPlugin,
  type WebhookEvent,
  WebhookPayloadError,
  type WebhookRequest,
} from "../platform/types.ts";
import { originGuard } from "./middleware.ts";
import { bodyGuard } from "./body_guard.ts";
import { log, registerSecret } from "../log.ts";

/** The largest webhook body accepted (forges cap theirs at 25 MB; issue events are a few KB). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const PLATFORM_ID = /^[a-z][a-z0-9_-]{0,30}$/;

/** The one answer to a delivery that is not signed with the secret of a configured repository. */
export const REFUSED = "The delivery's signature is missing or is not made with the webhook secret of a " +
  "repository configured here: nothing was recorded. Configure the repository with webhook_secret_name naming a " +
  "variable that holds the webhook's secret (the server log says which part is missing).";

/** A secret no one knows, to spend as long on a delivery no secret can check. */
const UNGUESSABLE = crypto.randomUUID() + crypto.randomUUID();

/** Why a delivery was refused, for the server log only. */
export function refusalReason(candidates: readonly RepoConfig[], secrets: number): string {
  if (candidates.length === 0) return "the repository is not configured on this platform";
  if (secrets > 0) return "the signature is missing or does not match the configured secret";
  const named = candidates.flatMap((cfg) => cfg.webhook_secret_name ?? []);
  return named.length === 0
    ? "the repository has no webhook_secret_name"
    : `webhook_secret_name names ${named.join(", ")}, which is not set in forgesync's environment`;
}

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
export function webhookRoutes(runtime: ToolRuntime, bodyTimeoutMs?: number): Hono {
  const config = runtime.runSync(Config.use(Effect.succeed));
  const app = new Hono();

  app.post(
    "/:platform",
    originGuard(),
    bodyGuard({
      maxBytes: WEBHOOK_BODY_LIMIT,
      timeoutMs: bodyTimeoutMs,
      tooLarge: (c) => c.json({ error: `Webhook body over ${WEBHOOK_BODY_LIMIT} bytes: refused.` }, 413),
      tooSlow: (c) => c.json({ error: "The webhook body arrived too slowly: refused." }, 408),
    }),
    (c) => runtime.runPromise(delivery(c, config)),
  );
  return app;
}

/** Answers one delivery: the whole request is one Effect, run once. */
const delivery = (c: Context, config: AppConfig) =>
  Effect.gen(function* () {
    const id = c.req.param("platform") ?? "";
    if (config.readOnly) {
      return c.json({
        error:
          "This forgesync runs read-only (FORGESYNC_READ_ONLY=true): webhook deliveries are not recorded " +
          "and no pass is requested. Restart it without FORGESYNC_READ_ONLY to accept them.",
      }, 403);
    }
    if (config.tier === "disabled") {
      return c.json({
        error: "The Git integration is disabled, so webhooks are not accepted. " +
          "Set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to enable it.",
      }, 404);
    }
    const plugin = PLATFORM_ID.test(id)
      ? yield* Forges.use((f) => f.plugin(id)).pipe(Effect.option)
      : Option.none();
    if (Option.isNone(plugin)) {
      return c.json({
        error: `No platform "${id.slice(0, 40)}": send webhooks to /webhooks/github, /webhooks/gitlab or ` +
          "/webhooks/bitbucket (or a platform loaded with FORGESYNC_PLUGINS).",
      }, 404);
    }
    if (plugin.value.webhooks === undefined) {
      return c.json({ error: `The ${plugin.value.name} plugin does not handle webhooks.` }, 404);
    }
    const body = yield* Effect.promise(() => c.req.arrayBuffer());
    return yield* handle(c, plugin.value, { headers: c.req.raw.headers, body: new Uint8Array(body) });
  });

const handle = (c: Context, plugin: PlatformPlugin, request: WebhookRequest) =>
  Effect.gen(function* () {
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
    const configs = yield* Configs.use((s) => s.list());
    const env = (yield* Config).env;
    const candidates = matchingConfigs(configs, plugin.id, event);
    const repository = event.repository.slice(0, 200);
    const secrets = candidates.flatMap((cfg) => {
      const secret = cfg.webhook_secret_name === null ? "" : env(cfg.webhook_secret_name)?.trim() ?? "";
      registerSecret(secret);
      return secret === "" ? [] : [{ cfg, secret }];
    });
    const verified: RepoConfig[] = [];
    for (const { cfg, secret } of secrets) {
      if (yield* Effect.promise(() => hooks.verify(request, secret))) verified.push(cfg);
    }
    if (secrets.length === 0) {
      // As much work as a real check, so that the time taken does not tell either.
      yield* Effect.promise(() => hooks.verify(request, UNGUESSABLE));
    }
    if (verified.length === 0) {
      // One answer for "not configured", "no secret", "secret unset" and "wrong or missing signature":
      // a caller who cannot sign learns nothing about which repositories are configured. The reason
      // is for the operator, in the server log.
      log.warn(`webhook refused: ${refusalReason(candidates, secrets.length)}`, {
        platform: plugin.id,
        repository,
        delivery: event.delivery_id.slice(0, 200),
      });
      return c.json({ error: REFUSED }, 401);
    }
    const enqueue = verified.filter((cfg) => cfg.auto_sync_enabled);
    const fresh = yield* recordDelivery({
      platform: plugin.id,
      delivery_id: event.delivery_id.slice(0, 200),
      config_id: verified[0]!.config_id,
      repository: event.repository.slice(0, 500),
      event: event.event.slice(0, 100),
      issue_numbers: event.issue_numbers.slice(0, 100),
      status: enqueue.length > 0 ? "enqueued" : "ignored",
    });
    if (!fresh) {
      return c.json({ duplicate: true, delivery_id: event.delivery_id }, 200);
    }
    // Requested, not awaited: the answer goes out before the pass.
    for (const cfg of enqueue) yield* Effect.forkDetach(Sync.use((s) => s.enqueue(cfg.config_id)));
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
    return c.json(
      { delivery_id: event.delivery_id, enqueued: true, repository: verified[0]!.repository },
      202,
    );
  });
