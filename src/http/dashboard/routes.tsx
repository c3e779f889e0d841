/**
 * The dashboard's routes (SPEC §8), each behind the Origin guard (the Host guard covers the whole
 * app), the sign-in check and, for forms, the CSRF check:
 *
 * - `GET /` overview; `/tasks`, `/features`, `/links`, `/conflicts` (filters and pages), `/releases`,
 *   `/boards`; `/tasks/:id`, `/features/:id`, `/links/:id`, `/conflicts/:id`, `/releases/:id`.
 * - `POST /conflicts/:id/resolve` — runs `orchestrator_git_integration`'s `resolve_conflict` action
 *   through the same path as an MCP call (read-only mode refuses it the same way).
 * - `GET|POST /login`, `POST /logout` — the token once, then a signed session cookie (see auth.ts).
 *
 * Pages are rendered on the server with no script; the Content Security Policy allows inline styles,
 * forms to this server, and nothing else.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { ToolRuntime } from "../../mcp/tools/mod.ts";
import type { AppConfig } from "../../config.ts";
import { Configs } from "../../store/configs.ts";
import type { Db } from "../../store/db.ts";
import { TASK_STATUSES } from "../../domain/task.ts";
import { FEATURE_STATUSES } from "../../domain/feature.ts";
import { VERSION } from "../../version.ts";
import { invokeTool } from "../../mcp/invoke.ts";
import { orchestratorGitIntegration } from "../../mcp/tools/orchestrator_git_integration.ts";
import { bodyGuard } from "../body_guard.ts";
import { originGuard } from "../middleware.ts";
import { DashboardAuth, localPath, readSessionCookie, type Session, sessionCookie } from "./auth.ts";
import type { PageContext } from "./layout.tsx";
import {
  featureChoices,
  findConflict,
  listConflicts,
  listFeatures,
  listLinks,
  listTasks,
  repositoryChoices,
} from "./lists.ts";
import { featureDetail, linkDetail, listReleases, releaseDetail, taskDetail } from "./items.ts";
import { overview } from "./overview.ts";
import { PAGE_SIZE, readListQuery } from "./query.ts";
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
import { ConflictPage, FeaturePage, LinkPage, ReleasePage, TaskPage } from "./pages_items.tsx";
import { LoginPage, MessagePage, OverviewPage } from "./pages_misc.tsx";
import { Effect } from "effect";

/** The Content Security Policy of every page: inline styles, forms to this server, nothing else. */
export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The largest form body accepted (a conflict's value is at most 64 KiB). */
const FORM_LIMIT = 256 * 1024;

type Env = { Variables: { session: Session; bearer: boolean } };

function secureHeaders(c: Context): void {
  c.header("Content-Security-Policy", DASHBOARD_CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
}

async function html(c: Context, page: JSX.Element, status = 200): Promise<Response> {
  secureHeaders(c);
  return c.html(`<!DOCTYPE html>${await page.toString()}`, status as 200);
}

/** The `:id` of a route (an empty string when absent). */
const idParam = (c: Context): string => c.req.param("id") ?? "";

const isHttps = (c: Context) => new URL(c.req.url).protocol === "https:";
const wantsHtml = (c: Context) => /\btext\/html\b/.test(c.req.header("accept") ?? "");

/** Adds the dashboard's routes to `app`. */
export function mountDashboard(
  app: Hono,
  runtime: ToolRuntime,
  config: AppConfig,
  token: string | undefined,
): void {
  const auth = new DashboardAuth(token);
  const run = <A,>(effect: Effect.Effect<A, never, Db | Configs>) => runtime.runPromise(effect);
  const git = config.tier !== "disabled";

  /** The session of the request, a new one when it has none (set in the answer). */
  const session = async (c: Context): Promise<Session> => {
    const current = await auth.verify(readSessionCookie(c.req.header("cookie")));
    if (current !== undefined) return current;
    const issued = await auth.issue(false);
    c.header("Set-Cookie", sessionCookie(issued.value, isHttps(c)), { append: true });
    return issued.session;
  };

  /** Pages: a signed-in session or the bearer header when a token is set; a session in any case. */
  const signedIn: MiddlewareHandler<Env> = async (c, next) => {
    const bearer = auth.bearerMatches(c.req.header("authorization"));
    const s = await session(c);
    if (auth.needsSignIn && !s.signedIn && !bearer) {
      if (c.req.method === "GET" && wantsHtml(c)) {
        const url = new URL(c.req.url);
        return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
      }
      c.header("WWW-Authenticate", 'Bearer realm="forgesync"');
      return c.json({
        error:
          "Missing or wrong bearer token: send Authorization: Bearer $FORGESYNC_HTTP_TOKEN, or sign in at /login.",
      }, 401);
    }
    c.set("session", s);
    c.set("bearer", bearer);
    await next();
  };

  /** Forms: the session's CSRF token (or the bearer header, which a browser never sends by itself). */
  const csrfChecked = async (c: Context<Env>): Promise<Record<string, string> | Response> => {
    const body = await c.req.parseBody().catch(() => ({}));
    const form = Object.fromEntries(
      Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    if (!c.get("bearer") && !(await auth.checkCsrf(c.get("session"), form.csrf))) {
      return html(
        c,
        <MessagePage
          ctx={await context(c)}
          title="The form has expired"
          text="This form was not sent from a page of this session (or the server restarted). Reload the page and try again."
        />,
        403,
      );
    }
    return form;
  };

  const formGuard = bodyGuard({
    maxBytes: FORM_LIMIT,
    tooLarge: (c) => c.text(`Form over ${FORM_LIMIT} bytes.`, 413),
    tooSlow: (c) => c.text("The form arrived too slowly.", 408),
  });

  const context = async (c: Context<Env>): Promise<PageContext> => ({
    tier: config.tier,
    version: VERSION,
    readOnly: config.readOnly,
    csrf: await auth.csrf(c.get("session")),
    signedIn: auth.needsSignIn && c.get("session").signedIn,
    path: c.req.path,
  });

  const choices = async (feature: string | undefined): Promise<Choices> => ({
    repositories: git ? await run(repositoryChoices()) : null,
    features: await run(featureChoices(feature)),
  });

  const notFound = async (c: Context<Env>, what: string) =>
    html(c, <MessagePage ctx={await context(c)} title="Not found" text={what} />, 404);

  const gitOnly = async (c: Context<Env>) =>
    git ? undefined : html(
      c,
      <MessagePage
        ctx={await context(c)}
        title="The Git integration is disabled"
        text="Set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true and restart forgesync to link tasks and features to issues."
      />,
      404,
    );

  const query = (c: Context, statuses: readonly string[]) =>
    readListQuery(new URL(c.req.url).searchParams, statuses);

  const page = (path: string, handler: (c: Context<Env>) => Promise<Response>) =>
    app.get(path, originGuard(), signedIn as MiddlewareHandler, handler as never);

  page(
    "/",
    async (c) =>
      html(c, <OverviewPage ctx={await context(c)} data={await run(overview(config.tier, VERSION))} />),
  );

  page("/tasks", async (c) => {
    const q = query(c, TASK_STATUSES);
    return html(
      c,
      <TasksPage
        ctx={await context(c)}
        query={q}
        page={await run(listTasks(q))}
        choices={await choices(q.feature)}
      />,
    );
  });

  page("/features", async (c) => {
    const q = query(c, FEATURE_STATUSES);
    return html(
      c,
      <FeaturesPage
        ctx={await context(c)}
        query={q}
        page={await run(listFeatures(q))}
        choices={await choices(q.feature)}
      />,
    );
  });

  page("/links", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const q = query(c, LINK_STATUSES);
    return html(
      c,
      <LinksPage
        ctx={await context(c)}
        query={q}
        page={await run(listLinks(q))}
        choices={await choices(q.feature)}
      />,
    );
  });

  /** The outcome of a resolution, after its redirect (`?resolved=ID`). */
  const resolvedNotice = async (c: Context): Promise<Notice | undefined> => {
    const id = Number(new URL(c.req.url).searchParams.get("resolved"));
    if (!Number.isInteger(id) || id <= 0) return undefined;
    const conflict = await run(findConflict(id));
    if (conflict === undefined || conflict.status !== "resolved") return undefined;
    const how = conflict.resolution === "local"
      ? "kept the local value (sent to the issue)"
      : conflict.resolution === "remote"
      ? "took the issue's value"
      : "set both sides to the given value";
    return { tone: "good", text: `Conflict ${id} on ${conflict.field} resolved: ${how}.` };
  };

  page("/conflicts", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const q = query(c, CONFLICT_STATUSES);
    return html(
      c,
      <ConflictsPage
        ctx={await context(c)}
        query={q}
        page={await run(listConflicts(q))}
        choices={await choices(q.feature)}
        notice={await resolvedNotice(c)}
      />,
    );
  });

  page("/releases", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const q = query(c, []);
    const releases = await run(listReleases(PAGE_SIZE, (q.page - 1) * PAGE_SIZE));
    return html(c, <ReleasesPage ctx={await context(c)} query={q} releases={releases} />);
  });

  page("/boards", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const data = await run(overview(config.tier, VERSION));
    return html(c, <BoardsPage ctx={await context(c)} boards={data.git?.boards ?? []} />);
  });

  page("/tasks/:id", async (c) => {
    const detail = await run(taskDetail(idParam(c)));
    return detail === undefined
      ? notFound(c, `No task has id "${idParam(c).slice(0, 100)}".`)
      : html(c, <TaskPage ctx={await context(c)} detail={detail} />);
  });

  page("/features/:id", async (c) => {
    const detail = await run(featureDetail(idParam(c)));
    return detail === undefined
      ? notFound(c, `No feature has id "${idParam(c).slice(0, 100)}".`)
      : html(c, <FeaturePage ctx={await context(c)} detail={detail} />);
  });

  const numericId = (c: Context) => {
    const id = Number(idParam(c));
    return Number.isInteger(id) && id > 0 && id < 2 ** 53 ? id : undefined;
  };

  page("/links/:id", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const id = numericId(c);
    const detail = id === undefined ? undefined : await run(linkDetail(id));
    return detail === undefined
      ? notFound(c, `No link has id "${idParam(c).slice(0, 100)}".`)
      : html(c, <LinkPage ctx={await context(c)} detail={detail} />);
  });

  page("/conflicts/:id", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const id = numericId(c);
    const conflict = id === undefined ? undefined : await run(findConflict(id));
    return conflict === undefined
      ? notFound(c, `No conflict has id "${idParam(c).slice(0, 100)}".`)
      : html(c, <ConflictPage ctx={await context(c)} conflict={conflict} notice={await resolvedNotice(c)} />);
  });

  page("/releases/:id", async (c) => {
    const refused = await gitOnly(c);
    if (refused) return refused;
    const id = numericId(c);
    const detail = id === undefined ? undefined : await run(releaseDetail(id));
    return detail === undefined
      ? notFound(c, `No release has id "${idParam(c).slice(0, 100)}".`)
      : html(c, <ReleasePage ctx={await context(c)} detail={detail} />);
  });

  app.post("/conflicts/:id/resolve", originGuard(), formGuard, signedIn as MiddlewareHandler, async (c) => {
    const ctx = c as unknown as Context<Env>;
    const refused = await gitOnly(ctx);
    if (refused) return refused;
    const form = await csrfChecked(ctx);
    if (form instanceof Response) return form;
    const id = numericId(c);
    const conflict = id === undefined ? undefined : await run(findConflict(id));
    if (conflict === undefined) {
      return notFound(ctx, `No conflict has id "${idParam(c).slice(0, 100)}".`);
    }
    const result = await invokeTool(orchestratorGitIntegration, {
      action: "resolve_conflict",
      conflict_id: conflict.conflict_id,
      resolution: form.resolution ?? "",
      ...(form.resolution === "value" ? { value: form.value ?? "" } : {}),
    }, { runtime, readOnly: config.readOnly });
    if (!result.isError) {
      const back = localPath(form.back);
      return c.redirect(`${back}${back.includes("?") ? "&" : "?"}resolved=${conflict.conflict_id}`, 303);
    }
    const error =
      (result.structuredContent as { error: { code: string; message: string; hint: string } }).error;
    const status = error.code === "VALIDATION_ERROR"
      ? 400
      : error.code === "FORBIDDEN"
      ? 403
      : error.code === "NOT_FOUND"
      ? 404
      : error.code === "CONFLICT"
      ? 409
      : 502;
    return html(
      ctx,
      <ConflictPage
        ctx={await context(ctx)}
        conflict={(await run(findConflict(conflict.conflict_id))) ?? conflict}
        notice={{ tone: "bad", text: `Not resolved: ${error.message} ${error.hint}` }}
      />,
      status,
    );
  });

  app.get("/login", originGuard(), async (c) => {
    const next = localPath(c.req.query("next"));
    if (!auth.needsSignIn) return c.redirect(next, 303);
    const s = await session(c);
    if (s.signedIn) return c.redirect(next, 303);
    return html(c, <LoginPage csrf={await auth.csrf(s)} next={next} />);
  });

  app.post("/login", originGuard(), formGuard, async (c) => {
    if (!auth.needsSignIn) return c.redirect("/", 303);
    const s = await session(c);
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const field = (name: string) => typeof body[name] === "string" ? body[name] as string : undefined;
    const next = localPath(field("next"));
    if (!(await auth.checkCsrf(s, field("csrf")))) {
      return html(
        c,
        <LoginPage csrf={await auth.csrf(s)} next={next} error="The form expired: sign in again." />,
        403,
      );
    }
    if (!auth.tokenMatches(field("token"))) {
      // Slows guessing down; the comparison itself is constant-time.
      await new Promise((resolve) => setTimeout(resolve, 250));
      return html(
        c,
        <LoginPage
          csrf={await auth.csrf(s)}
          next={next}
          error="That is not the token this server was started with."
        />,
        401,
      );
    }
    const signed = await auth.issue(true);
    c.header("Set-Cookie", sessionCookie(signed.value, isHttps(c)));
    return c.redirect(next, 303);
  });

  app.post("/logout", originGuard(), formGuard, signedIn as MiddlewareHandler, async (c) => {
    const form = await csrfChecked(c as unknown as Context<Env>);
    if (form instanceof Response) return form;
    c.header("Set-Cookie", sessionCookie(null, isHttps(c)));
    return c.redirect(auth.needsSignIn ? "/login" : "/", 303);
  });
}
