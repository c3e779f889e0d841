/**
 * GitHub webhooks: `X-Hub-Signature-256` (`sha256=` + hex HMAC-SHA256 of the raw body) checked in
 * constant time, `X-GitHub-Delivery` as the delivery id (the same on a redelivery), and the events
 * that can change a linked issue: `issues` and `milestone`. Everything else (push, ping…) is ignored.
 * Both content types a GitHub webhook can send are read (JSON, or form-encoded with a `payload` field).
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
  WebhookPayloadError,
  type WebhookRequest,
} from "../../src/platform/mod.ts";

/** The events that enqueue a reconcile. */
export const GITHUB_EVENTS: readonly string[] = ["issues", "milestone"];

/**
 * The event's JSON: the body itself (content type `application/json`) or its `payload` field
 * (`application/x-www-form-urlencoded`, which a webhook may be set to send).
 */
function payload(request: WebhookRequest): Record<string, unknown> {
  const type = request.headers.get("content-type")?.toLowerCase() ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) return readJsonBody(request.body);
  const json = new URLSearchParams(new TextDecoder().decode(request.body)).get("payload");
  if (json === null) throw new WebhookPayloadError("The form-encoded GitHub delivery has no payload field.");
  return readJsonBody(new TextEncoder().encode(json));
}

/** GitHub webhook verification and parsing. */
export const githubWebhooks: PlatformWebhooks = {
  verify: (request: WebhookRequest, secret: string): Promise<boolean> =>
    verifySha256Signature(request.body, secret, request.headers.get("x-hub-signature-256")),

  parse(request: WebhookRequest): WebhookEvent | null {
    const event = request.headers.get("x-github-event")?.trim() ?? "";
    if (!GITHUB_EVENTS.includes(event)) return null;
    const delivery = deliveryId(request, "GitHub", event, ["X-GitHub-Delivery"]);
    const body = payload(request);
    const repository = repositoryIn(body, "GitHub", event, "repository", "full_name");
    const number = (body.issue as { number?: unknown } | undefined)?.number;
    const action = typeof body.action === "string" ? `.${body.action}` : "";
    return {
      delivery_id: delivery,
      event: `${event}${action}`,
      repository,
      issue_numbers: Number.isSafeInteger(number) ? [number as number] : [],
    };
  },
};
