/**
 * The dashboard's forms through the real Hono app: resolving a conflict from its page (and the
 * refusals: no CSRF token, another session's token, a foreign Origin, read-only mode), and sign-in
 * with the token.
 */
import { assertEquals, assertFalse, assertStringIncludes } from "../../testing/assert.ts";
import { withApp } from "../test_support.ts";
import { csrfOf, get, Jar, rows, withSeeded } from "./test_pages.ts";

Deno.test("resolving a conflict from its page runs resolve_conflict; no CSRF token, another session's token or a foreign Origin change nothing", () =>
  withSeeded(async (fx, seeded) => {
    const jar = new Jar();
    const id = seeded.conflicts[0]!;
    const page = await get(fx, `/conflicts/${id}`, jar);
    const csrf = csrfOf(page.html);
    const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      fx.request(`/conflicts/${id}/resolve`, {
        method: "POST",
        headers: jar.headers({ "content-type": "application/x-www-form-urlencoded", ...headers }),
        body: new URLSearchParams(body).toString(),
        redirect: "manual",
      });
    const open = async () =>
      (await fx.query<{ status: string }>("SELECT status FROM sync_conflicts WHERE id = ?", [id]))[0]!.status;

    assertEquals((await post({ resolution: "local" })).status, 403, "no token");
    assertEquals((await post({ resolution: "local", csrf: "forged" })).status, 403);
    const other = new Jar();
    const otherCsrf = csrfOf((await get(fx, `/conflicts/${id}`, other)).html);
    assertEquals(
      (await post({ resolution: "local", csrf: otherCsrf })).status,
      403,
      "another session's token",
    );
    assertEquals((await post({ resolution: "local", csrf }, { origin: "https://evil.example" })).status, 403);
    assertEquals(await open(), "open");

    const invalid = await post({ resolution: "value", value: "", csrf });
    assertEquals(invalid.status, 400, "the action's own validation: a title of 1–255 characters");
    assertStringIncludes(await invalid.text(), "Not resolved: value must be a title");
    assertEquals(await open(), "open");

    const done = await post({
      resolution: "value",
      value: "Chosen here",
      csrf,
      back: "/conflicts?sort=oldest",
    });
    assertEquals(done.status, 303);
    assertEquals(done.headers.get("location"), `/conflicts?sort=oldest&resolved=${id}`);
    assertEquals(await open(), "resolved");
    const [task] = await fx.query<{ title: string }>(
      "SELECT t.title FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id JOIN tasks t ON t.task_id = l.task_id WHERE c.id = ?",
      [id],
    );
    assertEquals(task!.title, "Chosen here");
    const after = await get(fx, `/conflicts?resolved=${id}`, jar);
    assertStringIncludes(after.html, `Conflict ${id} on title resolved: set both sides to the given value.`);
    assertEquals(rows(after.html).length, seeded.conflicts.length - 1);
    const again = await post({ resolution: "local", csrf });
    assertEquals(again.status, 409, "already resolved");
    const open2 = seeded.conflicts[1]!;
    const viaBack = await fx.request(`/conflicts/${open2}/resolve`, {
      method: "POST",
      headers: jar.headers({ "content-type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ resolution: "remote", csrf, back: "https://evil.example/" }).toString(),
      redirect: "manual",
    });
    assertEquals(viaBack.headers.get("location"), `/?resolved=${open2}`, "no redirect off the server");
  }));

Deno.test("read-only mode: no resolve buttons, and a posted form is refused with FORBIDDEN", () =>
  withApp({
    env: {
      FORGESYNC_READ_ONLY: "true",
      MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
      FORGESYNC_HTTP_TOKEN: "ro-token-123456",
    },
  }, async (fx) => {
    // Tools refuse to write in read-only mode: the rows are written directly.
    const now = "2026-01-01T00:00:00.000Z";
    await fx.query(
      "INSERT INTO tasks (task_id, title, status, priority, created_at, updated_at) VALUES ('task_1', 'T', 'pending', 'medium', ?, ?)",
      [now, now],
    );
    await fx.query(
      `INSERT INTO feature_issue_links (id, task_id, platform, repository, issue_number, sync_status)
       VALUES (7, 'task_1', 'github', 'acme/widgets', 3, 'synced')`,
    );
    await fx.query(
      `INSERT INTO sync_conflicts (id, link_id, field, base_local, base_remote, local_value, remote_value, policy, status, created_at)
       VALUES (9, 7, 'title', 'T', 'T', 'L', 'R', 'manual', 'open', ?)`,
      [now],
    );
    const bearer = { authorization: "Bearer ro-token-123456" };
    const list = await (async () => {
      const response = await fx.request("/conflicts", { headers: { ...bearer, accept: "text/html" } });
      return { html: await response.text() };
    })();
    assertEquals(rows(list.html).length, 1);
    assertStringIncludes(list.html, "read-only mode");
    assertFalse(list.html.includes('value="local">Keep local'));
    const page = await (await fx.request("/conflicts/9", { headers: bearer })).text();
    assertStringIncludes(page, "Read-only mode (FORGESYNC_READ_ONLY=true)");
    // The bearer header stands for the CSRF token (a browser never sends it by itself).
    const posted = await fx.request("/conflicts/9/resolve", {
      method: "POST",
      headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ resolution: "local" }).toString(),
    });
    assertEquals(posted.status, 403);
    assertStringIncludes(await posted.text(), "runs read-only");
    assertEquals(
      (await fx.query<{ status: string }>("SELECT status FROM sync_conflicts WHERE id = 9"))[0]!.status,
      "open",
    );
  }));

