/**
 * The GitHub sandbox's search, milestones and releases.
 */
import { assertEquals, assertMatch, assertStringIncludes } from "../assert.ts";
import { githubDueOn } from "./model.ts";
import { createGitHubSandbox } from "./sandbox.ts";
import { api, ManualClock } from "./test_helpers.ts";

const search = (q: string) => `/search/issues?q=${encodeURIComponent(q)}`;

Deno.test("search needs is:issue, matches quoted phrases in the body, and skips pull requests", async () => {
  const gh = await createGitHubSandbox();
  try {
    await gh.remoteCreate({ title: "one", body: "text <!-- forgesync:task=t_1 --> end" });
    await gh.remoteCreate({ title: "two", body: "forgesync:task=t_2" });
    const refused = await api(gh, search(`repo:${gh.repository} "forgesync:task=t_1"`));
    assertEquals(refused.status, 422);
    assertEquals(refused.json.message, "Query must include 'is:issue' or 'is:pull-request'");
    const hit = await api(gh, search(`repo:${gh.repository} is:issue "forgesync:task=t_1" in:body`));
    assertEquals(hit.json.items.map((i: { title: string }) => i.title), ["one"]);
    assertEquals(hit.json.incomplete_results, false);
    const title = await api(gh, search(`repo:${gh.repository} is:issue "forgesync:task=t_1" in:title`));
    assertEquals(title.json.total_count, 0);
    const prs = await api(gh, search(`repo:${gh.repository} is:pr sandbox`));
    assertEquals(prs.json.total_count, 3);
    const other = await api(gh, search(`repo:${gh.publicRepository} is:issue one`));
    assertEquals(other.json.total_count, 0);
  } finally {
    await gh.close();
  }
});

Deno.test("search lags behind writes by the configured delay", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now, searchDelaySeconds: 60 });
  try {
    await gh.remoteCreate({ title: "fresh", body: "needle" });
    const q = search(`repo:${gh.repository} is:issue needle`);
    assertEquals((await api(gh, q)).json.total_count, 0, "not indexed yet");
    clock.advance(59_000);
    assertEquals((await api(gh, q)).json.total_count, 0);
    clock.advance(1_000);
    assertEquals((await api(gh, q)).json.total_count, 1);
    gh.setSearchDelay(0);
    await gh.remoteCreate({ title: "fresher", body: "needle" });
    assertEquals((await api(gh, q)).json.total_count, 2);
  } finally {
    await gh.close();
  }
});

Deno.test("search has its own budget of 30 a minute", async () => {
  const clock = new ManualClock();
  const gh = await createGitHubSandbox({ now: clock.now });
  try {
    const q = search(`repo:${gh.repository} is:issue x`);
    const first = await api(gh, q);
    assertEquals(first.headers.get("x-ratelimit-resource"), "search");
    assertEquals([first.headers.get("x-ratelimit-limit"), first.headers.get("x-ratelimit-remaining")], [
      "30",
      "29",
    ]);
    assertEquals(gh.budget!().remaining, 5000, "search does not spend the core budget");
    gh.setSearchBudget(0);
    const limited = await api(gh, q);
    assertEquals([limited.status, limited.headers.get("x-ratelimit-remaining")], [403, "0"]);
    assertMatch(limited.json.message, /^API rate limit exceeded/);
    clock.advance(61_000);
    assertEquals((await api(gh, q)).status, 200);
  } finally {
    await gh.close();
  }
});

