/**
 * The HTTP face of the Bitbucket sandbox: a Hono app answering the Bitbucket Cloud 2.0 endpoints
 * forgesync uses, with Bitbucket's authentication (HTTP Basic `email:api_token`, Bearer access
 * tokens), scopes, paging envelope, error bodies and rate-limit headers.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { compileQuery } from "./bbql.ts";
import { issueJson, milestoneJson, repoHtml, repoJson, userJson } from "./json.ts";
import { formatMicros } from "./clock.ts";
import {
  BbError,
  type BbUser,
  type BitbucketState,
  type IssueChanges,
  type RepoRecord,
  trackerOff,
} from "./state.ts";
import { type Faults, type FaultStyle, type RequestLog, sandboxMiddleware } from "../sandbox.ts";

/** What a credential may do. */
export interface Credential {
  /** `api_token`: an Atlassian API token (Basic auth, acts as the user); `access_token`: Bearer. */
  readonly kind: "api_token" | "access_token";
  /** The acting account (a bot account for access tokens). */
  readonly user: BbUser;
  /** Repositories (`ws/slug`) it can see; `all` for every repository. */
  readonly repos: ReadonlySet<string> | "all";
  /**
   * Granted scopes (`issue`, `issue:write`, `repository`, `repository:write`, `repository:admin`).
   * For API tokens they stand for the user's permission on the repositories.
   */
  readonly scopes: readonly string[];
  /** Rate-limit bucket. */
  readonly bucket: string;
}

/** Hourly request budget per credential. */
export class Budgets {
  readonly #buckets = new Map<string, { remaining: number; resetAt: number }>();
  constructor(readonly limit: number, readonly now: () => number) {}

  /** The bucket's state, refreshed when its hour is over. */
  get(key: string): { remaining: number; resetAt: number } {
    let b = this.#buckets.get(key);
    const now = this.now();
    if (b === undefined || now >= b.resetAt) {
      b = { remaining: this.limit, resetAt: now + 3_600_000 };
      this.#buckets.set(key, b);
    }
    return b;
  }
}

/** Error body of Bitbucket Cloud. */
export function errorBody(message: string, detail?: unknown, fields?: unknown): Record<string, unknown> {
  const error: Record<string, unknown> = { message };
  if (detail !== undefined) error.detail = detail;
  if (fields !== undefined) error.fields = fields;
  return { type: "error", error };
}

/** How faults look on Bitbucket. */
export function bitbucketFaultStyle(limit: number, now: () => number): FaultStyle {
  return {
    errorBody: (_status, message) => errorBody(message),
    rateLimitHeaders: (retryAfter) => ({
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.ceil(now() / 1000) + retryAfter),
    }),
  };
}

function hasScope(cred: Credential, scope: string): boolean {
  const [base] = scope.split(":");
  return cred.scopes.some((s) =>
    s === scope || s === `${base}:admin` || (!scope.includes(":") && s === `${base}:write`)
  );
}

type Env = { Variables: { cred: Credential } };

/** Everything the app needs. */
export interface AppDeps {
  readonly state: BitbucketState;
  readonly log: RequestLog;
  readonly faults: Faults;
  readonly budgets: Budgets;
  /** `Basic` credentials keyed by `email:token`, Bearer keyed by token. */
  readonly basic: ReadonlyMap<string, Credential>;
  readonly bearer: ReadonlyMap<string, Credential>;
}

