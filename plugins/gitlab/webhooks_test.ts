import { assert, assertEquals, assertFalse, assertThrows } from "../../src/testing/assert.ts";
import { webhookDelivery } from "../../src/testing/webhooks.ts";
import { WebhookPayloadError, type WebhookRequest } from "../../src/platform/mod.ts";
import gitlab from "./mod.ts";

const hooks = gitlab.webhooks!;
const SECRET = "gitlab-hook-token-42";

function request(headers: Record<string, string>, body: string): WebhookRequest {
  return { headers: new Headers(headers), body: new TextEncoder().encode(body) };
}

Deno.test("GitLab webhooks: X-Gitlab-Token must equal the secret exactly", async () => {
  assert(gitlab.capabilities.webhooks);
  const d = await webhookDelivery("gitlab", {
    secret: SECRET,
    repository: "acme/platform/widgets",
    issue: 3,
  });
  assert(await hooks.verify(request(d.headers, d.body), SECRET));
  for (const wrong of [`${SECRET}x`, SECRET.slice(0, -1), SECRET.toUpperCase(), `${SECRET} `, ""]) {
    assertFalse(await hooks.verify(request(d.headers, d.body), wrong), JSON.stringify(wrong));
  }
  const { "x-gitlab-token": _, ...noToken } = d.headers;
  assertFalse(await hooks.verify(request(noToken, d.body), SECRET));
  assertFalse(await hooks.verify(request({ ...noToken, "x-gitlab-token": "" }, d.body), ""));
});

Deno.test("GitLab webhooks: Issue Hook parses with the project id as an alias; other hooks are ignored", async () => {
  const d = await webhookDelivery("gitlab", {
    repository: "acme/platform/widgets",
    issue: 3,
    projectId: 77,
    deliveryId: "k-1",
  });
  assertEquals(hooks.parse(request(d.headers, d.body)), {
    delivery_id: "k-1",
    event: "Issue Hook.update",
    repository: "acme/platform/widgets",
    issue_numbers: [3],
    repository_aliases: ["77"],
  });
  const confidential = await webhookDelivery("gitlab", {
    repository: "acme/widgets",
    issue: 4,
    event: "Confidential Issue Hook",
  });
  assertEquals(hooks.parse(request(confidential.headers, confidential.body))?.issue_numbers, [4]);
  for (const event of ["Push Hook", "Note Hook", "Merge Request Hook", "System Hook"]) {
    const other = await webhookDelivery("gitlab", { repository: "acme/widgets", event });
    assertEquals(hooks.parse(request(other.headers, other.body)), null, event);
  }
});

Deno.test("GitLab webhooks: Idempotency-Key is preferred, X-Gitlab-Event-UUID is the fallback, none is refused", async () => {
  const d = await webhookDelivery("gitlab", { repository: "acme/widgets", issue: 1 });
  const headers = { ...d.headers, "idempotency-key": "stable-key", "x-gitlab-event-uuid": "per-attempt" };
  assertEquals(hooks.parse(request(headers, d.body))?.delivery_id, "stable-key");
  const { "idempotency-key": _, ...older } = headers;
  assertEquals(hooks.parse(request(older, d.body))?.delivery_id, "per-attempt");
  const { "x-gitlab-event-uuid": __, ...none } = older;
  const error = assertThrows(() => hooks.parse(request(none, d.body)), "Idempotency-Key");
  assert(error instanceof WebhookPayloadError);
  assertThrows(() => hooks.parse(request(d.headers, "{}")), "path_with_namespace");
  assertThrows(() => hooks.parse(request(d.headers, "")), "not a JSON object");
});
