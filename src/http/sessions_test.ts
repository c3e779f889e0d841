import { assertEquals } from "../testing/assert.ts";
import { SessionPool } from "./sessions.ts";

class Fake {
  closed = 0;
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

function pool(maxSessions: number, idleMs = 1000) {
  let now = 0;
  const p = new SessionPool<Fake>({ idleMs, maxSessions, now: () => now });
  return { p, tick: (ms: number) => now += ms };
}

Deno.test("SessionPool closes the least recently used session over the cap", () => {
  const { p, tick } = pool(2);
  const [a, b, c] = [new Fake(), new Fake(), new Fake()];
  p.add("a", a);
  tick(1);
  p.add("b", b);
  tick(1);
  p.use("a")!.done(); // a is now the most recently used
  p.add("c", c);
  assertEquals([a.closed, b.closed, c.closed], [0, 1, 0]);
  assertEquals(p.use("b"), undefined, "a closed session is unknown (404)");
  assertEquals(p.size, 2);
});

Deno.test("SessionPool spares a session with a request in progress when another can go", () => {
  const { p } = pool(2);
  const [a, b, c] = [new Fake(), new Fake(), new Fake()];
  p.add("a", a);
  p.add("b", b);
  const busy = p.use("a")!; // a in progress, b not
  p.use("b")!.done();
  p.add("c", c);
  assertEquals([a.closed, b.closed], [0, 1]);
  busy.done();
});

Deno.test("SessionPool closes sessions idle longer than the limit, never one in progress", () => {
  const { p, tick } = pool(10, 1000);
  const [idle, busy, fresh] = [new Fake(), new Fake(), new Fake()];
  p.add("idle", idle);
  p.add("busy", busy);
  const running = p.use("busy")!;
  tick(1500);
  p.add("fresh", fresh);
  assertEquals(p.sweep(), 1);
  assertEquals([idle.closed, busy.closed, fresh.closed], [1, 0, 0]);
  running.done();
  tick(1001);
  assertEquals(p.use("busy"), undefined, "idle once its request ended");
  assertEquals(busy.closed, 1);
});

Deno.test("SessionPool forgets a session closed by its client and closes all on request", async () => {
  const { p } = pool(5);
  const [a, b] = [new Fake(), new Fake()];
  p.add("a", a);
  p.add("b", b);
  p.forget("a");
  assertEquals(p.use("a"), undefined);
  assertEquals(a.closed, 0, "forget does not close: the client did");
  await p.closeAll();
  assertEquals([b.closed, p.size], [1, 0]);
});
