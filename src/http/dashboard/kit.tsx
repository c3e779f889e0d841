/**
 * What every dashboard route uses: the security headers and the HTML answer, the session (issued
 * on the first visit), the sign-in check, the CSRF check of forms, the page context, and `read` — a
 * route's one run of the runtime, its statements read outside any transaction.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { Effect } from "effect";
import type { ToolRuntime } from "../../mcp/tools/mod.ts";
import type { AppConfig } from "../../config.ts";
import type { AppError } from "../../domain/errors.ts";
import type { Configs } from "../../store/configs.ts";
import { Db } from "../../store/db.ts";
import type { SqlRead } from "../../store/sql.ts";
import { VERSION } from "../../version.ts";
import { bodyGuard } from "../body_guard.ts";
import { DashboardAuth, readSessionCookie, type Session, sessionCookie } from "./auth.ts";
import type { PageContext } from "./layout.tsx";
import { MessagePage } from "./pages_misc.tsx";

/** The Content Security Policy of every page: inline styles, forms to this server, nothing else. */
export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The largest form body accepted (a conflict's value is at most 64 KiB). */
const FORM_LIMIT = 256 * 1024;

/** The variables a signed-in route sets. */
export type Env = { Variables: { session: Session; bearer: boolean } };

/** What a dashboard route reads through: the store's statements, the configurations, the database. */
export type Reads = SqlRead | Db | Configs;

/** Whether the request came over HTTPS (the session cookie is then `Secure`). */
export const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === "https:";

const wantsHtml = (c: Context) => /\btext\/html\b/.test(c.req.header("accept") ?? "");

/** The `:id` of a route (an empty string when absent). */
export const idParam = (c: Context): string => c.req.param("id") ?? "";

/** The `:id` of a route as a positive integer, or undefined. */
export const numericId = (c: Context): number | undefined => {
  const id = Number(idParam(c));
  return Number.isInteger(id) && id > 0 && id < 2 ** 53 ? id : undefined;
};

/** The dashboard's shared parts, made once per app. */
export class DashboardKit {
  readonly auth: DashboardAuth;
  /** Whether the Git integration is enabled (its pages exist). */
  readonly git: boolean;

  constructor(
    readonly runtime: ToolRuntime,
    readonly config: AppConfig,
    token: string | undefined,
  ) {
    this.auth = new DashboardAuth(token);
    this.git = config.tier !== "disabled";
  }

  /** Runs a route's reads: one run of the runtime, each statement on its own. */
  read<A>(effect: Effect.Effect<A, AppError, Reads>): Promise<A> {
    return this.runtime.runPromise(Db.use((db) => db.reading(effect)));
  }

  /** Answers with a page and the security headers. */
  async html(c: Context, page: JSX.Element, status = 200): Promise<Response> {
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    return c.html(`<!DOCTYPE html>${await page.toString()}`, status as 200);
  }

  /** The session of the request, a new one when it has none (set in the answer). */
  async session(c: Context): Promise<Session> {
    const current = await this.auth.verify(readSessionCookie(c.req.header("cookie")));
    if (current !== undefined) return current;
    const issued = await this.auth.issue(false);
    c.header("Set-Cookie", sessionCookie(issued.value, isHttps(c)), { append: true });
    return issued.session;
  }

  /** Pages: a signed-in session or the bearer header when a token is set; a session in any case. */
  readonly signedIn: MiddlewareHandler<Env> = async (c, next) => {
    const bearer = this.auth.bearerMatches(c.req.header("authorization"));
    const s = await this.session(c);
    if (this.auth.needsSignIn && !s.signedIn && !bearer) {
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

  /** A page's context: the tier, the session's CSRF token, the path. */
  async context(c: Context<Env>): Promise<PageContext> {
    return {
      tier: this.config.tier,
      version: VERSION,
      readOnly: this.config.readOnly,
      csrf: await this.auth.csrf(c.get("session")),
      signedIn: this.auth.needsSignIn && c.get("session").signedIn,
      path: c.req.path,
    };
  }

  /** Forms: the session's CSRF token (or the bearer header, which a browser never sends by itself). */
  async csrfChecked(c: Context<Env>): Promise<Record<string, string> | Response> {
    const body = await c.req.parseBody().catch(() => ({}));
    const form = Object.fromEntries(
      Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    if (!c.get("bearer") && !(await this.auth.checkCsrf(c.get("session"), form.csrf))) {
      return this.html(
        c,
        <MessagePage
          ctx={await this.context(c)}
          title="The form has expired"
          text="This form was not sent from a page of this session (or the server restarted). Reload the page and try again."
        />,
        403,
      );
    }
    return form;
  }

  /** The body limits of a form. */
  readonly formGuard: MiddlewareHandler = bodyGuard({
    maxBytes: FORM_LIMIT,
    tooLarge: (c) => c.text(`Form over ${FORM_LIMIT} bytes.`, 413),
    tooSlow: (c) => c.text("The form arrived too slowly.", 408),
  });

  /** A 404 page saying what was not found. */
  async notFound(c: Context<Env>, what: string): Promise<Response> {
    return this.html(c, <MessagePage ctx={await this.context(c)} title="Not found" text={what} />, 404);
  }

  /** The 404 of a Git page while the integration is disabled, or undefined when it is enabled. */
  async gitOnly(c: Context<Env>): Promise<Response | undefined> {
    if (this.git) return undefined;
    return this.html(
      c,
      <MessagePage
        ctx={await this.context(c)}
        title="The Git integration is disabled"
        text="Set MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION=true and restart forgesync to link tasks and features to issues."
      />,
      404,
    );
  }
}