Deno.test("milestones: list open by default, create, unique titles, close, issue counts", async () => {
  const gh = await createGitHubSandbox();
  try {
    const path = `/repos/${gh.repository}/milestones`;
    const listed = await api(gh, path);
    assertEquals(
      listed.json.map((m: { title: string }) => m.title),
      ["v1.0", "v2.0"],
      "due date order, none last",
    );
    const made = await api(gh, path, {
      method: "POST",
      body: { title: "v3.0", description: "Third", due_on: "2026-12-01T12:00:00Z" },
    });
    assertEquals(made.status, 201);
    assertEquals([made.json.number, made.json.state, made.json.description], [3, "open", "Third"]);
    assertEquals(made.json.due_on, "2026-12-01T08:00:00Z", "midnight Pacific, as GitHub stores it");
    assertMatch(made.json.html_url, /\/milestone\/3$/);
    const dup = await api(gh, path, { method: "POST", body: { title: "V3.0" } });
    assertEquals([dup.status, dup.json.errors[0].code], [422, "already_exists"]);
    assertEquals((await api(gh, path, { method: "POST", body: {} })).status, 422);

    await gh.remoteCreate({ title: "a", milestone: "v3.0" });
    await gh.remoteCreate({ title: "b", milestone: "v3.0", status: "completed" });
    const counted = await api(gh, `${path}/3`);
    assertEquals([counted.json.open_issues, counted.json.closed_issues], [1, 1]);

    const closed = await api(gh, `${path}/3`, { method: "PATCH", body: { state: "closed" } });
    assertEquals(closed.json.state, "closed");
    assertMatch(closed.json.closed_at, /Z$/);
    assertEquals((await api(gh, path)).json.length, 2);
    assertEquals((await api(gh, `${path}?state=all`)).json.length, 3);
    assertEquals((await api(gh, `${path}/99`)).status, 404);
    assertEquals(gh.milestones, ["v1.0", "v2.0"]);
  } finally {
    await gh.close();
  }
});

Deno.test("due dates keep GitHub's Pacific-time date, in summer and winter", () => {
  assertEquals(
    new Date(githubDueOn(Date.parse("2026-07-01T12:00:00Z"))).toISOString(),
    "2026-07-01T07:00:00.000Z",
  );
  assertEquals(
    new Date(githubDueOn(Date.parse("2026-12-01T12:00:00Z"))).toISOString(),
    "2026-12-01T08:00:00.000Z",
  );
  assertEquals(
    new Date(githubDueOn(Date.parse("2026-12-01T06:00:00Z"))).toISOString(),
    "2026-11-30T08:00:00.000Z",
    "06:00 UTC is still the day before in California",
  );
});

Deno.test("releases: create once per tag; generated notes list merged pull requests", async () => {
  const gh = await createGitHubSandbox({ pullRequests: 2 });
  try {
    const notes = await api(gh, `/repos/${gh.repository}/releases/generate-notes`, {
      method: "POST",
      body: { tag_name: "v1.0.0" },
    });
    assertEquals(notes.status, 200);
    assertEquals(notes.json.name, "v1.0.0");
    assertStringIncludes(notes.json.body, "## What's Changed\n* Sandbox pull request 1 by @alice in ");
    assertStringIncludes(notes.json.body, `**Full Changelog**: ${gh.url}/${gh.repository}/commits/v1.0.0`);

    const made = await api(gh, `/repos/${gh.repository}/releases`, {
      method: "POST",
      body: { tag_name: "v1.0.0", name: "One", body: notes.json.body },
    });
    assertEquals(made.status, 201);
    assertEquals([made.json.tag_name, made.json.name, made.json.draft], ["v1.0.0", "One", false]);
    assertMatch(made.json.html_url, /\/releases\/tag\/v1\.0\.0$/);
    const again = await api(gh, `/repos/${gh.repository}/releases`, {
      method: "POST",
      body: { tag_name: "v1.0.0" },
    });
    assertEquals([again.status, again.json.errors[0].code], [422, "already_exists"]);

    const next = await api(gh, `/repos/${gh.repository}/releases/generate-notes`, {
      method: "POST",
      body: { tag_name: "v1.1.0", previous_tag_name: "v1.0.0" },
    });
    assertStringIncludes(next.json.body, `/compare/v1.0.0...v1.1.0`);
    const unknown = await api(gh, `/repos/${gh.repository}/releases/generate-notes`, {
      method: "POST",
      body: { tag_name: "v2", previous_tag_name: "v0.0.1" },
    });
    assertEquals(unknown.status, 422);
    const readOnly = await api(gh, `/repos/${gh.repository}/releases`, {
      method: "POST",
      token: gh.tokens.read,
      body: { tag_name: "v9" },
    });
    assertEquals(readOnly.status, 403);
  } finally {
    await gh.close();
  }
});
