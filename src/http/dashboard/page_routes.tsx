/**
 * The dashboard's pages (`GET`), each behind the Origin guard and the sign-in check: the overview,
 * the lists (tasks, features, links, conflicts: filters and pages), releases and boards, and the page
 * of one item. Each page reads what it shows in one run of the runtime (`DashboardKit.read`), then
 * renders it.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { Effect } from "effect";
import type { AppError } from "../../domain/errors.ts";
import { TASK_STATUSES } from "../../domain/task.ts";
import { FEATURE_STATUSES } from "../../domain/feature.ts";
import { VERSION } from "../../version.ts";
import type { Page } from "../../store/dashboard_filters.ts";
import {
  featureChoices,
  findConflict,
  listConflicts,
  listFeatures,
  listLinks,
  listTasks,
  repositoryChoices,
} from "../../store/dashboard_lists.ts";
import { featureDetail, linkDetail, taskDetail } from "../../store/dashboard_items.ts";
import { originGuard } from "../middleware.ts";
import { type DashboardKit, type Env, idParam, numericId, type Reads } from "./kit.tsx";
import type { PageContext } from "./layout.tsx";
import { type ListQuery, PAGE_SIZE, readListQuery } from "./query.ts";
import { overview } from "./overview.ts";
import { listReleases, releaseDetail } from "./releases.ts";
import {
  BoardsPage,
  type Choices,
  CONFLICT_STATUSES,
  ConflictsPage,
  FeaturesPage,
  LINK_STATUSES,
  LinksPage,
  type Notice,
  ReleasesPage,
  TasksPage,
} from "./pages_lists.tsx";
import { FeaturePage, LinkPage, TaskPage } from "./pages_items.tsx";
import { ConflictPage } from "./page_conflict.tsx";
import { ReleasePage } from "./page_release.tsx";
import { OverviewPage } from "./pages_misc.tsx";

/** The outcome of a resolution, after its redirect (`?resolved=ID`). */
export const resolvedNotice = (c: Context): Effect.Effect<Notice | undefined, AppError, Reads> => {
  const id = Number(new URL(c.req.url).searchParams.get("resolved"));
  if (!Number.isInteger(id) || id <= 0) return Effect.succeed(undefined);
  return findConflict(id).pipe(Effect.map((conflict) => {
    if (conflict === undefined || conflict.status !== "resolved") return undefined;
    const how = conflict.resolution === "local"
      ? "kept the local value (sent to the issue)"
      : conflict.resolution === "remote"
      ? "took the issue's value"
      : "set both sides to the given value";
    return { tone: "good" as const, text: `Conflict ${id} on ${conflict.field} resolved: ${how}.` };
  }));
};

/** What a list page shows. */
interface ListProps<T> {
  readonly ctx: PageContext;
  readonly query: ListQuery;
  readonly page: Page<T>;
  readonly choices: Choices;
  readonly notice: Notice | undefined;
}

/** A list page: its statuses, whether it needs the Git integration, its rows, how it renders. */
interface ListRoute<T> {
  readonly statuses: readonly string[];
  readonly git: boolean;
  readonly rows: (q: ListQuery) => Effect.Effect<Page<T>, AppError, Reads>;
  readonly render: (props: ListProps<T>) => JSX.Element;
  /** A notice above the list (the outcome of a form), if any. */
  readonly notice?: (c: Context) => Effect.Effect<Notice | undefined, AppError, Reads>;
}

/** An item's page: whether it needs the Git integration, what it is called, its reading, its rendering. */
interface ItemRoute<I, D> {
  readonly git: boolean;
  readonly what: string;
  readonly id: (c: Context) => I | undefined;
  readonly detail: (id: I, c: Context) => Effect.Effect<D | undefined, AppError, Reads>;
  readonly render: (ctx: PageContext, detail: D) => JSX.Element;
}

