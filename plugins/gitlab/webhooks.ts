/**
 * GitLab webhooks: `X-Gitlab-Token` is the secret itself, compared in constant time;
 * `Idempotency-Key` (stable across retries, GitLab 17.4+) or else `X-Gitlab-Event-UUID` is the
 * delivery id; `Issue Hook` (and `Confidential Issue Hook`) events count, everything else is
 * ignored. The project's numeric id is reported as an alias of its path, since a configuration may
 * name the project by id.
 *
 * @module
 */
import {
  constantTimeEqual,
  deliveryId,
  type PlatformWebhooks,
  readJsonBody,
  repositoryIn,
  type WebhookEvent,
  type WebhookRequest,
} from "../../src/platform/mod.ts";

/** The `X-Gitlab-Event` values that enqueue a reconcile. */
export const GITLAB_EVENTS: readonly string[] = ["Issue Hook", "Confidential Issue Hook"];

/** GitLab webhook verification and parsing. */
export const gitlabWebhooks: PlatformWebhooks = {
  verify(request: WebhookRequest, secret: string): Promise<boolean> {
    const token = request.headers.get("x-gitlab-token");
    return Promise.resolve(token !== null && secret !== "" && constantTimeEqual(token, secret));
  },

  parse(request: WebhookRequest): WebhookEvent | null {
    const event = request.headers.get("x-gitlab-event")?.trim() ?? "";
    if (!GITLAB_EVENTS.includes(event)) return null;
    const delivery = deliveryId(request, "GitLab", event, ["Idempotency-Key", "X-Gitlab-Event-UUID"]);
    const body = readJsonBody(request.body);
    const repository = repositoryIn(body, "GitLab", event, "project", "path_with_namespace");
    const project = body.project as { id?: unknown };
    const attributes = body.object_attributes as { iid?: unknown; action?: unknown } | undefined;
    const iid = attributes?.iid;
    const action = typeof attributes?.action === "string" ? `.${attributes.action}` : "";
    return {
      delivery_id: delivery,
      event: `${event}${action}`,
      repository,
      issue_numbers: Number.isSafeInteger(iid) ? [iid as number] : [],
      repository_aliases: Number.isSafeInteger(project?.id) ? [String(project!.id)] : [],
    };
  },
};
