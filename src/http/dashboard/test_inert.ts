/**
 * Test support: a page holds only the markup the dashboard writes — known tags, no event handler
 * attribute, no script, links to this server's paths, to anchors or to http(s) pages, forms posting
 * to this server. Text an item brought (escaped) cannot open a tag.
 *
 * @module
 */
import { assert, assertFalse, assertMatch } from "../../testing/assert.ts";

const TAGS = new Set(
  (
    "html head meta title style body header h1 h2 h3 h4 p nav a div b main section span table thead tbody tr th " +
    "td article dl dt dd ul li form input select option button label textarea progress figure figcaption svg rect " +
    "line polyline"
  ).split(" "),
);

/** Fails when `html` holds anything but the dashboard's own inert markup. */
export function assertInert(html: string): void {
  assertFalse(/<script/i.test(html), "a script tag reached the page");
  assertFalse(/<link|@import|url\(/i.test(html), "the page loads something from elsewhere");
  for (const [, name, attributes] of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    assert(TAGS.has(name!.toLowerCase()), `unexpected tag <${name}${attributes}>`);
    const names = [...attributes!.replace(/"[^"]*"/g, '""').matchAll(/\s([a-zA-Z-]+)(?==)/g)].map((m) =>
      m[1]!.toLowerCase()
    );
    assertFalse(names.some((n) => n.startsWith("on")), `event handler in <${name}${attributes}>`);
    for (const [, href] of attributes!.matchAll(/href="([^"]*)"/g)) {
      assertMatch(href!, /^(#|https?:\/\/|\/(?![/\\]))/);
    }
    for (const [, action] of attributes!.matchAll(/action="([^"]*)"/g)) assertMatch(action!, /^\/(?![/\\])/);
  }
}