/** Builds the sandbox app. */
export function createBitbucketApp(deps: AppDeps): Hono<Env> {
  const { state, budgets } = deps;
  const app = new Hono<Env>();
  let changeCount = 0;
  app.use("*", sandboxMiddleware(deps.log, deps.faults, bitbucketFaultStyle(budgets.limit, budgets.now)));

  app.onError((error, c) => {
    if (error instanceof BbError) {
      return c.json(errorBody(error.message, error.detail, error.fields), error.status as 400);
    }
    return c.json(errorBody(`Something went wrong: ${(error as Error).message}`), 500);
  });
  app.notFound((c) => c.json(errorBody(`Resource not found: ${new URL(c.req.url).pathname}`), 404));

  // Authentication, then the hourly budget (counted per credential on /2.0/repositories/*).
  app.use("/2.0/*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    let cred: Credential | undefined;
    const [scheme = "", value = ""] = header.split(/\s+/, 2);
    if (scheme.toLowerCase() === "basic") {
      let decoded = "";
      try {
        decoded = atob(value);
      } catch { /* invalid base64: no match below */ }
      cred = deps.basic.get(decoded);
    } else if (scheme.toLowerCase() === "bearer") cred = deps.bearer.get(value);
    if (cred === undefined) {
      c.header("www-authenticate", 'Basic realm="Bitbucket.org HTTP"');
      const message = header === "" ? "Authentication required." : "Invalid or expired credentials.";
      return c.json(errorBody(message), 401);
    }
    c.set("cred", cred);
    if (cred.kind === "access_token") {
      c.header("x-credential-type", "repo_access_token");
      c.header("x-oauth-scopes", cred.scopes.join(", "));
    }
    if (new URL(c.req.url).pathname.startsWith("/2.0/repositories/")) {
      const bucket = budgets.get(cred.bucket);
      const headers = () => {
        if (cred.kind !== "access_token") return;
        c.header("x-ratelimit-limit", String(budgets.limit));
        c.header("x-ratelimit-remaining", String(bucket.remaining));
        c.header("x-ratelimit-reset", String(Math.ceil(bucket.resetAt / 1000)));
        c.header("x-ratelimit-resource", "api.repositories");
      };
      if (bucket.remaining <= 0) {
        headers();
        return c.json(errorBody("Rate limit for this resource has been exceeded"), 429);
      }
      bucket.remaining -= 1;
      headers();
    }
    await next();
  });

  const repoFor = (c: Context<Env>, need: "read" | "write", scope: "issue" | "repository"): RepoRecord => {
    const cred = c.get("cred");
    const path = `${c.req.param("ws")}/${c.req.param("slug")}`.toLowerCase();
    const repo = state.repo(path);
    if (cred.repos !== "all" && !cred.repos.has(path)) {
      throw new BbError(403, "Access denied. This access token does not grant access to this repository.");
    }
    if (repo === undefined) throw new BbError(404, "Repository not found");
    const required = need === "write" ? `${scope}:write` : scope;
    if (!hasScope(cred, required)) {
      if (cred.kind === "api_token") {
        throw new BbError(403, `Access denied. You must have ${need} access to ${path}.`);
      }
      throw new BbError(403, "Your credentials lack one or more required privilege scopes.", {
        required: [required],
        granted: cred.scopes,
      });
    }
    return repo;
  };

  const issueId = (c: Context<Env>): number => {
    const raw = c.req.param("id") ?? "";
    if (!/^\d+$/.test(raw)) throw new BbError(404, "Issue not found");
    return Number(raw);
  };

  const readJson = async (c: Context<Env>): Promise<unknown> => {
    try {
      return await c.req.json();
    } catch {
      throw new BbError(400, "Bad request: the body is not valid JSON.");
    }
  };

  /** The paging envelope: `pagelen` 1–100 (default 10), `page` from 1, `next`/`previous` URLs. */
  const paged = <T>(c: Context<Env>, items: readonly T[], toJson: (item: T) => unknown) => {
    const url = new URL(c.req.url);
    const pagelenText = url.searchParams.get("pagelen");
    const pageText = url.searchParams.get("page");
    const pagelen = pagelenText === null ? 10 : Number(pagelenText);
    const page = pageText === null ? 1 : Number(pageText);
    if (!Number.isInteger(pagelen) || pagelen < 1 || pagelen > 100) {
      throw new BbError(400, `Invalid pagelen: ${pagelenText} (between 1 and 100).`);
    }
    if (!Number.isInteger(page) || page < 1) throw new BbError(400, `Invalid page: ${pageText}`);
    const start = (page - 1) * pagelen;
    if (page > 1 && start >= items.length) throw new BbError(404, "Invalid page");
    const linkTo = (p: number) => {
      const u = new URL(url);
      u.searchParams.set("page", String(p));
      return u.toString();
    };
    const body: Record<string, unknown> = {
      size: items.length,
      page,
      pagelen,
      values: items.slice(start, start + pagelen).map(toJson),
    };
    if (start + pagelen < items.length) body.next = linkTo(page + 1);
    if (page > 1) body.previous = linkTo(page - 1);
    return c.json(body);
  };

  const base = "/2.0/repositories/:ws/:slug";

  app.get(base, (c) => c.json(repoJson(state, repoFor(c, "read", "repository"))));

  app.get(`${base}/issues`, (c) => {
    const repo = repoFor(c, "read", "issue");
    const items = state.list(repo, c.req.query("q"), c.req.query("sort"));
    return paged(c, items, (i) => issueJson(state, repo, i));
  });

  app.post(`${base}/issues`, async (c) => {
    const repo = repoFor(c, "write", "issue");
    if (!repo.hasIssues) throw trackerOff();
    const changes = state.parseChanges(repo, await readJson(c), "create");
    const issue = state.createIssue(repo, changes, c.get("cred").user);
    const json = issueJson(state, repo, issue);
    c.header("location", (json.links as { self: { href: string } }).self.href);
    return c.json(json, 201);
  });

  app.get(`${base}/issues/:id`, (c) => {
    const repo = repoFor(c, "read", "issue");
    return c.json(issueJson(state, repo, state.issue(repo, issueId(c))));
  });

  app.put(`${base}/issues/:id`, async (c) => {
    const repo = repoFor(c, "write", "issue");
    const issue = state.issue(repo, issueId(c));
    const changes = state.parseChanges(repo, await readJson(c), "update");
    return c.json(issueJson(state, repo, state.applyChanges(issue, changes)));
  });

  app.delete(`${base}/issues/:id`, (c) => {
    const repo = repoFor(c, "write", "issue");
    state.issue(repo, issueId(c)).deleted = true;
    return c.body(null, 204);
  });

  app.post(`${base}/issues/:id/changes`, async (c) => {
    const repo = repoFor(c, "write", "issue");
    const issue = state.issue(repo, issueId(c));
    const body = await readJson(c);
    const changes = (body as { changes?: unknown } | null)?.changes;
    if (typeof changes !== "object" || changes === null || Array.isArray(changes)) {
      throw new BbError(400, "changes: This field is required.");
    }
    // Translate the change object into the PUT shape, then validate it the same way.
    const put: Record<string, unknown> = {};
    const old: Record<string, unknown> = {
      state: issue.state,
      title: issue.title,
      kind: issue.kind,
      priority: issue.priority,
      content: issue.raw,
      milestone: issue.milestone?.name ?? null,
      assignee_account_id: issue.assignee?.account_id ?? null,
    };
    for (const [key, change] of Object.entries(changes)) {
      const next = (change as { new?: unknown } | null)?.new;
      if (!(key in old)) throw new BbError(400, `changes: ${key} cannot be changed this way.`);
      if (key === "content") put.content = { raw: next };
      else if (key === "milestone") put.milestone = next === null ? null : { name: next };
      else if (key === "assignee_account_id") put.assignee = next === null ? null : { account_id: next };
      else put[key] = next;
    }
    const parsed: IssueChanges = state.parseChanges(repo, put, "update");
    state.applyChanges(issue, parsed);
    const id = ++changeCount;
    const self =
      `${state.apiUrl}/repositories/${repo.workspace}/${repo.slug}/issues/${issue.id}/changes/${id}`;
    c.header("location", self);
    const message = (body as { message?: { raw?: unknown } }).message?.raw;
    return c.json({
      type: "issue_change",
      id,
      name: `Issue #${issue.id}`,
      created_on: formatMicros(issue.updated),
      user: userJson(state, c.get("cred").user),
      issue: {
        type: "issue",
        id: issue.id,
        title: issue.title,
        repository: { full_name: `${repo.workspace}/${repo.slug}` },
      },
      changes: Object.fromEntries(
        Object.keys(changes).map((
          k,
        ) => [k, { old: old[k], new: (changes as Record<string, { new?: unknown }>)[k]?.new }]),
      ),
      message: { type: "rendered", raw: typeof message === "string" ? message : "", markup: "markdown" },
      links: { self: { href: self } },
    }, 201);
  });

  // Milestones are read-only in the API.
  app.get(`${base}/milestones`, (c) => {
    const repo = repoFor(c, "read", "issue");
    if (!repo.hasIssues) throw trackerOff();
    return paged(c, repo.milestones, (m) => milestoneJson(state, repo, m));
  });
  app.get(`${base}/milestones/:id`, (c) => {
    const repo = repoFor(c, "read", "issue");
    if (!repo.hasIssues) throw trackerOff();
    const m = repo.milestones.find((x) => String(x.id) === c.req.param("id"));
    if (m === undefined) throw new BbError(404, "Milestone not found");
    return c.json(milestoneJson(state, repo, m));
  });
  app.on(["POST", "PUT", "PATCH", "DELETE"], [`${base}/milestones`, `${base}/milestones/*`], (c) => {
    c.header("allow", "GET");
    return c.json(errorBody(`Method ${c.req.method} is not allowed: milestones are read-only.`), 405);
  });

  app.post(`${base}/refs/tags`, async (c) => {
    const repo = repoFor(c, "write", "repository");
    const body = await readJson(c) as { name?: unknown; target?: { hash?: unknown }; message?: unknown };
    if (typeof body?.name !== "string" || !/^[^\s~^:?*\[\\]+$/.test(body.name)) {
      throw new BbError(400, "name: A valid tag name is required.", undefined, {
        name: ["Invalid tag name."],
      });
    }
    const want = body.target?.hash;
    const hash = typeof want === "string" && want.length >= 7
      ? repo.commits.find((h) => h.startsWith(want))
      : undefined;
    if (hash === undefined) throw new BbError(400, `target: Commit ${JSON.stringify(want)} not found.`);
    if (repo.tags.has(body.name)) throw new BbError(400, `Tag "${body.name}" already exists.`);
    const tag = {
      name: body.name,
      hash,
      message: typeof body.message === "string" ? body.message : "",
      date: state.clock.tick(),
    };
    repo.tags.set(tag.name, tag);
    return c.json(tagJson(state, repo, tag), 201);
  });
  app.get(`${base}/refs/tags/:name`, (c) => {
    const repo = repoFor(c, "read", "repository");
    const tag = repo.tags.get(c.req.param("name") ?? "");
    if (tag === undefined) throw new BbError(404, "Tag not found");
    return c.json(tagJson(state, repo, tag));
  });

  app.get("/2.0/user", (c) => {
    const cred = c.get("cred");
    if (cred.kind !== "api_token") throw new BbError(403, "This API is not accessible with an access token.");
    return c.json(userJson(state, cred.user));
  });

  app.get("/2.0/user/permissions/repositories", (c) => {
    const cred = c.get("cred");
    if (cred.kind !== "api_token") throw new BbError(403, "This API is not accessible with an access token.");
    const q = c.req.query("q");
    const p = q === undefined ? undefined : (() => {
      try {
        return compileQuery(q, { "repository.full_name": "string", permission: "string" });
      } catch (error) {
        throw new BbError(400, (error as Error).message);
      }
    })();
    const permission = cred.scopes.includes("repository:admin")
      ? "admin"
      : cred.scopes.includes("repository:write")
      ? "write"
      : "read";
    const rows = [...state.repos.values()]
      .filter((r) => cred.repos === "all" || cred.repos.has(`${r.workspace}/${r.slug}`))
      .map((r) => ({ repo: r, full_name: `${r.workspace}/${r.slug}`, permission }))
      .filter((row) => p === undefined || p((f) => f === "permission" ? row.permission : row.full_name));
    return paged(c, rows, (row) => ({
      type: "repository_permission",
      permission: row.permission,
      user: userJson(state, cred.user),
      repository: { type: "repository", full_name: row.full_name, name: row.repo.name, uuid: row.repo.uuid },
    }));
  });

  return app;
}

function tagJson(
  state: BitbucketState,
  repo: RepoRecord,
  tag: { name: string; hash: string; message: string; date: number },
): Record<string, unknown> {
  const self = `${state.apiUrl}/repositories/${repo.workspace}/${repo.slug}/refs/tags/${
    encodeURIComponent(tag.name)
  }`;
  return {
    type: "tag",
    name: tag.name,
    message: tag.message,
    date: formatMicros(tag.date),
    target: { type: "commit", hash: tag.hash },
    links: {
      self: { href: self },
      html: { href: `${repoHtml(state, repo)}/commits/tag/${encodeURIComponent(tag.name)}` },
    },
  };
}
