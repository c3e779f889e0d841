/**
 * The dashboard's pages through the real Hono app on a real database seeded through the tools:
 * newest first, filters, pages, item pages, resolving a conflict with the form (and the refusals:
 * no CSRF token, a foreign Origin, read-only mode), sign-in with the token, and page sizes bounded
 * with 5,000 open conflicts.
 */
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../testing/assert.ts";
import { type AppFixture, withApp } from "../test_support.ts";
import { HOSTILE, seedDashboard } from "./test_seed.ts";
import { assertInert } from "./test_inert.ts";
import { DASHBOARD_CSP } from "./routes.tsx";
import type { GitHubSandbox } from "../../testing/github_sandbox.ts";

/** A browser's cookie jar for one session cookie. */
class Jar {
  cookie: string | undefined;
  take(response: Response): void {
    const set = response.headers.get("set-cookie");
    if (set !== null) this.cookie = set.split(";")[0];
  }
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: "text/html", ...(this.cookie === undefined ? {} : { cookie: this.cookie }), ...extra };
  }
}

async function get(fx: AppFixture, path: string, jar = new Jar()): Promise<{ status: number; html: string }> {
  const response = await fx.request(path, { headers: jar.headers() });
  jar.take(response);
  const html = await response.text();
  if (response.status === 200) {
    assertEquals(response.headers.get("content-security-policy"), DASHBOARD_CSP);
    assertInert(html);
  }
  return { status: response.status, html };
}

/** The rows of the first table's body. */
const rows = (html: string) =>
  html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>")).split("<tr>").slice(1);
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

const withSeeded = (
  f: (fx: AppFixture, seeded: Awaited<ReturnType<typeof seedDashboard>>) => Promise<void>,
  env: Record<string, string> = {},
) =>
  withApp({ platform: "github", env }, async (fx) => {
    const seeded = await seedDashboard(fx.tool, fx.sandbox as GitHubSandbox, 60);
    await f(fx, seeded);
  });

Deno.test("dashboard lists: newest first, filters by status, repository, feature and text, pages of 50, rows linking to their pages and issues", () =>
  withSeeded(async (fx, seeded) => {
    const overview = await get(fx, "/");
    assertEquals(overview.status, 200);
    assertStringIncludes(rows(overview.html)[0]!, "Newest local task, no issue yet");
    assertFalse(overview.html.includes(HOSTILE), "escaped");

    const all = await get(fx, "/tasks");
    const first = rows(all.html);
    assertEquals(first.length, 50);
    assertStringIncludes(first[0]!, `href="/tasks/${seeded.newestTask}"`);
    assertStringIncludes(all.html, "Showing 1–50 of 65");
    assertStringIncludes(all.html, 'rel="next" href="/tasks?page=2"');
    const second = await get(fx, "/tasks?page=2");
    assertStringIncludes(second.html, "Showing 51–65 of 65");
    assertEquals(rows(second.html).length, 15);
    const oldest = await get(fx, "/tasks?sort=oldest");
    assertStringIncludes(rows(oldest.html)[0]!, ">Imported issue 1 (local edit)<");

    const completed = await get(fx, "/tasks?status=completed");
    assertEquals(rows(completed.html).length, 2);
    assert(rows(completed.html).every((r) => r.includes(">completed<")));
    const unlinked = await get(fx, "/tasks?repository=none");
    assertEquals(rows(unlinked.html).length, 3, "the three local tasks without an issue");
    assert(rows(unlinked.html).every((r) => r.includes("no issue")));
    const linked = await get(fx, "/tasks?repository=1");
    assertStringIncludes(linked.html, "of 62");
    const dark = await get(fx, `/tasks?feature=${seeded.features.dark}`);
    assertEquals(rows(dark.html).length, 2);
    const search = await get(fx, "/tasks?q=palette");
    assertEquals(rows(search.html).length, 1);
    assertMatch(
      rows(search.html)[0]!,
      /<a href="http:\/\/127\.0\.0\.1:\d+\/sandbox-org\/widgets\/issues\/\d+"/,
    );
    const wildcard = await get(fx, "/tasks?q=%25");
    assertEquals(rows(wildcard.html).length, 0, "% is a character, not a wildcard");
    const bad = await get(fx, "/tasks?status=nope&page=-3&sort=drop");
    assertStringIncludes(bad.html, "Showing 1–50 of 65");

    const features = await get(fx, "/features");
    assertEquals(rows(features.html).length, 3);
    assertStringIncludes(features.html, "1 of 2</a>", "tasks done of the feature");
    const links = await get(fx, "/links?status=failed");
    assertEquals(rows(links.html).length, 1);
    const conflicts = await get(fx, "/conflicts");
    assertEquals(rows(conflicts.html).length, seeded.conflicts.length);
    const releases = await get(fx, "/releases");
    assertMatch(releases.html, /<progress max="100" value="50"/);
  }));

