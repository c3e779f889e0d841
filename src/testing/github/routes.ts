/**
 * The REST endpoints of the GitHub sandbox: repositories, issues (listing, create, read,
 * update), issue search, milestones, releases and release notes, and `rate_limit` — each also
 * reachable as `/repositories/{id}/…`, the form GitHub uses in its `link` headers.
 *
 * @module
 */
import { Hono } from "hono";
import { createMilestone, createRelease, generateNotes, listMilestones, updateMilestone } from "./extras.ts";
import type { MilestoneFields } from "./extras.ts";
import { DOCS, errorJson, issueJson, milestoneJson, releaseJson, repoJson } from "./json.ts";
import type { IssueRec, RepoRec, StateReason } from "./model.ts";
import { parseTime } from "./model.ts";
import { matchesSearch, parseSearch } from "./search.ts";
import { type Answer, type Call, endpoint, paginate, permissionsOf, readObject, repoFor } from "./server.ts";
import type { ServerConfig } from "./server.ts";
import { ApiError, type IssueFields, type IssueQuery, validationFailed } from "./state.ts";

const ISSUES_DOCS = "https://docs.github.com/rest/issues/issues";

function invalidRequest(property: string, value: unknown, expected: string, docs: string): ApiError {
  return new ApiError(
    422,
    errorJson(
      422,
      `Invalid request.\n\nFor 'properties/${property}', ${JSON.stringify(value)} is not ${expected}.`,
      docs,
    ),
  );
}

function oneOf<T extends string>(
  call: Call,
  name: string,
  values: readonly T[],
  fallback: T,
  resource: string,
  docs: string,
): T {
  const v = call.query(name);
  if (v === undefined || v === "") return fallback;
  if ((values as readonly string[]).includes(v)) return v as T;
  throw validationFailed(docs, { resource, code: "invalid", field: name, value: v });
}

/** Type-checks the fields of an issue write as GitHub's request schema does. */
function issueFields(body: Record<string, unknown>, update: boolean, docs: string): IssueFields {
  const f: IssueFields = {};
  if ("title" in body) {
    const t = body.title;
    if (typeof t === "string") f.title = t;
    else if (typeof t === "number" && Number.isInteger(t)) f.title = String(t);
    else if (!(update && t === null)) throw invalidRequest("title", t, "a string or integer", docs);
  }
  if ("body" in body) {
    if (typeof body.body !== "string" && body.body !== null) {
      throw invalidRequest("body", body.body, "a string", docs);
    }
    f.body = body.body as string | null;
  }
  if ("labels" in body) {
    const ls = body.labels;
    if (!Array.isArray(ls)) throw invalidRequest("labels", ls, "an array", docs);
    f.labels = ls.map((l) => {
      if (typeof l === "string") return l;
      if (typeof l === "object" && l !== null && typeof (l as { name?: unknown }).name === "string") {
        return (l as { name: string }).name;
      }
      throw invalidRequest("labels", l, "a string or object", docs);
    });
  }
  if ("assignees" in body) {
    const as = body.assignees;
    if (!Array.isArray(as) || !as.every((a) => typeof a === "string")) {
      throw invalidRequest("assignees", as, "an array of strings", docs);
    }
    f.assignees = as;
  } else if ("assignee" in body) {
    const a = body.assignee;
    if (typeof a !== "string" && a !== null) throw invalidRequest("assignee", a, "a string", docs);
    f.assignees = a === null || a === "" ? [] : [a];
  }
  if ("milestone" in body) {
    const m = body.milestone;
    if (m === null) f.milestone = null;
    else if (typeof m === "number" && Number.isInteger(m)) f.milestone = m;
    else if (typeof m === "string" && /^\d+$/.test(m)) f.milestone = Number(m);
    else throw invalidRequest("milestone", m, "an integer", docs);
  }
  if (update && "state" in body) {
    if (body.state !== "open" && body.state !== "closed") {
      throw validationFailed(docs, {
        resource: "Issue",
        code: "invalid",
        field: "state",
        value: String(body.state),
      });
    }
    f.state = body.state;
  }
  if (update && "state_reason" in body) {
    const r = body.state_reason;
    if (r !== null && r !== "completed" && r !== "not_planned" && r !== "reopened" && r !== "duplicate") {
      throw validationFailed(docs, {
        resource: "Issue",
        code: "invalid",
        field: "state_reason",
        value: String(r),
      });
    }
    f.state_reason = r as StateReason;
  }
  return f;
}

