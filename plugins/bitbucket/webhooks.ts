/**
 * Bitbucket Cloud webhooks: `X-Hub-Signature` (`sha256=` + hex HMAC-SHA256 of the raw body, sent
 * when the hook has a secret) checked in constant time, `X-Request-UUID` as the delivery id, and
 * the issue events (`issue:created`, `issue:updated`, `issue:comment_created`); everything else is
 * ignored.
 *
 * @module
 */
import {
  deliveryId,
  type PlatformWebhooks,
  readJsonBody,
  repositoryIn,
  verifySha256Signature,
  type WebhookEvent,
  type WebhookRequest,
} from "../../src/platform/mod.ts";

/** The `X-Event-Key` values that enqueue a reconcile. */
export const BITBUCKET_EVENTS: readonly string[] = [
  "issue:created",
  "issue:updated",
  "issue:comment_created",
];

/** Bitbucket webhook verification and parsing. */
export const bitbucketWebhooks: PlatformWebhooks = {
  verify: (request: WebhookRequest, secret: string): Promise<boolean> =>
    verifySha256Signature(request.body, secret, request.headers.get("x-hub-signature")),

  parse(request: WebhookRequest): WebhookEvent | null {
    const event = request.headers.get("x-event-key")?.trim() ?? "";
    if (!BITBUCKET_EVENTS.includes(event)) return null;
    const delivery = deliveryId(request, "Bitbucket", event, ["X-Request-UUID"]);
    const body = readJsonBody(request.body);
    const repository = repositoryIn(body, "Bitbucket", event, "repository", "full_name");
    const id = (body.issue as { id?: unknown } | undefined)?.id;
    return {
      delivery_id: delivery,
      event,
      repository,
      issue_numbers: Number.isSafeInteger(id) ? [id as number] : [],
    };
  },
};
