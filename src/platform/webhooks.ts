/**
 * Webhooks in the plugin contract: a delivery as received, the event a plugin reads from it, and
 * the verification and parsing a plugin with the `webhooks` capability offers. The signature
 * helpers are in `webhook_signature.ts`.
 *
 * @module
 */

/** A verified, parsed webhook delivery. */
export interface WebhookEvent {
  /** The idempotency key (GitHub X-GitHub-Delivery, GitLab Idempotency-Key, Bitbucket X-Request-UUID). */
  readonly delivery_id: string;
  /** The event name as the forge calls it. */
  readonly event: string;
  /** The repository, canonical path. */
  readonly repository: string;
  /** Issue numbers the event touches (may be empty). */
  readonly issue_numbers: readonly number[];
  /** Other names of the same repository a configuration may use (GitLab: the numeric project id). */
  readonly repository_aliases?: readonly string[];
}

/** A webhook delivery as received: its headers and its raw body, byte for byte. */
export interface WebhookRequest {
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/**
 * Webhook handling of a platform (capability `webhooks`). Stateless: the core finds the
 * configuration of the event's repository, reads its secret from the variable the configuration
 * names, verifies, de-duplicates by delivery id and enqueues a reconcile.
 */
export interface PlatformWebhooks {
  /** Whether the delivery carries a valid signature or token for `secret`, compared in constant time. */
  verify(request: WebhookRequest, secret: string): Promise<boolean>;
  /**
   * The event of a delivery, or null for events forgesync ignores (pushes, pings…). Throws a
   * {@link WebhookPayloadError} when a relevant event's headers or body cannot be read.
   */
  parse(request: WebhookRequest): WebhookEvent | null;
}

/** A webhook delivery that claims a relevant event but cannot be read (bad JSON, missing header). */
export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
}

/**
 * The delivery id of a relevant event: the first of the `headers` (named as the forge spells them)
 * that the delivery carries. Throws a {@link WebhookPayloadError} naming them when none is there:
 * a delivery without its id cannot be de-duplicated.
 *
 * @example
 * ```ts
 * import { deliveryId } from "./webhooks.ts";
 * const request = { headers: new Headers({ "x-github-delivery": "d-1" }), body: new Uint8Array() };
 * deliveryId(request, "GitHub", "issues", ["X-GitHub-Delivery"]); // "d-1"
 * ```
 */
export function deliveryId(
  request: WebhookRequest,
  forge: string,
  event: string,
  headers: readonly string[],
): string {
  for (const name of headers) {
    const value = request.headers.get(name)?.trim();
    if (value) return value;
  }
  throw new WebhookPayloadError(
    `A ${forge} "${event}" delivery without ${headers.join(" or ")} cannot be de-duplicated.`,
  );
}

/**
 * The repository a delivery's JSON names at `object.field` (`repository.full_name`,
 * `project.path_with_namespace`): a path with a slash. Throws a {@link WebhookPayloadError} when it
 * is missing.
 *
 * @example
 * ```ts
 * import { repositoryIn } from "./webhooks.ts";
 * repositoryIn({ repository: { full_name: "o/r" } }, "GitHub", "issues", "repository", "full_name"); // "o/r"
 * ```
 */
export function repositoryIn(
  body: Readonly<Record<string, unknown>>,
  forge: string,
  event: string,
  object: string,
  field: string,
): string {
  const value = (body[object] as Record<string, unknown> | undefined)?.[field];
  if (typeof value !== "string" || !value.includes("/")) {
    throw new WebhookPayloadError(`The ${forge} "${event}" payload has no ${object}.${field}.`);
  }
  return value;
}
