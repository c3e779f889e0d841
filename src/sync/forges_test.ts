import { assertEquals } from "../testing/assert.ts";
import { type CachedAnswer, MemoryAnswers } from "../platform/forge_fetch.ts";
import { jsonAnswersOnly } from "./forges.ts";

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
