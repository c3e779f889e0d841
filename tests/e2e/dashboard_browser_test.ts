/**
 * The dashboard in a real browser (headless Chromium through playwright-core) against the real
 * server process, on a database seeded through the tools and the sandbox GitHub: a signed-out visit
 * lands on the sign-in form; signing in sets an HttpOnly, SameSite=Strict cookie; lists come newest
 * first, filter and page; a conflict is resolved from its page; nothing overflows a 400 px window; the
 * dark scheme is dark. Screenshots of each step go to .test-report/screenshots/.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { BrowserContext, Page } from "playwright-core";
import { createGitHubSandbox } from "../../src/testing/github_sandbox.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../../src/testing/assert.ts";
import { seedDashboard, type Seeded } from "../../src/http/dashboard/test_seed.ts";
import { startHttpServer, withTempDir } from "./helpers.ts";
import { launchChromium, SCREENSHOTS } from "./browser.ts";

const TOKEN = `browser-${crypto.randomUUID()}`;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Elements that stick out of the window, outside the boxes that scroll sideways by design. */
const OVERFLOWING = `(() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push("page scrolls to " + document.documentElement.scrollWidth + "px");
  for (const el of Array.from(document.querySelectorAll("body *"))) {
    if (el.closest(".scroll, .board, svg")) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      out.push("<" + el.tagName.toLowerCase() + " class=" + JSON.stringify(String(el.className)) + "> ends at " + Math.round(box.right) + "px");
    }
  }
  return out.slice(0, 10);
})()`;

const overflowing = (page: Page) => page.evaluate(OVERFLOWING) as Promise<string[]>;

const rowsText = (page: Page, selector: string) => page.locator(selector).allTextContents();

Deno.test({
  name: "the dashboard in Chromium: sign in, newest first, filters, pages, a conflict resolved, 400 px, dark",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const forge = await createGitHubSandbox();
    const browser = await launchChromium();
    try {
      await withTempDir(async (dir) => {
        const server = await startHttpServer({
          FORGESYNC_DB_URL: `file:${dir}/browser.db`,
          FORGESYNC_HTTP_TOKEN: TOKEN,
          FORGESYNC_SYNC_INTERVAL: "3600",
          MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
          GITHUB_API_URL: forge.apiUrl,
          GITHUB_TOKEN: forge.token,
        });
        const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        });
        const client = new Client({ name: "seed", version: "1" });
        await client.connect(transport);
        try {
          const tool = async (name: string, args: Record<string, unknown>) => {
            const result = await client.callTool({ name, arguments: args });
            if (result.isError) {
              throw new Error(`${name} ${args.action}: ${JSON.stringify(result.structuredContent)}`);
            }
            return result.structuredContent;
          };
          const seeded = await seedDashboard(tool, forge);
          await browse(server.url, seeded, browser);
          const status = await tool("orchestrator_git_integration", { action: "status" });
          assertEquals(
            (status as { repositories: { open_conflicts: unknown[] }[] }).repositories[0]!.open_conflicts
              .length,
            seeded.conflicts.length - 1,
            "the conflict resolved in the browser is resolved in the database",
          );
        } finally {
          await client.close();
          await server.stop();
        }
      });
    } finally {
      await browser.close();
      await forge.close();
    }
  },
});

