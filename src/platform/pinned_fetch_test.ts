import { assert, assertEquals, assertRejects } from "../testing/assert.ts";
import { ForeignHostError, pinnedFetch } from "./pinned_fetch.ts";

interface Seen {
  method: string;
  path: string;
  body: string;
  authorization: string | null;
}

async function withServers(
  f: (home: { origin: string; seen: Seen[] }, away: { origin: string; seen: Seen[] }) => Promise<void>,
): Promise<void> {
  const make = (answer: (url: URL, origin: string) => Response) => {
    const seen: Seen[] = [];
    let origin = "";
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname,
        body: await request.text(),
        authorization: request.headers.get("authorization"),
      });
      return answer(new URL(request.url), origin);
    });
    origin = `http://127.0.0.1:${server.addr.port}`;
    return { origin, seen, server };
  };
  const away = make(() => new Response("away"));
  const home = make((url) => {
    if (url.pathname === "/same") return new Response(null, { status: 307, headers: { location: "/final" } });
    if (url.pathname === "/see-other") {
      return new Response(null, { status: 303, headers: { location: "/final" } });
    }
    if (url.pathname === "/elsewhere") {
      return new Response(null, { status: 302, headers: { location: `${away.origin}/stolen` } });
    }
    return new Response("home");
  });
  try {
    await f(home, away);
  } finally {
    await home.server.shutdown();
    await away.server.shutdown();
  }
}

Deno.test("pinnedFetch() refuses a request to another origin before sending anything", () =>
  withServers(async (home, away) => {
    const f = pinnedFetch(fetch, home.origin);
    const error = await assertRejects(
      () => f(`${away.origin}/x`, { headers: { authorization: "token secret" } }),
      home.origin,
    );
    assert(error instanceof ForeignHostError);
    assertEquals(away.seen.length, 0);
  }));

Deno.test("pinnedFetch() follows redirects within the origin, keeping method and body on 307", () =>
  withServers(async (home) => {
    const f = pinnedFetch(fetch, home.origin);
    const r = await f(`${home.origin}/same`, {
      method: "POST",
      body: "payload",
      headers: { authorization: "t" },
    });
    assertEquals(await r.text(), "home");
    assertEquals(home.seen.map((s) => [s.method, s.path, s.body]), [["POST", "/same", "payload"], [
      "POST",
      "/final",
      "payload",
    ]]);
    const seeOther = await f(`${home.origin}/see-other`, { method: "POST", body: "x" });
    await seeOther.body?.cancel();
    assertEquals(home.seen.at(-1)!.method, "GET");
  }));

Deno.test("pinnedFetch() hands back a redirect to another origin without following it", () =>
  withServers(async (home, away) => {
    const f = pinnedFetch(fetch, home.origin);
    const r = await f(`${home.origin}/elsewhere`, { headers: { authorization: "token secret" } });
    await r.body?.cancel();
    assertEquals(r.status, 302);
    assertEquals(away.seen.length, 0);
    assert(home.seen.every((s) => s.authorization === "token secret"));
  }));
