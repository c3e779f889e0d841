import { assertEquals } from "../testing/assert.ts";
import { countingUnanswered } from "./forges.ts";

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
