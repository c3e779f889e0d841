/**
 * The GitHub sandbox forge: an in-process Hono app imitating the GitHub REST subset forgesync
 * uses, served on 127.0.0.1, with the {@link SandboxHarness} methods the conformance kit, sync
 * scenarios, demo and benchmarks drive it with.
 *
 * Status is represented as on GitHub (and as the GitHub plugin writes it with the default
 * status labels): `open` = open without status labels; `in_progress` = open + `status: in
 * progress`; `blocked` = open + `status: blocked`; `completed` = closed, reason completed;
 * `cancelled` = closed, not planned; `failed` = closed, not planned + `status: failed`.
 *
 * @module
 */
import { Hono } from "hono";
import type { RemoteStatus } from "../../platform/types.ts";
import type { RemoteDraft, RemoteEdit, SandboxHarness, SandboxIssue } from "../harness.ts";
import { Faults, listen, RequestLog, sandboxMiddleware } from "../sandbox.ts";
import type { FaultStyle } from "../sandbox.ts";
import { DOCS, errorJson } from "./json.ts";
import { iso, toSecond } from "./model.ts";
import type { IssueRec, RepoRec, StateReason } from "./model.ts";
import { Budget } from "./rate.ts";
import { githubRoutes } from "./routes.ts";
import type { ServerConfig, TokenGrant } from "./server.ts";
import { GitHubState, type IssueFields } from "./state.ts";
import { createMilestone } from "./extras.ts";
import { graphqlEndpoint } from "./graphql/route.ts";
import { ProjectsState } from "./projects.ts";
import { harnessWebhookDelivery } from "../webhooks.ts";

/** Options of {@link createGitHubSandbox}. */
export interface GitHubSandboxOptions {
  /** The clock, epoch ms (real time by default). Tests may inject one they control. */
  readonly now?: () => number;
  /** Owner (an organization) and name of the main repository: `sandbox-org/widgets`. */
  readonly owner?: string;
  readonly repo?: string;
  /** API base path: `/api/v3` like GitHub Enterprise Server (default), or "" like api.github.com. */
  readonly basePath?: string;
  /** Primary budget per hour (default 5,000). */
  readonly budget?: number;
  /** Search requests per minute (default 30). */
  readonly searchLimit?: number;
  /** GraphQL points per hour (default 5,000; each request costs one). */
  readonly graphqlBudget?: number;
  /** Seconds before a new issue becomes searchable (default 0; e.g. 60 to test the lag). */
  readonly searchDelaySeconds?: number;
  /** Merged pull requests seeded at start (default 3): they appear in issue listings. */
  readonly pullRequests?: number;
  /** Port (default: a free one). */
  readonly port?: number;
}

/** The tokens of a sandbox. */
export interface GitHubSandboxTokens {
  /**
   * A classic token (`ghp_…`, scopes `repo` and `project`) of `sandbox-bot` with push access to
   * every sandbox repository (the harness `token`).
   */
  readonly write: string;
  /** Read access only: writes answer 403. */
  readonly read: string;
  /** Valid, but without access to the private repositories: they answer 404. */
  readonly none: string;
  /** A classic token of `sandbox-bot` with push access but only the `repo` scope: projects refuse it. */
  readonly classicNoProject: string;
  /**
   * A fine-grained token (`github_pat_…`) of `sandbox-bot` with write access to the repositories
   * and the organization permission Projects: read and write. Like every fine-grained token, it has
   * no access to projects owned by a user.
   */
  readonly fineGrained: string;
}