function milestoneFields(body: Record<string, unknown>, docs: string): MilestoneFields {
  const f: MilestoneFields = {};
  if ("title" in body) {
    if (typeof body.title !== "string") throw invalidRequest("title", body.title, "a string", docs);
    f.title = body.title;
  }
  if ("state" in body) {
    if (body.state !== "open" && body.state !== "closed") {
      throw validationFailed(docs, { resource: "Milestone", code: "invalid", field: "state" });
    }
    f.state = body.state;
  }
  if ("description" in body) {
    if (typeof body.description !== "string" && body.description !== null) {
      throw invalidRequest("description", body.description, "a string", docs);
    }
    f.description = body.description as string | null;
  }
  if ("due_on" in body) {
    const d = body.due_on;
    const ms = typeof d === "string" ? parseTime(d) : undefined;
    if (d !== null && ms === undefined) {
      throw validationFailed(docs, { resource: "Milestone", code: "invalid", field: "due_on" });
    }
    f.due_on = d === null ? null : ms!;
  }
  return f;
}

/** Builds the API routes (mounted under the base path by the sandbox). */
export function githubRoutes(config: ServerConfig): Hono {
  const { state } = config;
  const api = new Hono();

  const issueOut = (call: Call, repo: RepoRec, issue: IssueRec, single: boolean) => {
    const m = issue.milestone === null ? null : repo.milestones[issue.milestone - 1];
    const counts = state.milestoneCounts(repo);
    const mj = m === undefined || m === null
      ? null
      : milestoneJson(call.urls, state.user, repo, m, counts.get(m.number) ?? { open: 0, closed: 0 });
    return issueJson(call.urls, state.user, repo, issue, mj, single);
  };

  const withIssues = (repo: RepoRec): RepoRec => {
    if (!repo.has_issues) {
      throw new ApiError(410, errorJson(410, "Issues are disabled for this repo", ISSUES_DOCS));
    }
    return repo;
  };

  type Ref = { owner: string; name: string } | { id: number };
  const refOf = (call: Call): Ref => {
    const id = call.c.req.param("id");
    return id !== undefined
      ? { id: Number(id) }
      : { owner: call.c.req.param("owner") ?? "", name: call.c.req.param("repo") ?? "" };
  };
  const numberOf = (call: Call, name = "number"): number => {
    const raw = call.c.req.param(name) ?? "";
    return /^\d+$/.test(raw) ? Number(raw) : -1;
  };

  const getRepo = (call: Call): Answer => {
    const repo = repoFor(config, call, refOf(call), "read");
    const open = repo.issues.filter((i) => !i.deleted && i.state === "open").length;
    return { status: 200, body: repoJson(call.urls, state.user, repo, permissionsOf(call), open) };
  };

  const listIssues = (call: Call): Answer => {
    const repo = withIssues(repoFor(config, call, refOf(call), "read"));
    const docs = `${ISSUES_DOCS}#list-repository-issues`;
    const sinceText = call.query("since");
    const since = sinceText === undefined ? undefined : parseTime(sinceText);
    if (sinceText !== undefined && since === undefined) {
      throw validationFailed(docs, { resource: "Issue", code: "invalid", field: "since", value: sinceText });
    }
    const query: IssueQuery = {
      state: oneOf(call, "state", ["open", "closed", "all"] as const, "open", "Issue", docs),
      sort: oneOf(call, "sort", ["created", "updated", "comments"] as const, "created", "Issue", docs),
      direction: oneOf(call, "direction", ["asc", "desc"] as const, "desc", "Issue", docs),
      since,
      labels: call.query("labels")?.split(",").map((l) => l.trim().toLowerCase()).filter((l) => l !== ""),
      milestone: call.query("milestone"),
      assignee: call.query("assignee"),
    };
    const items = state.listIssues(repo, query);
    const { page, link } = paginate(call, items, `${call.urls.api}/repositories/${repo.id}/issues`);
    return { status: 200, body: page.map((i) => issueOut(call, repo, i, false)), link };
  };

  const createIssue = async (call: Call): Promise<Answer> => {
    const repo = withIssues(repoFor(config, call, refOf(call), "write"));
    const docs = `${ISSUES_DOCS}#create-an-issue`;
    const fields = issueFields(await readObject(call.c), false, docs);
    if (fields.title === undefined) {
      throw validationFailed(docs, { resource: "Issue", code: "missing_field", field: "title" });
    }
    const issue = state.createIssue(repo, call.viewer!.login, { ...fields, title: fields.title });
    const body = issueOut(call, repo, issue, true);
    return { status: 201, body, location: String(body.url) };
  };

  const getIssue = (call: Call): Answer => {
    const repo = withIssues(repoFor(config, call, refOf(call), "read"));
    return { status: 200, body: issueOut(call, repo, state.issue(repo, numberOf(call)), true) };
  };

  const updateIssue = async (call: Call): Promise<Answer> => {
    const repo = withIssues(repoFor(config, call, refOf(call), "write"));
    const number = numberOf(call);
    state.issue(repo, number);
    const fields = issueFields(await readObject(call.c), true, `${ISSUES_DOCS}#update-an-issue`);
    const issue = state.updateIssue(repo, call.viewer!.login, number, fields);
    return { status: 200, body: issueOut(call, repo, issue, true) };
  };

  const milestoneOut = (call: Call, repo: RepoRec, n: number) => {
    const m = state.milestone(repo, n);
    const counts = state.milestoneCounts(repo).get(n) ?? { open: 0, closed: 0 };
    return milestoneJson(call.urls, state.user, repo, m, counts);
  };

  const listMilestonesRoute = (call: Call): Answer => {
    const repo = repoFor(config, call, refOf(call), "read");
    const docs = "https://docs.github.com/rest/issues/milestones#list-milestones";
    const items = listMilestones(repo, {
      state: oneOf(call, "state", ["open", "closed", "all"] as const, "open", "Milestone", docs),
      sort: oneOf(call, "sort", ["due_on", "completeness"] as const, "due_on", "Milestone", docs),
      direction: oneOf(call, "direction", ["asc", "desc"] as const, "asc", "Milestone", docs),
    });
    const { page, link } = paginate(call, items, `${call.urls.api}/repositories/${repo.id}/milestones`);
    return { status: 200, body: page.map((m) => milestoneOut(call, repo, m.number)), link };
  };

  const createMilestoneRoute = async (call: Call): Promise<Answer> => {
    const repo = repoFor(config, call, refOf(call), "write");
    const docs = "https://docs.github.com/rest/issues/milestones#create-a-milestone";
    const m = createMilestone(
      state,
      repo,
      call.viewer!.login,
      milestoneFields(await readObject(call.c), docs),
    );
    const body = milestoneOut(call, repo, m.number);
    return { status: 201, body, location: String(body.url) };
  };

  const getMilestone = (call: Call): Answer => {
    const repo = repoFor(config, call, refOf(call), "read");
    return { status: 200, body: milestoneOut(call, repo, numberOf(call)) };
  };

  const updateMilestoneRoute = async (call: Call): Promise<Answer> => {
    const repo = repoFor(config, call, refOf(call), "write");
    const number = numberOf(call);
    state.milestone(repo, number);
    const docs = "https://docs.github.com/rest/issues/milestones#update-a-milestone";
    updateMilestone(state, repo, number, milestoneFields(await readObject(call.c), docs));
    return { status: 200, body: milestoneOut(call, repo, number) };
  };

  const releaseRoute = async (call: Call): Promise<Answer> => {
    const repo = repoFor(config, call, refOf(call), "write");
    const docs = "https://docs.github.com/rest/releases/releases#create-a-release";
    const b = await readObject(call.c);
    if (typeof b.tag_name !== "string") {
      throw validationFailed(docs, { resource: "Release", code: "missing_field", field: "tag_name" });
    }
    for (const key of ["name", "body", "target_commitish"] as const) {
      if (key in b && typeof b[key] !== "string" && b[key] !== null) {
        throw invalidRequest(key, b[key], "a string", docs);
      }
    }
    const release = createRelease(state, call.urls, repo, call.viewer!.login, {
      tag_name: b.tag_name,
      target_commitish: typeof b.target_commitish === "string" ? b.target_commitish : undefined,
      name: typeof b.name === "string" ? b.name : null,
      body: typeof b.body === "string" ? b.body : null,
      draft: b.draft === true,
      prerelease: b.prerelease === true,
      generate_release_notes: b.generate_release_notes === true,
    });
    const body = releaseJson(call.urls, state.user, repo, release);
    return { status: 201, body, location: String(body.url) };
  };

  const releaseByTagRoute = (call: Call): Answer => {
    const repo = repoFor(config, call, refOf(call), "read");
    const release = repo.releases.find((r) => r.tag_name === call.c.req.param("tag"));
    if (release === undefined) {
      return {
        status: 404,
        body: errorJson(
          404,
          "Not Found",
          "https://docs.github.com/rest/releases/releases#get-a-release-by-tag-name",
        ),
      };
    }
    return { status: 200, body: releaseJson(call.urls, state.user, repo, release) };
  };

  const notesRoute = async (call: Call): Promise<Answer> => {
    const repo = repoFor(config, call, refOf(call), "write");
    const b = await readObject(call.c);
    if (typeof b.tag_name !== "string" || b.tag_name === "") {
      throw validationFailed(
        "https://docs.github.com/rest/releases/releases#generate-release-notes-content-for-a-release",
        {
          resource: "Release",
          code: "missing_field",
          field: "tag_name",
        },
      );
    }
    const notes = generateNotes(state, call.urls, repo, {
      tag_name: b.tag_name,
      previous_tag_name: typeof b.previous_tag_name === "string" ? b.previous_tag_name : undefined,
    });
    return { status: 200, body: notes };
  };

  const searchRoute = (call: Call): Answer => {
    const query = parseSearch(call.query("q"));
    const now = state.now();
    const delay = config.searchDelayMs();
    const hits: Array<{ repo: RepoRec; issue: IssueRec }> = [];
    for (const repo of state.repos.values()) {
      if (repo.private && (call.viewer === null || call.viewer.access === "none")) continue;
      for (const issue of repo.issues) {
        if (matchesSearch(query, repo, issue, now, delay)) hits.push({ repo, issue });
      }
    }
    const sort = call.query("sort");
    const asc = call.query("order") === "asc";
    const key = (h: { issue: IssueRec }) =>
      sort === "updated" ? h.issue.updated_at : sort === "created" ? h.issue.created_at : h.issue.id;
    hits.sort((a, b) => (asc ? key(a) - key(b) : key(b) - key(a)));
    const capped = hits.slice(0, 1000);
    const { page, link } = paginate(call, capped, `${call.urls.api}/search/issues`);
    return {
      status: 200,
      body: {
        total_count: hits.length,
        incomplete_results: false,
        search_type: "lexical",
        items: page.map((h) => ({ ...issueOut(call, h.repo, h.issue, false), score: 1 })),
      },
      link,
    };
  };

  const rateLimitRoute = (): Answer => {
    const core = config.core.json();
    return {
      status: 200,
      body: { resources: { core, search: config.search.json() }, rate: { ...core, resource: "core" } },
    };
  };

  const core = (h: (call: Call) => Answer | Promise<Answer>) => endpoint(config, "core", h);
  for (const prefix of ["/repos/:owner/:repo", "/repositories/:id"]) {
    api.get(prefix, core(getRepo));
    api.get(`${prefix}/issues`, core(listIssues));
    api.post(`${prefix}/issues`, core(createIssue));
    api.get(`${prefix}/issues/:number`, core(getIssue));
    api.patch(`${prefix}/issues/:number`, core(updateIssue));
    api.get(`${prefix}/milestones`, core(listMilestonesRoute));
    api.post(`${prefix}/milestones`, core(createMilestoneRoute));
    api.get(`${prefix}/milestones/:number`, core(getMilestone));
    api.patch(`${prefix}/milestones/:number`, core(updateMilestoneRoute));
    api.post(`${prefix}/releases`, core(releaseRoute));
    api.post(`${prefix}/releases/generate-notes`, core(notesRoute));
    api.get(`${prefix}/releases/tags/:tag`, core(releaseByTagRoute));
  }
  api.get("/search/issues", endpoint(config, "search", searchRoute));
  api.get("/rate_limit", endpoint(config, "rate_limit", rateLimitRoute));
  api.all("*", core(() => ({ status: 404, body: errorJson(404, "Not Found", DOCS) })));
  return api;
}
