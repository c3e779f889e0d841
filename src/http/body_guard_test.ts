import { Hono } from "hono";
import { assertEquals } from "../testing/assert.ts";
import { bodyGuard } from "./body_guard.ts";

function app(timeoutMs: number) {
  const hono = new Hono();
  hono.post(
    "/",
    bodyGuard({
      maxBytes: 10,
      timeoutMs,
      tooLarge: (c) => c.text("large", 413),
      tooSlow: (c) => c.text("slow", 408),
    }),
    async (c) => c.text(`got ${(await c.req.text()).length}`),
  );
  return hono;
}

function streamed(chunks: string[], pauseMs: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      if (i >= chunks.length) return controller.close();
      controller.enqueue(new TextEncoder().encode(chunks[i++]));
    },
  });
}

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/", { method: "POST", body, headers, duplex: "half" } as RequestInit);

Deno.test("bodyGuard() passes a body within the limits on to the route", async () => {
  const r = await app(1000).fetch(post("hello"));
  assertEquals([r.status, await r.text()], [200, "got 5"]);
});

Deno.test("bodyGuard() refuses a body over the size limit, declared or streamed", async () => {
  const declared = await app(1000).fetch(post("x".repeat(11)));
  assertEquals([declared.status, await declared.text()], [413, "large"]);
  const r = await app(1000).fetch(post(streamed(["123456", "789012"], 1)));
  assertEquals([r.status, await r.text()], [413, "large"]);
});

Deno.test("bodyGuard() answers 408 to a body that arrives too slowly", async () => {
  const r = await app(100).fetch(post(streamed(["a", "b", "c"], 80)));
  assertEquals([r.status, await r.text()], [408, "slow"]);
  assertEquals(r.headers.get("connection"), "close");
});