Deno.test("dashboard item pages: a task's fields, issues, sync history and conflicts; a feature, a link, a release; unknown ids answer 404", () =>
  withSeeded(async (fx, seeded) => {
    const [conflicted] = await fx.query<{ task_id: string; link_id: number }>(
      "SELECT l.task_id, l.id AS link_id FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id LIMIT 1",
    );
    const task = await get(fx, `/tasks/${conflicted!.task_id}`);
    assertEquals(task.status, 200);
    assertStringIncludes(task.html, "(local edit)");
    assertStringIncludes(task.html, '<section id="links">');
    assertStringIncludes(task.html, '<section id="history">');
    assertStringIncludes(task.html, "both sides agreed (merge base saved)");
    assertMatch(task.html, /conflict \d+ on title/);
    assertStringIncludes(task.html, 'value="local">Keep local</button>');

    const feature = await get(fx, `/features/${seeded.features.hostile}`);
    assertEquals(feature.status, 200);
    assertFalse(feature.html.includes(HOSTILE));
    const link = await get(fx, `/links/${conflicted!.link_id}`);
    assertStringIncludes(link.html, "As last synced (the merge base)");
    const release = await get(fx, `/releases/${seeded.releaseId}`);
    assertStringIncludes(release.html, "Dark mode");
    assertEquals([...release.html.matchAll(/<progress /g)].length, 3);
    for (
      const path of [
        "/tasks/task_nope",
        "/features/x",
        "/links/999",
        "/links/abc",
        "/conflicts/0",
        "/releases/9",
      ]
    ) {
      assertEquals((await get(fx, path)).status, 404, path);
    }
  }));

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

Deno.test("5,000 open conflicts: the overview and the conflicts page stay small (pages of 50)", () =>
  withApp({ platform: "github" }, async (fx) => {
    await fx.tool("orchestrator_git_integration", {
      action: "configure",
      platform: "github",
      repository: fx.sandbox!.repository,
    });
    const { task } = await fx.tool("orchestrator_task", { action: "create", title: "Conflicted" });
    await fx.tool("orchestrator_git_integration", { action: "create_issue", task_id: task.task_id });
    const [link] = await fx.query<{ id: number }>("SELECT id FROM feature_issue_links");
    await fx.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
       INSERT INTO sync_conflicts (link_id, field, base_local, base_remote, local_value, remote_value, policy, status, created_at)
       SELECT ?, 'body', 'base', 'base', 'local ' || i || ' ' || hex(randomblob(120)), 'remote ' || i || ' ' || hex(randomblob(120)),
              'manual', 'open', '2026-01-01T00:00:00.000Z' FROM n`,
      [link!.id],
    );
    const overview = await fx.request("/", { headers: { accept: "text/html" } });
    const overviewBytes = (await overview.arrayBuffer()).byteLength;
    const conflicts = await fx.request("/conflicts", { headers: { accept: "text/html" } });
    const html = await conflicts.text();
    const bytes = new TextEncoder().encode(html).byteLength;
    assertStringIncludes(html, "Showing 1–50 of 5,000");
    assertEquals(rows(html).length, 50);
    assert(bytes < 150_000, `the conflicts page is ${bytes} bytes`);
    assert(overviewBytes < 100_000, `the overview is ${overviewBytes} bytes`);
    const last = await fx.request("/conflicts?page=100", { headers: { accept: "text/html" } });
    assertStringIncludes(await last.text(), "Showing 4,951–5,000 of 5,000");
  }));
