/**
 * Support of the dashboard's tests: hostile texts, a page read as a browser would (with the
 * security headers checked), a cookie jar for one session, the rows and the CSRF token of a page, and
 * a GitHub-backed app seeded through the tools.
 *
 * @module
 */
import { assertEquals, assertMatch } from "../../testing/assert.ts";
import type { GitHubSandbox } from "../../testing/github_sandbox.ts";
import { type AppFixture, withApp } from "../test_support.ts";
import { DASHBOARD_CSP } from "./routes.tsx";
import { assertInert } from "./test_inert.ts";
import { seedDashboard } from "./test_seed.ts";

/** A title that is a script when not escaped. */
export const XSS = "<script>alert(1)</script>";
/** A value that breaks out of an attribute when not escaped. */
export const ATTR_XSS = `"><img src=x onerror=alert(1)>`;

/** A page's HTML, checking the answer is a 200 HTML page with the dashboard's policy. */
export async function page(
  fx: AppFixture,
  path = "/",
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fx.request(path, { headers });
  assertEquals(response.status, 200);
  assertMatch(response.headers.get("content-type") ?? "", /^text\/html/);
  assertEquals(response.headers.get("content-security-policy"), DASHBOARD_CSP);
  return await response.text();
}

/** A browser's cookie jar for one session cookie. */
export class Jar {
  cookie: string | undefined;
  /** Keeps the cookie an answer sets. */
  take(response: Response): void {
    const set = response.headers.get("set-cookie");
    if (set !== null) this.cookie = set.split(";")[0];
  }
  /** The headers of a browser's request with the cookie. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: "text/html", ...(this.cookie === undefined ? {} : { cookie: this.cookie }), ...extra };
  }
}

/** A page as a browser gets it (200 pages checked for the policy and for inert HTML). */
export async function get(
  fx: AppFixture,
  path: string,
  jar: Jar = new Jar(),
): Promise<{ status: number; html: string }> {
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
export const rows = (html: string): string[] =>
  html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>")).split("<tr>").slice(1);

/** The CSRF token of a page's forms. */
export const csrfOf = (html: string): string => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

/** Runs `f` on an app over the GitHub sandbox, seeded with `seedDashboard` (60 imported issues). */
export const withSeeded = (
  f: (fx: AppFixture, seeded: Awaited<ReturnType<typeof seedDashboard>>) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> =>
  withApp({ platform: "github", env }, async (fx) => {
    const seeded = await seedDashboard(fx.tool, fx.sandbox as GitHubSandbox, 60);
    await f(fx, seeded);
  });
