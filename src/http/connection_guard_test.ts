import { assert, assertEquals } from "../testing/assert.ts";
import { ConnectionGuard } from "./connection_guard.ts";

/** A guard (short deadline) in front of a Deno.serve whose handler may stream slowly. */
async function withGuard(
  headMs: number,
  f: (port: number, guard: ConnectionGuard) => Promise<void>,
): Promise<void> {
  const guard = new ConnectionGuard(Deno.listen({ hostname: "127.0.0.1", port: 0 }), { headMs });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request, info) => {
    const done = guard.requestArrived(info.remoteAddr.port);
    info.completed.then(done, done);
    if (new URL(request.url).pathname !== "/stream") return new Response("ok");
    // An answer that takes three deadlines to send: no deadline runs while it is sent.
    let n = 0;
    return new Response(
      new ReadableStream({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, headMs));
          if (n++ === 3) controller.close();
          else controller.enqueue(new TextEncoder().encode("tick\n"));
        },
      }),
    );
  });
  guard.start(server.addr.port);
  try {
    await f(guard.addr.port, guard);
  } finally {
    await guard.close();
    await server.shutdown();
  }
}

/** How long the guard keeps a connection that trickles a request head (ms), at most `giveUpMs`. */
async function slowHead(port: number, giveUpMs: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const started = Date.now();
  await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  const trickle = setInterval(() => conn.write(new TextEncoder().encode("X: y\r\n")).catch(() => {}), 50);
  let gaveUp = false;
  const giveUp = setTimeout(() => {
    gaveUp = true;
    conn.close();
  }, giveUpMs);
  try {
    while ((await conn.read(new Uint8Array(256))) !== null) { /* until closed */ }
  } catch {
    // reset
  }
  clearInterval(trickle);
  clearTimeout(giveUp);
  if (!gaveUp) conn.close();
  return gaveUp ? giveUpMs : Date.now() - started;
}

Deno.test("ConnectionGuard drops 100 connections that send their request head too slowly", () =>
  withGuard(300, async (port, guard) => {
    const kept = await Promise.all(Array.from({ length: 100 }, () => slowHead(port, 5000)));
    for (const ms of kept) assert(ms < 2000, `kept ${ms} ms`);
    assertEquals(guard.dropped, 100);
    const ok = await fetch(`http://127.0.0.1:${port}/`);
    assertEquals(await ok.text(), "ok", "ordinary requests still pass");
  }));

Deno.test("ConnectionGuard runs no deadline while an answer is being sent, and closes idle keep-alive connections", () =>
  withGuard(200, async (port, guard) => {
    const streamed = await fetch(`http://127.0.0.1:${port}/stream`);
    assertEquals(await streamed.text(), "tick\ntick\ntick\n", "the slow answer was not cut");
    assertEquals(guard.dropped, 0);
    // The same keep-alive connection, left idle, is closed after the deadline.
    await new Promise((resolve) => setTimeout(resolve, 600));
    assertEquals(guard.open, 0);
  }));
