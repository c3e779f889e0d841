import { createHmac } from "node:crypto";
import { assert, assertEquals, assertFalse, assertThrows } from "../../src/testing/assert.ts";
import { webhookDelivery } from "../../src/testing/webhooks.ts";
import { WebhookPayloadError, type WebhookRequest } from "../../src/platform/mod.ts";
import github from "./mod.ts";

const hooks = github.webhooks!;
const SECRET = "It's a Secret to Everybody";

function request(headers: Record<string, string>, body: string | Uint8Array): WebhookRequest {
  return {
    headers: new Headers(headers),
    body: typeof body === "string" ? new TextEncoder().encode(body) : body,
  };
}

Deno.test("GitHub webhooks: capability set and GitHub's documented test vector verifies", async () => {
  assert(github.capabilities.webhooks);
  // The example of GitHub's "Validating webhook deliveries" page.
  const ok = request({
    "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
  }, "Hello, World!");
  assert(await hooks.verify(ok, SECRET));
  assertFalse(await hooks.verify(ok, `${SECRET}!`));
});

Deno.test("GitHub webhooks: a real HMAC is accepted; a wrong secret, a changed body or a bad header are refused", async () => {
  const d = await webhookDelivery("github", { secret: SECRET, repository: "octo-org/widgets", issue: 7 });
  assert(await hooks.verify(request(d.headers, d.body), SECRET));
  assertFalse(await hooks.verify(request(d.headers, d.body), "another secret"));
  assertFalse(await hooks.verify(request(d.headers, d.body.replace("Edited", "Edites")), SECRET));
  const { "x-hub-signature-256": signature, ...unsigned } = d.headers;
  assertFalse(await hooks.verify(request(unsigned, d.body), SECRET));
  for (
    const bad of [
      signature!.replace("sha256=", "sha1="),
      signature!.slice(0, -2),
      signature!.slice(0, -1) + "g",
      `${signature}00`,
      "sha256=",
      "",
    ]
  ) {
    assertFalse(
      await hooks.verify(request({ ...unsigned, "x-hub-signature-256": bad }, d.body), SECRET),
      bad,
    );
  }
  assertFalse(await hooks.verify(request(d.headers, d.body), ""), "an empty secret verifies nothing");
});

Deno.test("GitHub webhooks: the signature covers the raw bytes, even when they are not UTF-8", async () => {
  const body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d]);
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  assert(await hooks.verify(request({ "x-hub-signature-256": signature }, body), SECRET));
  assertFalse(await hooks.verify(request({ "x-hub-signature-256": signature }, body.slice(0, -1)), SECRET));
});

Deno.test("GitHub webhooks: issues and milestone events parse; push and ping are ignored", async () => {
  const issue = await webhookDelivery("github", {
    repository: "Octo-Org/Widgets",
    issue: 12,
    deliveryId: "d-1",
  });
  assertEquals(hooks.parse(request(issue.headers, issue.body)), {
    delivery_id: "d-1",
    event: "issues.edited",
    repository: "Octo-Org/Widgets",
    issue_numbers: [12],
  });
  const milestone = await webhookDelivery("github", { repository: "octo-org/widgets", event: "milestone" });
  assertEquals(hooks.parse(request(milestone.headers, milestone.body))?.issue_numbers, []);
  for (const event of ["push", "ping", "pull_request", "projects_v2_item"]) {
    const other = await webhookDelivery("github", { repository: "octo-org/widgets", event });
    assertEquals(hooks.parse(request(other.headers, other.body)), null, event);
  }
});

Deno.test("GitHub webhooks: a relevant event without a delivery id or with a bad body is refused", async () => {
  const d = await webhookDelivery("github", { repository: "octo-org/widgets", issue: 1 });
  const { "x-github-delivery": _, ...noId } = d.headers;
  const missing = assertThrows(() => hooks.parse(request(noId, d.body)), "X-GitHub-Delivery");
  assert(missing instanceof WebhookPayloadError);
  assertThrows(() => hooks.parse(request(d.headers, "{not json")), "not a JSON object");
  assertThrows(() => hooks.parse(request(d.headers, "[1]")), "not a JSON object");
  assertThrows(() => hooks.parse(request(d.headers, '{"action":"edited"}')), "repository.full_name");
});

Deno.test("GitHub webhooks: a form-encoded delivery is verified over its raw body and read from payload", async () => {
  const json = await webhookDelivery("github", {
    repository: "octo-org/widgets",
    issue: 3,
    deliveryId: "f-1",
  });
  const body = new URLSearchParams({ payload: json.body }).toString();
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const headers = {
    ...json.headers,
    "content-type": "application/x-www-form-urlencoded",
    "x-hub-signature-256": signature,
  };
  assert(await hooks.verify(request(headers, body), SECRET));
  assertEquals(hooks.parse(request(headers, body))?.issue_numbers, [3]);
  assertThrows(() => hooks.parse(request(headers, "other=1")), "no payload field");
});
