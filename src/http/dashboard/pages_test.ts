/**
 * The dashboard's pages through the real Hono app on a real database seeded through the tools:
 * newest first, filters, pages, item pages, and page sizes bounded with 5,000 open conflicts. The
 * forms (resolving a conflict, read-only mode, sign-in) are in `forms_test.ts`.
 */
import {
  assert,
  assertEquals,
  assertFalse,
  assertMatch,
  assertStringIncludes,
} from "../../testing/assert.ts";
import { withApp } from "../test_support.ts";
import { HOSTILE } from "./test_seed.ts";
import { get, rows, withSeeded } from "./test_pages.ts";

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
