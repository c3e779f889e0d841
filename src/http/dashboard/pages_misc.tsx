/**
 * The overview, the sign-in page and the page of a message (not found, refused).
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { Csrf, Section } from "./components.tsx";
import { Head, Layout, type PageContext } from "./layout.tsx";
import { plural } from "./format.ts";
import type { Overview } from "./overview.ts";
import { TasksTable } from "./tables.tsx";
import { DeliveriesTable, ReleasesTable } from "./tables_activity.tsx";
import { RepositoryCard } from "./repository.tsx";
import { BoardBox } from "./boards.tsx";

/** `/`. */
export function OverviewPage({ ctx, data }: { ctx: PageContext; data: Overview }): JSX.Element {
  const git = data.git;
  const c = data.counts;
  return (
    <Layout ctx={ctx} title="Overview">
      <div class="summary">
        <a href="/tasks">
          <b>{c.tasks.toLocaleString("en")}</b>tasks
        </a>
        <a href="/features">
          <b>{c.features.toLocaleString("en")}</b>features
        </a>
        {git === null ? null : (
          <>
            <a href="/links">
              <b>{c.links.toLocaleString("en")}</b>links
            </a>
            <a href="/conflicts">
              <b class={c.open_conflicts > 0 ? "bad" : ""}>{c.open_conflicts.toLocaleString("en")}</b>open
              conflicts
            </a>
            <a href="#repositories">
              <b class={c.parked > 0 ? "bad" : ""}>{c.parked.toLocaleString("en")}</b>parked writes
            </a>
            <a href="/releases">
              <b>{c.releases.toLocaleString("en")}</b>releases
            </a>
            <a href="/boards">
              <b>{git.boards.length}</b>boards
            </a>
          </>
        )}
      </div>
      {git === null
        ? (
          <p class="note">
            The Git integration is disabled: only tasks and features are shown. Set
            MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true to link them to GitHub, GitLab or Bitbucket issues.
          </p>
        )
        : null}
      <Section
        id="tasks"
        title="Newest tasks"
        count={`${data.tasks.length} of ${plural(c.tasks, "task")}`}
        more="/tasks"
      >
        <div class="scroll">
          <TasksTable tasks={data.tasks} />
        </div>
      </Section>
      {git === null ? null : (
        <>
          <Section id="repositories" title="Repositories" count={String(git.repositories.length)}>
            {git.repositories.length === 0
              ? (
                <p class="empty">
                  No repository configured: call orchestrator_git_integration {'{action:"configure"}'}{" "}
                  or run deno task init.
                </p>
              )
              : <div class="grid2">{git.repositories.map((r) => RepositoryCard({ repo: r }))}</div>}
          </Section>
          <Section
            id="releases"
            title="Releases"
            count={`${git.releases.length} of ${c.releases}`}
            more="/releases"
          >
            <div class="scroll">
              <ReleasesTable releases={git.releases} />
            </div>
          </Section>
          {git.boards.length === 0
            ? null
            : (
              <Section id="boards" title="Boards" count={String(git.boards.length)} more="/boards">
                {git.boards.slice(0, 3).map((b) => BoardBox({ board: b }))}
              </Section>
            )}
          <Section id="webhooks" title="Recent webhook deliveries">
            <div class="scroll">
              <DeliveriesTable deliveries={git.deliveries} />
            </div>
          </Section>
        </>
      )}
    </Layout>
  );
}

/** A page saying something went wrong or is missing, with a way back. */
export function MessagePage(
  { ctx, title, text }: { ctx: PageContext; title: string; text: string },
): JSX.Element {
  return (
    <Layout ctx={ctx} title={title}>
      <h2>{title}</h2>
      <p class="note bad">{text}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </Layout>
  );
}

/** `/login`: the token, once; the cookie then keeps the browser signed in. */
export function LoginPage(
  { csrf, next, error }: { csrf: string; next: string; error?: string },
): JSX.Element {
  return (
    <html lang="en">
      <Head title="Sign in" />
      <body>
        <main class="login">
          <h1>forgesync</h1>
          <form class="card" method="post" action="/login">
            <h2>Sign in</h2>
            <p class="muted">
              This server has FORGESYNC_HTTP_TOKEN set. Enter that token once: the browser keeps a session
              cookie (it never holds the token) for 12 hours.
            </p>
            {error === undefined ? null : <p class="error" role="alert">{error}</p>}
            <Csrf token={csrf} />
            <input type="hidden" name="next" value={next} />
            <label for="token">Token</label>
            <input
              id="token"
              type="password"
              name="token"
              autocomplete="current-password"
              required
              autofocus
            />
            <button type="submit">Sign in</button>
          </form>
        </main>
      </body>
    </html>
  );
}
