import { assertEquals } from "../testing/assert.ts";
import { withApp } from "./test_support.ts";
import { requestId } from "./mcp_route.ts";

const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

Deno.test("requestId() reads a request's id, null for notifications, batches and other bodies", () => {
  assertEquals(requestId({ jsonrpc: "2.0", id: 7, method: "ping" }), 7);
  assertEquals(requestId({ jsonrpc: "2.0", id: "a-1", method: "ping" }), "a-1");
  assertEquals(requestId({ jsonrpc: "2.0", method: "notifications/initialized" }), null);
  assertEquals(requestId([{ jsonrpc: "2.0", id: 1, method: "ping" }]), null);
  assertEquals(requestId({ id: { nested: true } }), null);
  assertEquals(requestId("text"), null);
});

Deno.test("errors answered before a session exists echo the request's id", async () => {
  await withApp({}, async (fx) => {
    const post = async (body: string, headers: Record<string, string> = {}) => {
      const response = await fx.request("/mcp", {
        method: "POST",
        headers: { ...HEADERS, ...headers },
        body,
      });
      return { status: response.status, body: await response.json() };
    };
    const noSession = await post(JSON.stringify({ jsonrpc: "2.0", id: 42, method: "tools/list" }));
    assertEquals(noSession.status, 400);
    assertEquals(noSession.body.id, 42);
    assertEquals(noSession.body.error.code, -32000);

    const closed = await post(JSON.stringify({ jsonrpc: "2.0", id: "req-9", method: "tools/list" }), {
      "mcp-session-id": "no-such-session",
    });
    assertEquals(closed.status, 404);
    assertEquals(closed.body.id, "req-9");

    const notJson = await post("{not json");
    assertEquals([notJson.status, notJson.body.id, notJson.body.error.code], [400, null, -32700]);

    const notification = await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    assertEquals([notification.status, notification.body.id], [400, null]);
  });
});