/** A running GitHub sandbox. */
export interface GitHubSandbox extends SandboxHarness {
  /** The Hono app (also usable with `app.request(…)` without the network). */
  readonly app: Hono;
  /** Direct access to the state. */
  readonly state: GitHubState;
  /** The main repository's record. */
  readonly repoRec: RepoRec;
  /** Another private repository, with issues disabled. */
  readonly noIssuesRepository: string;
  /** A public repository. */
  readonly publicRepository: string;
  /** A private repository owned by the user `sandbox-bot` (a personal repository). */
  readonly personalRepository: string;
  readonly tokens: GitHubSandboxTokens;
  /** The server origin (`http://127.0.0.1:PORT`); `apiUrl` adds the base path. */
  readonly url: string;
  /** Sets the remaining primary budget of this hour (0 makes every request a 403 rate limit). */
  setBudget(remaining: number): void;
  /** Sets the remaining search budget of this minute. */
  setSearchBudget(remaining: number): void;
  /** Projects (v2), served by the GraphQL endpoint. */
  readonly projects: ProjectsState;
  /** The GraphQL endpoint (`…/api/graphql` beside `/api/v3`, else `…/graphql`). */
  readonly graphqlUrl: string;
  /** Sets the remaining GraphQL budget of this hour (0 makes every query a `RATE_LIMITED` error). */
  setGraphqlBudget(remaining: number): void;
  /** Changes the search lag. */
  setSearchDelay(seconds: number): void;
  /** Seeds merged pull requests (past timestamps, interleaved with seeded issues). */
  seedPullRequests(count: number): Promise<number[]>;
}

/** The sandbox's status labels (GitHub plugin defaults). */
export const SANDBOX_STATUS_LABELS = {
  in_progress: "status: in progress",
  blocked: "status: blocked",
  failed: "status: failed",
} as const;

const STATUS_LABEL_SET = new Set(Object.values(SANDBOX_STATUS_LABELS).map((l) => l.toLowerCase()));

/** GitHub's representation of a normalized status. */
export function githubStatus(
  status: RemoteStatus,
): { state: "open" | "closed"; state_reason: StateReason; labels: string[] } {
  switch (status) {
    case "open":
      return { state: "open", state_reason: null, labels: [] };
    case "in_progress":
      return { state: "open", state_reason: null, labels: [SANDBOX_STATUS_LABELS.in_progress] };
    case "blocked":
      return { state: "open", state_reason: null, labels: [SANDBOX_STATUS_LABELS.blocked] };
    case "completed":
      return { state: "closed", state_reason: "completed", labels: [] };
    case "cancelled":
      return { state: "closed", state_reason: "not_planned", labels: [] };
    case "failed":
      return { state: "closed", state_reason: "not_planned", labels: [SANDBOX_STATUS_LABELS.failed] };
  }
}

/** The normalized status of a sandbox issue. */
export function statusOf(issue: IssueRec): RemoteStatus {
  const has = (l: string) => issue.labels.some((x) => x.name.toLowerCase() === l);
  if (issue.state === "open") {
    if (has(SANDBOX_STATUS_LABELS.blocked)) return "blocked";
    if (has(SANDBOX_STATUS_LABELS.in_progress)) return "in_progress";
    return "open";
  }
  if (issue.state_reason === "not_planned" || issue.state_reason === "duplicate") {
    return has(SANDBOX_STATUS_LABELS.failed) ? "failed" : "cancelled";
  }
  return "completed";
}

function randomToken(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(27));
  return prefix +
    btoa(String.fromCharCode(...bytes)).replace(/[^A-Za-z0-9]/g, "").slice(0, 36).padEnd(36, "0");
}

/**
 * Starts a GitHub sandbox on 127.0.0.1.
 *
 * @example
 * ```ts ignore
 * const gh = await createGitHubSandbox();
 * const res = await fetch(`${gh.apiUrl}/repos/${gh.repository}`, {
 *   headers: { authorization: `token ${gh.token}` },
 * });
 * await res.body?.cancel();
 * await gh.close();
 * ```
 */