Deno.test("sign-in: with FORGESYNC_HTTP_TOKEN a browser is sent to a form, gets an HttpOnly SameSite=Strict cookie for the token, and the cookie opens pages only", () =>
  withApp({ env: { FORGESYNC_HTTP_TOKEN: "dash-token-123456" } }, async (fx) => {
    const browser = await fx.request("/tasks?page=2", {
      headers: { accept: "text/html" },
      redirect: "manual",
    });
    assertEquals(browser.status, 303);
    assertEquals(browser.headers.get("location"), "/login?next=%2Ftasks%3Fpage%3D2");
    const api = await fx.request("/tasks");
    assertEquals(api.status, 401, "API clients still get 401 and keep the bearer header");
    assertEquals(
      (await fx.request("/tasks", { headers: { authorization: "Bearer dash-token-123456" } })).status,
      200,
    );

    const jar = new Jar();
    const form = await get(fx, "/login?next=%2Ftasks%3Fpage%3D2", jar);
    assertEquals(form.status, 200);
    assertStringIncludes(form.html, 'type="password" name="token"');
    const login = (token: string, csrf = csrfOf(form.html)) =>
      fx.request("/login", {
        method: "POST",
        headers: jar.headers({ "content-type": "application/x-www-form-urlencoded" }),
        body: new URLSearchParams({ token, csrf, next: "/tasks?page=2" }).toString(),
        redirect: "manual",
      });
    const wrong = await login("dash-token-12345");
    assertEquals(wrong.status, 401);
    assertStringIncludes(await wrong.text(), "not the token");
    assertEquals((await login("dash-token-123456", "forged")).status, 403, "login CSRF");
    const ok = await login("dash-token-123456");
    assertEquals(ok.status, 303);
    assertEquals(ok.headers.get("location"), "/tasks?page=2");
    const cookie = ok.headers.get("set-cookie")!;
    for (const part of ["HttpOnly", "SameSite=Strict", "Path=/"]) assertStringIncludes(cookie, part);
    assertFalse(cookie.includes("dash-token-123456"), "the cookie is not the token");
    jar.take(ok);
    const signedIn = await get(fx, "/tasks", jar);
    assertEquals(signedIn.status, 200);
    assertStringIncludes(signedIn.html, "Sign out");
    assertFalse(signedIn.html.includes("dash-token-123456"), "the token never reaches a page");
    const mcp = await fx.request("/mcp", {
      method: "POST",
      headers: { cookie: jar.cookie!, "content-type": "application/json" },
      body: "{}",
    });
    assertEquals(mcp.status, 401, "the cookie does not open /mcp");

    const logout = await fx.request("/logout", {
      method: "POST",
      headers: jar.headers({ "content-type": "application/x-www-form-urlencoded" }),
      body: new URLSearchParams({ csrf: csrfOf(signedIn.html) }).toString(),
      redirect: "manual",
    });
    assertEquals(logout.status, 303);
    assertStringIncludes(logout.headers.get("set-cookie") ?? "", "Max-Age=0");
  }));
