/**
 * `GET /` (SPEC §8): a read-only dashboard rendered on the server with Hono JSX — tasks, features
 * and, with the Git integration enabled, the configured repositories (last passes, rate-limit
 * budget), links with their sync state and last error, open conflicts, webhook deliveries,
 * releases and — when any exists — the boards with their columns and cards. One self-contained page: plain CSS inline, no script, no external asset; the Content
 * Security Policy forbids anything else. Mounted behind the same Host/Origin guards and bearer
 * token as `/mcp`.
 *
 * @module
 */
import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { raw } from "hono/html";
import type { AppRuntime } from "../app.ts";
import { Config } from "../config.ts";
import { VERSION } from "../version.ts";
import { type DashboardData, dashboardData } from "./dashboard_data.ts";
import {
  BoardBox,
  ConflictsTable,
  DeliveriesTable,
  FeaturesTable,
  LinksTable,
  ReleasesTable,
  RepositoryCard,
  Section,
  shown,
  TasksTable,
  when,
} from "./dashboard_components.tsx";

const CSS = `
:root { color-scheme: light dark; --fg: #1d232a; --muted: #5b6570; --bg: #f7f8fa; --card: #fff;
  --line: #dde1e6; --good: #1a7f37; --bad: #c62828; --warn: #9a6700; --info: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ec; --muted: #9aa4ae; --bg: #15191d;
  --card: #1d2329; --line: #313941; --good: #4ac26b; --bad: #ff7b72; --warn: #d29922; --info: #58a6ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: var(--bg); }
header { padding: 1rem 2rem; border-bottom: 1px solid var(--line); background: var(--card); }
header h1 { margin: 0; font-size: 1.4rem; }
header p { margin: .25rem 0 0; color: var(--muted); }
nav a { margin-right: 1rem; color: var(--info); text-decoration: none; }
main { padding: 1rem 2rem 3rem; max-width: 1400px; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
.count { margin-left: .5rem; font-weight: normal; color: var(--muted); }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1rem; }
.summary div { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
.summary b { display: block; font-size: 1.3rem; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
td { overflow-wrap: anywhere; }
.id { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); }
.nowrap { white-space: nowrap; }
.value { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; }
.error { color: var(--bad); font-size: .9rem; }
.empty { color: var(--muted); font-style: italic; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1rem;
  margin-bottom: 1rem; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .75rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; }
.badge { display: inline-block; padding: 0 .45rem; margin-left: .25rem; border-radius: 999px; font-size: .8rem;
  border: 1px solid currentColor; white-space: nowrap; }
td .badge { margin-left: 0; }
.good { color: var(--good); } .bad { color: var(--bad); } .warn { color: var(--warn); } .info { color: var(--info); }
.label { display: inline-block; margin: 0 .25rem .1rem 0; padding: 0 .4rem; border-radius: 4px;
  background: var(--bg); border: 1px solid var(--line); font-size: .8rem; }
.muted { color: var(--muted); }
.board { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(180px, 1fr); gap: .75rem; overflow-x: auto; }
.column { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: .5rem; min-width: 0; }
.column h4 { font-size: .9rem; margin: 0 0 .5rem; }
.bcard { background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: .4rem .5rem;
  margin-bottom: .4rem; overflow-wrap: anywhere; }
.bcard.pending { border-left: 3px solid var(--warn); }
.note { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--info);
  padding: .75rem 1rem; }
`;

/** The Content Security Policy of the page: inline styles only, nothing else loads or runs. */
export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** The whole page. */
export function DashboardPage({ data }: { data: DashboardData }): JSX.Element {
  const git = data.git;
  const conflicts = git?.repositories.reduce((n, r) => n + r.open_conflicts.length, 0) ?? 0;
  const boards = git?.boards ?? [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>forgesync dashboard</title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <header>
          <h1>forgesync</h1>
          <p>
            Version {data.version} · Git integration: {data.tier} · read {when(data.generated_at)}{" "}
            UTC (reload to refresh)
          </p>
          <nav>
            <a href="#tasks">Tasks</a>
            <a href="#features">Features</a>
            {git === null ? null : (
              <>
                <a href="#repositories">Repositories</a>
                <a href="#links">Links</a>
                <a href="#conflicts">Conflicts</a>
                <a href="#webhooks">Webhooks</a>
                <a href="#releases">Releases</a>
                {boards.length === 0 ? null : <a href="#boards">Boards</a>}
              </>
            )}
          </nav>
          <div class="summary">
            <div>
              <b>{data.task_count}</b>tasks
            </div>
            <div>
              <b>{data.feature_count}</b>features
            </div>
            {git === null ? null : (
              <>
                <div>
                  <b>{git.repositories.length}</b>repositories
                </div>
                <div>
                  <b>{git.link_count}</b>links
                </div>
                <div>
                  <b class={conflicts > 0 ? "bad" : ""}>{conflicts}</b>open conflicts
                </div>
                {boards.length === 0 ? null : (
                  <div>
                    <b>{boards.length}</b>boards
                  </div>
                )}
              </>
            )}
          </div>
        </header>
        <main>
          {git === null
            ? (
              <p class="note">
                The Git integration is disabled: only tasks and features are shown. Set
                MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to link them to GitHub, GitLab or Bitbucket issues.
              </p>
            )
            : null}
          <Section id="tasks" title="Tasks" count={shown(data.tasks.length, data.task_count)}>
            <TasksTable tasks={data.tasks} />
          </Section>
          <Section id="features" title="Features" count={shown(data.features.length, data.feature_count)}>
            <FeaturesTable features={data.features} />
          </Section>
          {git === null ? null : (
            <>
              <Section id="repositories" title="Repositories" count={String(git.repositories.length)}>
                {git.repositories.length === 0
                  ? (
                    <p class="empty">
                      No repository configured: call orchestrator_git_integration {'{action:"configure"}'}
                      {" "}
                      or run deno task init.
                    </p>
                  )
                  : git.repositories.map((r) => RepositoryCard({ repo: r }))}
              </Section>
              <Section id="links" title="Links" count={shown(git.links.length, git.link_count)}>
                <LinksTable links={git.links} />
              </Section>
              <Section id="conflicts" title="Open conflicts" count={String(conflicts)}>
                <ConflictsTable repositories={git.repositories} links={git.links} />
              </Section>
              <Section id="webhooks" title="Recent webhook deliveries">
                <DeliveriesTable deliveries={git.deliveries} />
              </Section>
              <Section id="releases" title="Releases and milestones">
                <ReleasesTable releases={git.releases} />
              </Section>
              {boards.length === 0 ? null : (
                <Section id="boards" title="Boards" count={String(boards.length)}>
                  <p class="muted">
                    As forgesync last recorded them (orchestrator_project_board_manager {'{action:"view"}'}
                    {" "}
                    reads the forge).
                  </p>
                  {boards.map((b) => BoardBox({ board: b }))}
                </Section>
              )}
            </>
          )}
        </main>
      </body>
    </html>
  );
}

/** Renders the dashboard of a runtime's database as a complete HTML document. */
export async function renderDashboard(runtime: AppRuntime): Promise<string> {
  const data = await runtime.runPromise(
    Config.use((config) => dashboardData(config.tier, VERSION)),
  );
  return `<!DOCTYPE html>${await (<DashboardPage data={data} />).toString()}`;
}

/** The `GET /` handler. */
export function dashboardHandler(runtime: AppRuntime): (c: Context) => Promise<Response> {
  return async (c) => {
    const html = await renderDashboard(runtime);
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    return c.html(html);
  };
}