/** Adds the dashboard's pages to `app`. */
export function mountPages(app: Hono, kit: DashboardKit): void {
  const page = (path: string, handler: (c: Context<Env>) => Promise<Response>) =>
    app.get(path, originGuard(), kit.signedIn as MiddlewareHandler, handler as never);

  const choices = (feature: string | undefined): Effect.Effect<Choices, AppError, Reads> =>
    Effect.all({
      repositories: kit.git ? repositoryChoices : Effect.succeed(null),
      features: featureChoices(feature),
    });

  const list = <T,>(path: string, route: ListRoute<T>) =>
    page(path, async (c) => {
      const refused = route.git ? await kit.gitOnly(c) : undefined;
      if (refused) return refused;
      const q = readListQuery(new URL(c.req.url).searchParams, route.statuses);
      const data = await kit.read(Effect.all({
        page: route.rows(q),
        choices: choices(q.feature),
        notice: route.notice?.(c) ?? Effect.succeed(undefined),
      }));
      return kit.html(c, route.render({ ctx: await kit.context(c), query: q, ...data }));
    });

  const item = <I, D>(path: string, route: ItemRoute<I, D>) =>
    page(path, async (c) => {
      const refused = route.git ? await kit.gitOnly(c) : undefined;
      if (refused) return refused;
      const id = route.id(c);
      const detail = id === undefined ? undefined : await kit.read(route.detail(id, c));
      return detail === undefined
        ? kit.notFound(c, `No ${route.what} has id "${idParam(c).slice(0, 100)}".`)
        : kit.html(c, route.render(await kit.context(c), detail));
    });

  page("/", async (c) => {
    const data = await kit.read(overview(kit.config.tier, VERSION));
    return kit.html(c, <OverviewPage ctx={await kit.context(c)} data={data} />);
  });

  list("/tasks", {
    statuses: TASK_STATUSES,
    git: false,
    rows: listTasks,
    render: (p) => <TasksPage {...p} />,
  });
  list("/features", {
    statuses: FEATURE_STATUSES,
    git: false,
    rows: listFeatures,
    render: (p) => <FeaturesPage {...p} />,
  });
  list("/links", {
    statuses: LINK_STATUSES,
    git: true,
    rows: listLinks,
    render: (p) => <LinksPage {...p} />,
  });
  list("/conflicts", {
    statuses: CONFLICT_STATUSES,
    git: true,
    rows: listConflicts,
    render: (p) => <ConflictsPage {...p} />,
    notice: resolvedNotice,
  });

  page("/releases", async (c) => {
    const refused = await kit.gitOnly(c);
    if (refused) return refused;
    const q = readListQuery(new URL(c.req.url).searchParams, []);
    const releases = await kit.read(listReleases(PAGE_SIZE, (q.page - 1) * PAGE_SIZE));
    return kit.html(c, <ReleasesPage ctx={await kit.context(c)} query={q} releases={releases} />);
  });

  page("/boards", async (c) => {
    const refused = await kit.gitOnly(c);
    if (refused) return refused;
    const data = await kit.read(overview(kit.config.tier, VERSION));
    return kit.html(c, <BoardsPage ctx={await kit.context(c)} boards={data.git?.boards ?? []} />);
  });

  item("/tasks/:id", {
    git: false,
    what: "task",
    id: idParam,
    detail: taskDetail,
    render: (ctx, detail) => <TaskPage ctx={ctx} detail={detail} />,
  });
  item("/features/:id", {
    git: false,
    what: "feature",
    id: idParam,
    detail: featureDetail,
    render: (ctx, detail) => <FeaturePage ctx={ctx} detail={detail} />,
  });
  item("/links/:id", {
    git: true,
    what: "link",
    id: numericId,
    detail: linkDetail,
    render: (ctx, detail) => <LinkPage ctx={ctx} detail={detail} />,
  });
  item("/conflicts/:id", {
    git: true,
    what: "conflict",
    id: numericId,
    detail: (id, c) =>
      findConflict(id).pipe(
        Effect.flatMap((conflict) =>
          conflict === undefined
            ? Effect.succeed(undefined)
            : resolvedNotice(c).pipe(Effect.map((notice) => ({ conflict, notice })))
        ),
      ),
    render: (ctx, detail) => <ConflictPage ctx={ctx} conflict={detail.conflict} notice={detail.notice} />,
  });
  item("/releases/:id", {
    git: true,
    what: "release",
    id: numericId,
    detail: releaseDetail,
    render: (ctx, detail) => <ReleasePage ctx={ctx} detail={detail} />,
  });
}
