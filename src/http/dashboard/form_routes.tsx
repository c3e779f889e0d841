/**
 * The dashboard's forms (`POST`), each behind the Origin guard, the body limits and the CSRF check:
 *
 * - `POST /conflicts/:id/resolve` — runs `orchestrator_git_integration`'s `resolve_conflict` action
 *   through the same path as an MCP call (read-only mode refuses it the same way).
 * - `GET|POST /login`, `POST /logout` — the token once, then a signed session cookie (see auth.ts).
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { invokeTool } from "../../mcp/invoke.ts";
import { orchestratorGitIntegration } from "../../mcp/tools/orchestrator_git_integration.ts";
import { findConflict } from "../../store/dashboard_lists.ts";
import { originGuard } from "../middleware.ts";
import { localPath, sessionCookie } from "./auth.ts";
import { type DashboardKit, type Env, idParam, isHttps, numericId } from "./kit.tsx";
import { ConflictPage } from "./page_conflict.tsx";
import { LoginPage } from "./pages_misc.tsx";

/** The HTTP status of a tool's error code. */
const STATUS_OF: ReadonlyMap<string, 400 | 403 | 404 | 409> = new Map([
  ["VALIDATION_ERROR", 400],
  ["FORBIDDEN", 403],
  ["NOT_FOUND", 404],
  ["CONFLICT", 409],
]);

/** Adds the dashboard's forms and sign-in to `app`. */
export function mountForms(app: Hono, kit: DashboardKit): void {
  const { auth, runtime, config } = kit;

  /** Resolves a conflict through the Git integration tool, then goes back to the page it came from. */
  const resolve = async (c: Context<Env>): Promise<Response> => {
    const refused = await kit.gitOnly(c);
    if (refused) return refused;
    const form = await kit.csrfChecked(c);
    if (form instanceof Response) return form;
    const id = numericId(c);
    const conflict = id === undefined ? undefined : await kit.read(findConflict(id));
    if (conflict === undefined) {
      return kit.notFound(c, `No conflict has id "${idParam(c).slice(0, 100)}".`);
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
    return kit.html(
      c,
      <ConflictPage
        ctx={await kit.context(c)}
        conflict={(await kit.read(findConflict(conflict.conflict_id))) ?? conflict}
        notice={{ tone: "bad", text: `Not resolved: ${error.message} ${error.hint}` }}
      />,
      STATUS_OF.get(error.code) ?? 502,
    );
  };
  app.post(
    "/conflicts/:id/resolve",
    originGuard(),
    kit.formGuard,
    kit.signedIn as MiddlewareHandler,
    resolve as never,
  );

  app.get("/login", originGuard(), async (c) => {
    const next = localPath(c.req.query("next"));
    if (!auth.needsSignIn) return c.redirect(next, 303);
    const s = await kit.session(c);
    if (s.signedIn) return c.redirect(next, 303);
    return kit.html(c, <LoginPage csrf={await auth.csrf(s)} next={next} />);
  });

  app.post("/login", originGuard(), kit.formGuard, async (c) => {
    if (!auth.needsSignIn) return c.redirect("/", 303);
    const s = await kit.session(c);
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const field = (name: string) => typeof body[name] === "string" ? body[name] as string : undefined;
    const next = localPath(field("next"));
    if (!(await auth.checkCsrf(s, field("csrf")))) {
      return kit.html(
        c,
        <LoginPage csrf={await auth.csrf(s)} next={next} error="The form expired: sign in again." />,
        403,
      );
    }
    if (!auth.tokenMatches(field("token"))) {
      // Slows guessing down; the comparison itself is constant-time.
      await new Promise((resolve) => setTimeout(resolve, 250));
      return kit.html(
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

  /** Signs out: the session cookie is cleared. */
  const logout = async (c: Context<Env>): Promise<Response> => {
    const form = await kit.csrfChecked(c);
    if (form instanceof Response) return form;
    c.header("Set-Cookie", sessionCookie(null, isHttps(c)));
    return c.redirect(auth.needsSignIn ? "/login" : "/", 303);
  };
  app.post("/logout", originGuard(), kit.formGuard, kit.signedIn as MiddlewareHandler, logout as never);
}