async function browse(
  url: string,
  seeded: Seeded,
  browser: import("playwright-core").Browser,
): Promise<void> {
  const desktop: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await desktop.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  // Signed out: the sign-in form, not a JSON 401.
  await page.goto(`${url}/tasks?status=completed`);
  assertMatch(page.url(), /\/login\?next=%2Ftasks%3Fstatus%3Dcompleted$/);
  await shot(page, "signed-out");
  await page.fill("#token", "not-the-token");
  await page.click("button[type=submit]");
  assertStringIncludes(await page.textContent("p.error") ?? "", "not the token");
  await page.fill("#token", TOKEN);
  await page.click("button[type=submit]");
  assertMatch(page.url(), /\/tasks\?status=completed$/, "back where the visit started");
  errors.length = 0; // the wrong token's 401 above is logged by the browser as an error
  const [cookie] = (await desktop.cookies()).filter((c) => c.name === "forgesync_session");
  assert(cookie !== undefined, "a session cookie");
  assertEquals([cookie.httpOnly, cookie.sameSite], [true, "Strict"]);
  assert(!cookie.value.includes(TOKEN), "the cookie does not hold the token");
  const statuses = await rowsText(page, "table tbody tr td:nth-child(2)");
  assert(statuses.length > 0 && statuses.every((s) => s === "completed"), `completed only: ${statuses}`);

  // The overview: newest task first, repository card with its activity, release progress.
  await page.goto(url);
  await shot(page, "desktop-overview");
  const firstTask = await page.locator("#tasks tbody tr").first().textContent();
  assertStringIncludes(firstTask ?? "", "Newest local task, no issue yet");
  assert(await page.locator("figure.chart rect.bar").count() >= 5, "activity bars");
  assertEquals(await page.locator("#releases progress").count(), 1);
  assertStringIncludes(await page.textContent("body") ?? "", "parked writes");

  // Tasks: newest first, pages of 50, filters.
  await page.click("nav.main >> text=Tasks");
  assertStringIncludes(await page.locator("table tbody tr").first().textContent() ?? "", "Newest local task");
  assertStringIncludes(await page.textContent(".pager") ?? "", "Showing 1–50 of");
  await page.locator("a[rel=next]").first().click();
  assertStringIncludes(await page.textContent(".pager") ?? "", "Showing 51–100 of");
  assertMatch(page.url(), /page=2/);
  await page.selectOption("select[name=repository]", "none");
  await page.click("form.filters button[type=submit]");
  const unlinked = await rowsText(page, "table tbody tr td:nth-child(4)");
  assert(
    unlinked.length >= 3 && unlinked.every((t) => t.includes("no issue")),
    `tasks without an issue: ${unlinked}`,
  );
  await page.goto(`${url}/tasks`);
  await page.fill("input[name=q]", "Imported issue 7");
  await page.click("form.filters button[type=submit]");
  const found = await rowsText(page, "table tbody tr td:first-child a");
  assert(found.length >= 1 && found.every((t) => t.includes("Imported issue 7")), `search: ${found}`);
  await page.goto(`${url}/tasks?feature=${seeded.features.dark}`);
  assertEquals((await rowsText(page, "table tbody tr")).length, 2);
  await shot(page, "desktop-tasks");

  // A task's page: its fields, its issue (a link to the forge) and its sync history.
  await page.goto(`${url}/tasks?q=Pick+the+dark+palette`);
  await page.click("table tbody tr td:first-child a");
  assertMatch(page.url(), /\/tasks\/task_/);
  assert(await page.locator("#links a[href^='http']").count() >= 1, "the issue on the forge");
  assert(await page.locator("#history tbody tr").count() >= 1, "sync history");
  await shot(page, "desktop-task");

  // Conflicts: resolved from the page.
  await page.goto(`${url}/conflicts`);
  assertEquals(await page.locator("table.conflicts tbody tr").count(), seeded.conflicts.length);
  await shot(page, "desktop-conflicts");
  const first = page.locator("table.conflicts tbody tr").first();
  const id = (await first.locator("td:first-child a").textContent())!.match(/#(\d+)/)![1];
  await first.locator("button[value=local]").click();
  assertMatch(page.url(), new RegExp(`resolved=${id}$`));
  assertStringIncludes(await page.textContent("p.note.good") ?? "", `Conflict ${id} on title resolved`);
  assertEquals(await page.locator("table.conflicts tbody tr").count(), seeded.conflicts.length - 1);

  await page.goto(`${url}/releases/${seeded.releaseId}`);
  assert(await page.locator("progress").count() >= 3, "the release's and its features' progress");
  await shot(page, "desktop-release");
  await page.goto(`${url}/boards`);
  assert(await page.locator(".board .column").count() >= 4, "columns");
  assert(await page.locator(".board .bcard").count() >= 3, "cards");
  await shot(page, "desktop-boards");
  assertEquals(errors, [], "no console error (a CSP violation would be one)");

  // 400 px: nothing overflows the window, on every kind of page.
  const narrow = await browser.newContext({
    viewport: { width: 400, height: 800 },
    storageState: await desktop.storageState(),
  });
  const small = await narrow.newPage();
  const taskPath = new URL(page.url()).pathname;
  for (
    const [name, path] of [
      ["overview", "/"],
      ["tasks", "/tasks"],
      ["features", "/features"],
      ["links", "/links"],
      ["conflicts", "/conflicts"],
      ["release", `/releases/${seeded.releaseId}`],
      ["boards", "/boards"],
      ["conflict", `/conflicts/${seeded.conflicts[0]}`],
      ["feature", `/features/${seeded.features.hostile}`],
    ] as const
  ) {
    await small.goto(`${url}${path}`);
    assertEquals(await overflowing(small), [], `${name} at 400 px`);
    if (["overview", "tasks", "conflict"].includes(name)) await shot(small, `narrow-${name}`);
  }
  void taskPath;
  await narrow.close();

  // Dark.
  const dark = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: "dark",
    storageState: await desktop.storageState(),
  });
  const night = await dark.newPage();
  await night.goto(url);
  const background = await night.evaluate("getComputedStyle(document.body).backgroundColor") as string;
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  assert((r! + g! + b!) / 3 < 60, `a dark background: ${background}`);
  await shot(night, "dark-overview");
  await night.goto(`${url}/conflicts`);
  await shot(night, "dark-conflicts");
  await dark.close();

  // Sign out: the cookie no longer opens pages.
  await page.goto(url);
  await page.click("header form button");
  assertMatch(page.url(), /\/login$/);
  await page.goto(`${url}/tasks`);
  assertMatch(page.url(), /\/login\?next=/);
  await desktop.close();
}
