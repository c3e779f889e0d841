/**
 * The list pages: tasks, features, links and conflicts (filters, pages), releases and boards.
 *
 * @module
 */
import type { JSX } from "hono/jsx/jsx-runtime";
import { TASK_STATUSES } from "../../domain/task.ts";
import { FEATURE_STATUSES } from "../../domain/feature.ts";
import { FilterForm, Pager } from "./components.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import type { ConflictRow, FeatureRow, LinkRow, TaskRow } from "../../store/dashboard_rows.ts";
import type { Page } from "../../store/dashboard_filters.ts";
import { listHref, type ListQuery } from "./query.ts";
import { ConflictsTable, FeaturesTable, LinksTable, TasksTable } from "./tables.tsx";
import { ReleasesTable } from "./tables_activity.tsx";
import type { ReleaseRow } from "./releases.ts";
import type { DashboardBoard } from "./overview.ts";
import { BoardBox } from "./boards.tsx";
import { plural } from "./format.ts";

/** Link sync states, as the links filter offers them. */
export const LINK_STATUSES = ["synced", "pending", "failed", "manual"] as const;
/** Conflict states, as the conflicts filter offers them. */
export const CONFLICT_STATUSES = ["open", "resolved", "all"] as const;

/** The filters' choices. */
export interface Choices {
  readonly repositories: readonly { config_id: number; name: string }[] | null;
  readonly features: readonly { id: string; title: string }[];
}

/** A notice above a list (a resolution's outcome). */
export interface Notice {
  readonly tone: "good" | "bad";
  readonly text: string;
}

function NoticeBox({ notice }: { notice: Notice | undefined }): JSX.Element | null {
  return notice === undefined ? null : <p class={`note ${notice.tone}`} role="status">{notice.text}</p>;
}

/** `/tasks`. */
export function TasksPage(
  { ctx, query, page, choices }: {
    ctx: PageContext;
    query: ListQuery;
    page: Page<TaskRow>;
    choices: Choices;
  },
): JSX.Element {
  return (
    <Layout ctx={ctx} title="Tasks">
      <h2>
        Tasks <span class="count">{plural(page.total, "task")}</span>
      </h2>
      <FilterForm
        path="/tasks"
        query={query}
        statuses={TASK_STATUSES}
        statusLabel="any but archived"
        repositories={choices.repositories}
        features={choices.features}
      />
      <Pager path="/tasks" query={query} total={page.total} />
      <div class="scroll">
        <TasksTable tasks={page.rows} />
      </div>
      <Pager path="/tasks" query={query} total={page.total} />
    </Layout>
  );
}

/** `/features`. */
export function FeaturesPage(
  { ctx, query, page, choices }: {
    ctx: PageContext;
    query: ListQuery;
    page: Page<FeatureRow>;
    choices: Choices;
  },
): JSX.Element {
  return (
    <Layout ctx={ctx} title="Features">
      <h2>
        Features <span class="count">{plural(page.total, "feature")}</span>
      </h2>
      <FilterForm
        path="/features"
        query={query}
        statuses={FEATURE_STATUSES}
        repositories={choices.repositories}
        showFeature={false}
      />
      <Pager path="/features" query={query} total={page.total} />
      <div class="scroll">
        <FeaturesTable features={page.rows} />
      </div>
      <Pager path="/features" query={query} total={page.total} />
    </Layout>
  );
}

/** `/links`. */
export function LinksPage(
  { ctx, query, page, choices }: {
    ctx: PageContext;
    query: ListQuery;
    page: Page<LinkRow>;
    choices: Choices;
  },
): JSX.Element {
  return (
    <Layout ctx={ctx} title="Links">
      <h2>
        Links <span class="count">{plural(page.total, "link")}</span>
      </h2>
      <FilterForm
        path="/links"
        query={query}
        statuses={LINK_STATUSES}
        repositories={choices.repositories}
        features={choices.features}
      />
      <Pager path="/links" query={query} total={page.total} />
      <div class="scroll">
        <LinksTable links={page.rows} />
      </div>
      <Pager path="/links" query={query} total={page.total} />
    </Layout>
  );
}

/** `/conflicts`: open ones by default, each with its resolve buttons. */
export function ConflictsPage(
  { ctx, query, page, choices, notice }: {
    ctx: PageContext;
    query: ListQuery;
    page: Page<ConflictRow>;
    choices: Choices;
    notice?: Notice;
  },
): JSX.Element {
  return (
    <Layout ctx={ctx} title="Conflicts">
      <h2>
        Conflicts{" "}
        <span class="count">
          {plural(page.total, query.status === undefined ? "open conflict" : "conflict")}
        </span>
      </h2>
      <NoticeBox notice={notice} />
      <p class="muted">
        Keep local sends the local value to the issue; Take remote takes the issue's value. To set another
        value, open the conflict.
      </p>
      <FilterForm
        path="/conflicts"
        query={query}
        statuses={CONFLICT_STATUSES}
        statusLabel="open"
        repositories={choices.repositories}
        features={choices.features}
      />
      <Pager path="/conflicts" query={query} total={page.total} />
      <div class="scroll">
        <ConflictsTable
          conflicts={page.rows}
          csrf={ctx.csrf}
          back={listHref("/conflicts", query)}
          readOnly={ctx.readOnly}
        />
      </div>
      <Pager path="/conflicts" query={query} total={page.total} />
    </Layout>
  );
}

/** `/releases`. */
export function ReleasesPage(
  { ctx, query, releases }: {
    ctx: PageContext;
    query: ListQuery;
    releases: { rows: readonly ReleaseRow[]; total: number };
  },
): JSX.Element {
  return (
    <Layout ctx={ctx} title="Releases">
      <h2>
        Releases and milestones <span class="count">{plural(releases.total, "release")}</span>
      </h2>
      <p class="muted">Progress: completed features count whole, others by their completed tasks.</p>
      <Pager path="/releases" query={query} total={releases.total} />
      <div class="scroll">
        <ReleasesTable releases={releases.rows} />
      </div>
    </Layout>
  );
}

/** `/boards`: every board as columns of cards. */
export function BoardsPage(
  { ctx, boards }: { ctx: PageContext; boards: readonly DashboardBoard[] },
): JSX.Element {
  return (
    <Layout ctx={ctx} title="Boards">
      <h2>
        Boards <span class="count">{plural(boards.length, "board")}</span>
      </h2>
      <p class="muted">
        As forgesync last recorded them (orchestrator_project_board_manager {'{action:"view"}'}{" "}
        reads the forge).
      </p>
      {boards.length === 0
        ? (
          <p class="empty">
            No board yet: orchestrator_project_board_manager {'{action:"create_board"}'} makes or adopts one.
          </p>
        )
        : boards.map((b) => BoardBox({ board: b }))}
    </Layout>
  );
}
