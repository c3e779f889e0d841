import { assertEquals, assertThrows } from "../testing/assert.ts";
import { deliveryId, repositoryIn } from "./webhooks.ts";

const request = (headers: Record<string, string>) => ({
  headers: new Headers(headers),
  body: new Uint8Array(),
});

Deno.test("deliveryId() takes the first header present, trimmed; none is a payload error naming them", () => {
  const names = ["Idempotency-Key", "X-Gitlab-Event-UUID"];
  assertEquals(deliveryId(request({ "idempotency-key": " k-1 " }), "GitLab", "Issue Hook", names), "k-1");
  assertEquals(deliveryId(request({ "x-gitlab-event-uuid": "u-2" }), "GitLab", "Issue Hook", names), "u-2");
  assertEquals(
    deliveryId(
      request({ "idempotency-key": " ", "x-gitlab-event-uuid": "u-3" }),
      "GitLab",
      "Issue Hook",
      names,
    ),
    "u-3",
  );
  const error = assertThrows(
    () => deliveryId(request({}), "GitLab", "Issue Hook", names),
    'A GitLab "Issue Hook" delivery without Idempotency-Key or X-Gitlab-Event-UUID cannot be de-duplicated.',
  );
  assertEquals(error.name, "WebhookPayloadError");
});

Deno.test("repositoryIn() reads object.field when it is a path; otherwise a payload error naming it", () => {
  assertEquals(
    repositoryIn({ repository: { full_name: "o/r" } }, "GitHub", "issues", "repository", "full_name"),
    "o/r",
  );
  for (
    const body of [{}, { repository: {} }, { repository: { full_name: "no-slash" } }, { repository: "o/r" }]
  ) {
    const error = assertThrows(
      () => repositoryIn(body, "GitHub", "issues", "repository", "full_name"),
      'The GitHub "issues" payload has no repository.full_name.',
    );
    assertEquals(error.name, "WebhookPayloadError");
  }
});
