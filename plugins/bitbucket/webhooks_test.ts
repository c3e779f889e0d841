import { createHmac } from "node:crypto";
import { assert, assertEquals, assertFalse, assertThrows } from "../../src/testing/assert.ts";
import { webhookDelivery } from "../../src/testing/webhooks.ts";
import { WebhookPayloadError, type WebhookRequest } from "../../src/platform/mod.ts";
import bitbucket from "./mod.ts";

const hooks = bitbucket.webhooks!;
const SECRET = "bitbucket secret";

function request(headers: Record<string, string>, body: string): WebhookRequest {
  return { headers: new Headers(headers), body: new TextEncoder().encode(body) };
}

Deno.test("Bitbucket webhooks: X-Hub-Signature sha256 HMAC is accepted; anything else is refused", async () => {
  assert(bitbucket.capabilities.webhooks);
  const d = await webhookDelivery("bitbucket", { secret: SECRET, repository: "acme/widgets", issue: 5 });
  assert(await hooks.verify(request(d.headers, d.body), SECRET));
  const own = `sha256=${createHmac("sha256", SECRET).update(d.body).digest("hex")}`;
  assertEquals(d.headers["x-hub-signature"], own);
  assertFalse(await hooks.verify(request(d.headers, d.body), "other"));
  assertFalse(await hooks.verify(request(d.headers, `${d.body} `), SECRET));
  const { "x-hub-signature": _, ...unsigned } = d.headers;
  assertFalse(
    await hooks.verify(request(unsigned, d.body), SECRET),
    "a hook without a secret sends no signature",
  );
  const sha1 = `sha1=${createHmac("sha1", SECRET).update(d.body).digest("hex")}`;
  assertFalse(await hooks.verify(request({ ...unsigned, "x-hub-signature": sha1 }, d.body), SECRET));
  // GitHub's header name is not Bitbucket's.
  assertFalse(await hooks.verify(request({ ...unsigned, "x-hub-signature-256": own }, d.body), SECRET));
});

Deno.test("Bitbucket webhooks: issue events parse; repository pushes and pull requests are ignored", async () => {
  for (const event of ["issue:created", "issue:updated", "issue:comment_created"]) {
    const d = await webhookDelivery("bitbucket", {
      repository: "acme/widgets",
      issue: 9,
      event,
      deliveryId: event,
    });
    assertEquals(hooks.parse(request(d.headers, d.body)), {
      delivery_id: event,
      event,
      repository: "acme/widgets",
      issue_numbers: [9],
    });
  }
  for (const event of ["repo:push", "pullrequest:created", "repo:updated"]) {
    const d = await webhookDelivery("bitbucket", { repository: "acme/widgets", event });
    assertEquals(hooks.parse(request(d.headers, d.body)), null, event);
  }
});

Deno.test("Bitbucket webhooks: no X-Request-UUID or no repository is refused", async () => {
  const d = await webhookDelivery("bitbucket", { repository: "acme/widgets", issue: 1 });
  const { "x-request-uuid": _, ...noId } = d.headers;
  assert(
    assertThrows(() => hooks.parse(request(noId, d.body)), "X-Request-UUID") instanceof WebhookPayloadError,
  );
  assertThrows(() => hooks.parse(request(d.headers, '{"issue":{"id":1}}')), "repository.full_name");
});
