import { assertEquals } from "../testing/assert.ts";
import { type CachedAnswer, MemoryAnswers } from "../platform/forge_fetch.ts";
import { countingUnanswered, jsonAnswersOnly } from "./forges.ts";

const answer = (url: string, body: string): CachedAnswer => ({
  url,
  etag: `"${url.length}"`,
  status: 200,
  headers: [["content-type", "application/json"]],
  body,
});

Deno.test("jsonAnswersOnly() keeps JSON answers", async () => {
  const memory = new MemoryAnswers();
  const store = jsonAnswersOnly(memory);
  store.put(answer("https://forge.test/a", '[{"number":1}]'));
  assertEquals((await store.get("https://forge.test/a"))?.body, '[{"number":1}]');
});

Deno.test("jsonAnswersOnly() never keeps a garbled body that a 304 would replay forever", async () => {
  const memory = new MemoryAnswers();
  const store = jsonAnswersOnly(memory);
  store.put(answer("https://forge.test/a", "<html>upstream garbage"));
  store.put(answer("https://forge.test/b", '{"truncated": '));
  assertEquals(memory.size, 0);
  assertEquals(await store.get("https://forge.test/a"), undefined);
});

Deno.test("countingUnanswered() counts write requests that got no answer, and nothing else", async () => {
  const base: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    if (request.headers.get("x-fail") === "1") return Promise.reject(new TypeError("timed out"));
    return Promise.resolve(new Response("{}", { status: request.method === "PATCH" ? 502 : 200 }));
  };
  const counting = countingUnanswered(base);
  const send = (method: string, fail: boolean) =>
    counting.fetch(
      new Request("https://forge.test/issues", { method, headers: fail ? { "x-fail": "1" } : {} }),
    )
      .catch(() => undefined);
  await send("GET", true); // a read: whatever happened, nothing was written
  await send("POST", false);
  await send("PATCH", false); // answered, even if with a 502
  assertEquals(counting.unanswered(), 0);
  await send("POST", true);
  await send("PUT", true);
  assertEquals(counting.unanswered(), 2);
});
