/**
 * Keeps the GitHub sandbox honest: its JSON is compared, key by key and type by type, with real
 * GitHub responses recorded in `@octokit/fixtures`. (The JSON builders are also typed with
 * `@octokit/openapi-types` schemas, so `deno check` refuses a key GitHub does not have or a
 * value of the wrong type; see `json.ts`.)
 */
import type { components } from "@octokit/openapi-types";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { createGitHubSandbox } from "./sandbox.ts";
import { api, links } from "./test_helpers.ts";

const SCENARIOS = new URL(
  "../../../node_modules/@octokit/fixtures/scenarios/api.github.com/",
  import.meta.url,
);

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly response: unknown;
  readonly headers: Record<string, string | number>;
}

async function fixture(name: string): Promise<Recorded[]> {
  return JSON.parse(await Deno.readTextFile(new URL(`${name}/normalized-fixture.json`, SCENARIOS)));
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * Differences between `mine` and `real`: keys GitHub sends that the sandbox lacks, keys the
 * sandbox sends that GitHub does not (unless in `newer`, keys GitHub added after the recording),
 * and values of another type (null aside: nullable fields may be null on either side).
 */
function shapeDiff(mine: unknown, real: unknown, newer: ReadonlySet<string>, path = "$"): string[] {
  const problems: string[] = [];
  const km = kind(mine), kr = kind(real);
  if (km === "null" || kr === "null") return problems;
  if (km !== kr) return [`${path}: sandbox ${km}, GitHub ${kr}`];
  if (kr === "array") {
    const [a] = mine as unknown[];
    const [b] = real as unknown[];
    return a !== undefined && b !== undefined ? shapeDiff(a, b, newer, `${path}[0]`) : problems;
  }
  if (kr !== "object") return problems;
  const m = mine as Record<string, unknown>, r = real as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!(key in m)) problems.push(`${path}.${key}: missing in the sandbox`);
    else problems.push(...shapeDiff(m[key], r[key], newer, `${path}.${key}`));
  }
  for (const key of Object.keys(m)) {
    if (!(key in r) && !newer.has(key)) problems.push(`${path}.${key}: not sent by GitHub`);
  }
  return problems;
}

/** Keys GitHub sends today that the (2022) recordings predate; each is in @octokit/openapi-types. */
const NEWER = new Set([
  "user_view_type",
  "status",
  "has_discussions",
  "closed_by",
  "draft",
  "pull_request",
  "search_type",
]);

Deno.test("sandbox issue JSON has the keys and types of recorded GitHub issues", async () => {
  const gh = await createGitHubSandbox();
  try {
    const [created] = await fixture("add-labels-to-issue");
    const mine = await api(gh, `/repos/${gh.repository}/issues`, {
      method: "POST",
      body: { title: "Fidelity", labels: ["Foo"], assignees: ["alice"], milestone: 1 },
    });
    assertEquals(mine.status, created!.status);
    assertEquals(shapeDiff(mine.json, created!.response, NEWER), []);

    const pages = await fixture("paginate-issues");
    const listed = await api(gh, `/repos/${gh.repository}/issues?per_page=3`);
    assertEquals(shapeDiff(listed.json[0], (pages[0]!.response as unknown[])[0], NEWER), []);
    assert(!("closed_by" in listed.json[0]), "list items carry no closed_by, as on GitHub");

    const labels = (await fixture("add-labels-to-issue"))[1]!.response as unknown[];
    assertEquals(shapeDiff(mine.json.labels[0], labels[0], NEWER), []);
  } finally {
    await gh.close();
  }
});

Deno.test("sandbox repository, search and error JSON match recorded GitHub responses", async () => {
  const gh = await createGitHubSandbox();
  try {
    const [repo] = await fixture("get-repository");
    const mine = await api(gh, `/repos/${gh.repository}`);
    assertEquals(shapeDiff(mine.json, repo!.response, NEWER), []);

    await gh.seedIssues(2, (i) => ({ title: `Sesame ${i}`, body: "sesame seeds" }));
    const [search] = await fixture("search-issues");
    const found = await api(
      gh,
      `/search/issues?q=${encodeURIComponent(`repo:${gh.repository} is:issue sesame`)}`,
    );
    assertEquals(found.json.total_count, 2);
    assertEquals(shapeDiff(found.json, search!.response, NEWER), []);

    const [invalid] = await fixture("errors");
    const refused = await api(gh, `/repos/${gh.repository}/issues`, { method: "POST", body: { title: "" } });
    assertEquals(refused.status, invalid!.status);
    assertEquals(shapeDiff(refused.json, invalid!.response, NEWER), []);
    assertEquals(refused.json.message, "Validation Failed");
    assertEquals(Object.keys(refused.json.errors[0]).sort(), ["code", "field", "resource"]);
  } finally {
    await gh.close();
  }
});

Deno.test("sandbox headers and link format match recorded GitHub responses", async () => {
  const gh = await createGitHubSandbox();
  try {
    await gh.seedIssues(10);
    const pages = await fixture("paginate-issues");
    const real = pages[1]!.headers;
    const mine = await api(gh, `/repos/${gh.repository}/issues?per_page=3&page=2`);
    for (
      const name of ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-ratelimit-used"]
    ) {
      assert(name in real, `the recording has ${name}`);
      assertMatch(mine.headers.get(name) ?? "", /^\d+$/, name);
    }
    assertEquals(mine.headers.get("x-ratelimit-resource"), String(real["x-ratelimit-resource"]));
    assertEquals(mine.headers.get("content-type"), String(real["content-type"]));
    // Same relations in the same order, same URL form (/repositories/{id}/issues?…&page=N).
    const rels = (h: string) => [...h.matchAll(/rel="([a-z]+)"/g)].map((m) => m[1]);
    assertEquals(rels(mine.headers.get("link")!), rels(String(real.link)));
    const realNext = links(String(real.link)).next!;
    const mineNext = links(mine.headers.get("link")).next!;
    assertMatch(realNext, /\/repositories\/\d+\/issues\?per_page=3&page=3$/);
    assertMatch(mineNext, /\/api\/v3\/repositories\/\d+\/issues\?per_page=3&page=3$/);
    assertMatch(mine.headers.get("etag") ?? "", /^W\/"[0-9a-f]{64}"$/);
  } finally {
    await gh.close();
  }
});

Deno.test("sandbox milestone JSON carries every required key of the OpenAPI milestone", async () => {
  // No recording has a milestone: compare with the schema's required keys (kept in sync by the
  // type below, which fails to compile if the schema gains or loses a required key).
  type Required = { [K in keyof components["schemas"]["milestone"]]-?: true };
  const required: Required = {
    url: true,
    html_url: true,
    labels_url: true,
    id: true,
    node_id: true,
    number: true,
    state: true,
    title: true,
    description: true,
    creator: true,
    open_issues: true,
    closed_issues: true,
    created_at: true,
    updated_at: true,
    closed_at: true,
    due_on: true,
  };
  const gh = await createGitHubSandbox();
  try {
    const mine = await api(gh, `/repos/${gh.repository}/milestones/1`);
    assertEquals(Object.keys(mine.json).sort(), Object.keys(required).sort());
    assertEquals(kind(mine.json.number), "number");
    assertEquals(kind(mine.json.creator), "object");
    assertMatch(mine.json.due_on, /^\d{4}-\d{2}-\d{2}T0[78]:00:00Z$/);
  } finally {
    await gh.close();
  }
});
