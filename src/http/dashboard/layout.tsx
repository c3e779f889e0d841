/**
 * The frame of every dashboard page: the inline stylesheet, the header with the navigation (the
 * current page marked) and, when signed in with the token, the sign-out button.
 *
 * @module
 */
import type { Child } from "hono/jsx";
import type { JSX } from "hono/jsx/jsx-runtime";
import { raw } from "hono/html";
import type { Tier } from "../../config.ts";
import { Csrf } from "./components.tsx";
import { CSS } from "./styles.ts";
import { when } from "./format.ts";

/** What every page knows about the request. */
export interface PageContext {
  readonly tier: Tier;
  readonly version: string;
  readonly readOnly: boolean;
  /** The CSRF token of the session's forms. */
  readonly csrf: string;
  /** Signed in with the token through the form (a sign-out button is shown). */
  readonly signedIn: boolean;
  /** The request's path, for the navigation. */
  readonly path: string;
}

const SECTIONS: readonly { href: string; label: string; git: boolean }[] = [
  { href: "/", label: "Overview", git: false },
  { href: "/tasks", label: "Tasks", git: false },
  { href: "/features", label: "Features", git: false },
  { href: "/links", label: "Links", git: true },
  { href: "/conflicts", label: "Conflicts", git: true },
  { href: "/releases", label: "Releases", git: true },
  { href: "/boards", label: "Boards", git: true },
];

function navLink(section: { href: string; label: string }, current: boolean): JSX.Element {
  return current
    ? <a href={section.href} aria-current="page">{section.label}</a>
    : <a href={section.href}>{section.label}</a>;
}

/** A page's `<head>`: no referrer, the inline styles, the title. */
export function Head({ title }: { title: string }): JSX.Element {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{title} · forgesync</title>
      <style>{raw(CSS)}</style>
    </head>
  );
}

/** A complete page. */
export function Layout(
  { ctx, title, children }: { ctx: PageContext; title: string; children?: Child },
): JSX.Element {
  const current = (href: string) =>
    href === "/" ? ctx.path === "/" : ctx.path === href || ctx.path.startsWith(`${href}/`);
  return (
    <html lang="en">
      <Head title={title} />
      <body>
        <header>
          <div class="top">
            <h1>
              <a href="/">forgesync</a>
            </h1>
            <p>
              {ctx.version} · Git integration: {ctx.tier}
              {ctx.readOnly ? " · read-only" : ""} · read {when(new Date().toISOString())} UTC
            </p>
            {ctx.signedIn
              ? (
                <form method="post" action="/logout">
                  <Csrf token={ctx.csrf} />
                  <button type="submit">Sign out</button>
                </form>
              )
              : null}
          </div>
          <nav class="main" aria-label="sections">
            {SECTIONS.filter((s) => !s.git || ctx.tier !== "disabled").map((s) =>
              navLink(s, current(s.href))
            )}
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