export async function createGitHubSandbox(options: GitHubSandboxOptions = {}): Promise<GitHubSandbox> {
  const now = options.now ?? Date.now;
  const state = new GitHubState(now);
  const bot = state.addUser("sandbox-bot");
  const people = ["alice", "bob", "carol"];
  for (const p of people) state.addUser(p);
  const owner = options.owner ?? "sandbox-org";
  state.addUser(owner, "Organization");
  const collaborators = [bot.login, ...people];
  const repo = state.addRepo({ owner, name: options.repo ?? "widgets", collaborators });
  const noIssues = state.addRepo({ owner, name: "no-issues", collaborators, has_issues: false });
  const publicRepo = state.addRepo({ owner, name: "public-repo", collaborators, private: false });
  const personal = state.addRepo({ owner: bot.login, name: "personal", collaborators: [bot.login] });

  const tokens: GitHubSandboxTokens = {
    write: randomToken("ghp_"),
    read: randomToken("ghp_"),
    none: randomToken("ghp_"),
    classicNoProject: randomToken("ghp_"),
    fineGrained: randomToken("github_pat_11A"),
  };
  const grants = new Map<string, TokenGrant>([
    [tokens.write, { login: bot.login, access: "write" }],
    [tokens.read, { login: "carol", access: "read" }],
    [tokens.none, { login: "bob", access: "none" }],
    [tokens.classicNoProject, { login: bot.login, access: "write", scopes: ["repo"] }],
    [tokens.fineGrained, { login: bot.login, access: "write", kind: "fine_grained", orgProjects: "write" }],
  ]);
  let searchDelayMs = (options.searchDelaySeconds ?? 0) * 1000;
  const config: ServerConfig = {
    state,
    tokens: grants,
    core: new Budget("core", options.budget ?? 5000, 3_600_000, now),
    search: new Budget("search", options.searchLimit ?? 30, 60_000, now),
    anonymous: new Budget("core", 60, 3_600_000, now),
    searchDelayMs: () => searchDelayMs,
    basePath: (options.basePath ?? "/api/v3").replace(/\/+$/, ""),
  };

  const log = new RequestLog();
  const faults = new Faults();
  const style: FaultStyle = {
    errorBody: (status, message) => errorJson(status, message, DOCS),
    rateLimitHeaders: () => config.core.headers(),
  };
  const app = new Hono();
  app.use("*", sandboxMiddleware(log, faults, style));
  const projects = new ProjectsState(now);
  const graphqlBudget = new Budget("graphql", options.graphqlBudget ?? 5000, 3_600_000, now);
  // As @octokit/graphql: `/api/v3` → `/api/graphql`; any other base → `<base>/graphql`.
  const graphqlPath = /\/api\/v3$/.test(config.basePath)
    ? config.basePath.replace(/\/api\/v3$/, "/api/graphql")
    : `${config.basePath}/graphql`;
  app.post(graphqlPath, graphqlEndpoint(config, projects, graphqlBudget));
  app.route(config.basePath === "" ? "/" : config.basePath, githubRoutes(config));
  app.notFound((c) => c.json(errorJson(404, "Not Found", DOCS), 404));

  // Seeded items get distinct, increasing timestamps from 30 days before start, one second apart.
  let seedAt = toSecond(now()) - 30 * 86_400_000;
  const nextSeedTime = () => (seedAt += 1000);

  for (const title of ["v1.0", "v2.0"]) {
    createMilestone(state, repo, bot.login, {
      title,
      description: `Release ${title}`,
      due_on: title === "v1.0" ? Date.parse("2027-01-15T12:00:00Z") : null,
    });
  }

  const milestoneNumber = (title: string | null | undefined): number | null | undefined => {
    if (title === undefined || title === null) return title;
    const m = repo.milestones.find((x) => x.title === title);
    if (m === undefined) throw new Error(`The sandbox has no milestone titled ${JSON.stringify(title)}.`);
    return m.number;
  };

  /** Harness fields → GitHub fields; labels merge the status labels of `status`. */
  const toFields = (edit: RemoteEdit, current: IssueRec | undefined): IssueFields => {
    const fields: IssueFields = {};
    if (edit.title !== undefined) fields.title = edit.title;
    if (edit.body !== undefined) fields.body = edit.body;
    if (edit.assignees !== undefined) fields.assignees = edit.assignees;
    const milestone = milestoneNumber(edit.milestone);
    if (milestone !== undefined) fields.milestone = milestone;
    if (edit.status !== undefined || edit.labels !== undefined) {
      const status = edit.status ?? (current === undefined ? "open" : statusOf(current));
      const gh = githubStatus(status);
      const plain = edit.labels ??
        (current?.labels.map((l) => l.name).filter((l) => !STATUS_LABEL_SET.has(l.toLowerCase())) ?? []);
      fields.labels = [...plain.filter((l) => !STATUS_LABEL_SET.has(l.toLowerCase())), ...gh.labels];
      fields.state = gh.state;
      fields.state_reason = gh.state_reason;
    }
    return fields;
  };

  /** Creates an issue directly, closed ones included, at `at`. */
  const directCreate = (draft: RemoteDraft, at: number, actor: string): IssueRec => {
    const fields = toFields(draft, undefined);
    const issue = state.createIssue(repo, actor, { ...fields, title: draft.title }, { at });
    return issue;
  };

  const seedPullRequests = (count: number): Promise<number[]> => {
    const numbers: number[] = [];
    for (let i = 0; i < count; i++) {
      const at = nextSeedTime();
      const pr = state.createIssue(
        repo,
        "alice",
        { title: `Sandbox pull request ${i + 1}`, state: "closed" },
        {
          at,
          pull: true,
        },
      );
      numbers.push(pr.number);
    }
    return Promise.resolve(numbers);
  };
  await seedPullRequests(options.pullRequests ?? 3);

  const listening = await listen(app, options.port ?? 0);
  const apiUrl = `${listening.url}${config.basePath}`;

  const sandbox: GitHubSandbox = {
    platform: "github",
    apiUrl,
    url: listening.url,
    repository: `${repo.owner}/${repo.name}`,
    noIssuesRepository: `${noIssues.owner}/${noIssues.name}`,
    publicRepository: `${publicRepo.owner}/${publicRepo.name}`,
    personalRepository: `${personal.owner}/${personal.name}`,
    token: tokens.write,
    tokens,
    env: {},
    users: collaborators,
    get milestones() {
      return repo.milestones.filter((m) => m.state === "open").map((m) => m.title);
    },
    faults,
    log,
    app,
    state,
    repoRec: repo,
    seedIssues(count, make) {
      const numbers: number[] = [];
      for (let i = 0; i < count; i++) {
        const draft = make?.(i) ??
          { title: `Seeded issue ${repo.issues.length + 1}`, body: `Seeded body ${i}` };
        numbers.push(directCreate(draft, nextSeedTime(), "alice").number);
      }
      return Promise.resolve(numbers);
    },
    seedPullRequests,
    remoteCreate(draft) {
      return Promise.resolve(directCreate(draft, now(), "alice").number);
    },
    remoteEdit(number, edit) {
      const issue = state.issue(repo, number);
      const fields = toFields(edit, issue);
      const at = toSecond(now());
      state.updateIssue(repo, "alice", number, fields, at);
      // A person may change the close reason of a closed issue; GitHub's API rule does not apply.
      if (fields.state === "closed" && fields.state_reason !== undefined && issue.state === "closed") {
        issue.state_reason = fields.state_reason;
      }
      issue.updated_at = Math.max(at, issue.updated_at);
      state.touch(repo);
      return Promise.resolve();
    },
    deleteIssue(number) {
      state.deleteIssue(repo, number);
      return Promise.resolve();
    },
    readIssue(number): SandboxIssue | undefined {
      const issue = repo.issues[number - 1];
      if (issue === undefined || issue.pull !== null) return undefined;
      return {
        number: issue.number,
        title: issue.title,
        body: issue.body ?? "",
        status: statusOf(issue),
        labels: issue.labels.map((l) => l.name).filter((l) => !STATUS_LABEL_SET.has(l.toLowerCase())).sort(),
        assignees: [...issue.assignees].sort(),
        milestone: issue.milestone === null ? null : repo.milestones[issue.milestone - 1]?.title ?? null,
        updated_at: iso(issue.updated_at),
        deleted: issue.deleted,
      };
    },
    issueNumbers() {
      return repo.issues.filter((i) => !i.deleted && i.pull === null).map((i) => i.number);
    },
    budget() {
      return { remaining: config.core.remaining, limit: config.core.limit };
    },
    webhookDelivery: (input) => harnessWebhookDelivery("github", `${repo.owner}/${repo.name}`, input),
    setBudget(remaining) {
      config.core.set(remaining);
    },
    setSearchBudget(remaining) {
      config.search.set(remaining);
    },
    projects,
    graphqlUrl: `${listening.url}${graphqlPath}`,
    setGraphqlBudget(remaining) {
      graphqlBudget.set(remaining);
    },
    setSearchDelay(seconds) {
      searchDelayMs = seconds * 1000;
    },
    close: () => listening.close(),
  };
  return sandbox;
}
