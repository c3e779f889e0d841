/**
 * The GitLab sandbox forge: an in-process GitLab v4 API subset (projects, issues, users,
 * milestones, releases) served on a loopback port, faithful to GitLab for the endpoints the GitLab
 * plugin uses — ids and iids, nested-group paths, offset pagination headers, inclusive
 * `updated_after`, error bodies, `RateLimit-*` headers — with the scriptable faults of
 * {@link sandboxMiddleware}. It implements {@link SandboxHarness}.
 *
 * Status representation (GitLab has no close reason): `open` = opened without status labels;
 * `in_progress` / `blocked` = opened + `status: in progress` / `status: blocked`; `completed` =
 * closed without status labels; `cancelled` / `failed` = closed + `status: cancelled` /
 * `status: failed`. When several status labels are present: opened reads blocked before
 * in progress; closed reads failed before cancelled.
 *
 * @example
 * ```ts
 * import { createGitLabSandbox } from "./gitlab_sandbox.ts";
 * const sandbox = await createGitLabSandbox();
 * const [n] = await sandbox.seedIssues(1);
 * const res = await fetch(`${sandbox.apiUrl}/projects/${encodeURIComponent(sandbox.repository)}/issues/${n}`, {
 *   headers: { "PRIVATE-TOKEN": sandbox.token },
 * });
 * console.log((await res.json()).iid); // 1
 * await sandbox.close();
 * ```
 *
 * @module
 */
import { Hono } from "hono";
import { DEFAULT_STATUS_LABELS, type RemoteStatus, type StatusLabels } from "../platform/types.ts";
import type { RemoteDraft, RemoteEdit, SandboxHarness, SandboxIssue } from "./harness.ts";
import { Faults, listen, RequestLog, sandboxMiddleware } from "./sandbox.ts";
import { authAndBudget, type GitLabEnv, gitLabFaultStyle, paramError, RateBudget } from "./gitlab/http.ts";
import { issueRoutes } from "./gitlab/routes_issues.ts";
import { otherRoutes } from "./gitlab/routes_other.ts";
import { boardRoutes, GitLabBoards } from "./gitlab/routes_boards.ts";
import {
  ACCESS,
  type GitLabEdition,
  type GitLabIssue,
  type GitLabProject,
  GitLabState,
} from "./gitlab/state.ts";
import { harnessWebhookDelivery } from "./webhooks.ts";

export { ACCESS, GitLabState } from "./gitlab/state.ts";
export type {
  GitLabEdition,
  GitLabIssue,
  GitLabMilestone,
  GitLabProject,
  GitLabRelease,
  GitLabUser,
} from "./gitlab/state.ts";

/** Options of {@link createGitLabSandbox}. */
export interface GitLabSandboxOptions {
  /** The clock, epoch milliseconds (default: real time). */
  readonly now?: () => number;
  /** Full path of the harness project (default `forgesync/platform/widgets`, a nested group). */
  readonly project?: string;
  /** Numeric id of the harness project (default 4242). */
  readonly projectId?: number;
  /** Assignable usernames, members of the project (default alice, bob, carol). */
  readonly users?: readonly string[];
  /** Milestone titles created up front (default v1.0, v1.1). */
  readonly milestones?: readonly string[];
  /** Status label names (default {@link DEFAULT_STATUS_LABELS}). */
  readonly statusLabels?: StatusLabels;
  /** Requests a minute per user (default 2,000, as GitLab.com). */
  readonly rateLimit?: number;
  /** Answer 429 once the budget is spent (default false: only the headers count down). */
  readonly enforceRateLimit?: boolean;
  /** Port (default 0: any free one). */
  readonly port?: number;
  /**
   * The edition: `free` (default) keeps only the first of several assignees, as GitLab Free does;
   * `premium` keeps them all (multiple assignees are a Premium feature).
   */
  readonly edition?: GitLabEdition;
}

/** The tokens of the sandbox. */
export interface GitLabSandboxTokens {
  /** Personal access token (scope `api`) of `forgesync-bot`, a Developer of the project. */
  readonly write: string;
  /** Personal access token (scope `read_api`) of `rita-reporter`, a Reporter: reads only. */
  readonly read: string;
  /** Personal access token of `otto-outsider`, who is not a member (the project answers 404). */
  readonly none: string;
  /** OAuth access token of `forgesync-bot` (64 hex characters): accepted only as Bearer. */
  readonly oauth: string;
}

/** A running GitLab sandbox. */
export interface GitLabSandbox extends SandboxHarness {
  /** The Hono app (also usable without the network through `app.request`). */
  readonly app: Hono<GitLabEnv>;
  /** Base URL, e.g. `http://127.0.0.1:43125` (the API is under `/api/v4`). */
  readonly url: string;
  /** The whole state, for tests. */
  readonly state: GitLabState;
  /** The harness project. */
  readonly project: GitLabProject;
  readonly tokens: GitLabSandboxTokens;
  readonly statusLabels: StatusLabels;
  /** The stored issue (deleted ones too), in GitLab terms. */
  rawIssue(number: number): GitLabIssue | undefined;
  /** Issue boards, by project. */
  readonly boards: GitLabBoards;
}

/** Status of a stored issue from its state and labels (see the module documentation). */
export function statusFromGitLab(
  state: "opened" | "closed",
  labels: readonly string[],
  names: StatusLabels = DEFAULT_STATUS_LABELS,
): RemoteStatus {
  if (state === "opened") {
    if (labels.includes(names.blocked)) return "blocked";
    if (labels.includes(names.in_progress)) return "in_progress";
    return "open";
  }
  if (labels.includes(names.failed)) return "failed";
  if (labels.includes(names.cancelled)) return "cancelled";
  return "completed";
}

/** The GitLab state and the status label (if any) that represent a status. */
export function statusToGitLab(
  status: RemoteStatus,
  names: StatusLabels = DEFAULT_STATUS_LABELS,
): { state: "opened" | "closed"; label: string | null } {
  switch (status) {
    case "open":
      return { state: "opened", label: null };
    case "in_progress":
      return { state: "opened", label: names.in_progress };
    case "blocked":
      return { state: "opened", label: names.blocked };
    case "completed":
      return { state: "closed", label: null };
    case "cancelled":
      return { state: "closed", label: names.cancelled };
    case "failed":
      return { state: "closed", label: names.failed };
  }
}

const OAUTH_TOKEN = "4f1c0a9e2b7d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";

/** Starts a GitLab sandbox with one nested-group project, users, milestones and tokens. */
export async function createGitLabSandbox(options: GitLabSandboxOptions = {}): Promise<GitLabSandbox> {
  const now = options.now ?? (() => Date.now());
  const names = options.statusLabels ?? DEFAULT_STATUS_LABELS;
  const statusSet = new Set([names.in_progress, names.blocked, names.failed, names.cancelled]);
  const state = new GitLabState(now);
  state.edition = options.edition ?? "free";
  const budget = new RateBudget(options.rateLimit ?? 2000, options.enforceRateLimit ?? false, now);
  const log = new RequestLog();
  const faults = new Faults();

  const bot = state.addUser("forgesync-bot", "forgesync bot");
  const reporter = state.addUser("rita-reporter", "Rita Reporter");
  const outsider = state.addUser("otto-outsider", "Otto Outsider");
  const usernames = options.users ?? ["alice", "bob", "carol"];
  const people = usernames.map((u) => state.addUser(u, u[0]!.toUpperCase() + u.slice(1)));

  const project = state.addProject({
    path: options.project ?? "forgesync/platform/widgets",
    id: options.projectId ?? 4242,
  });
  project.members.set(bot.id, ACCESS.developer);
  project.members.set(reporter.id, ACCESS.reporter);
  for (const p of people) project.members.set(p.id, ACCESS.developer);
  // A second project, so that global issue ids and iids never line up by accident.
  const other = state.addProject({ path: "forgesync/other", id: (options.projectId ?? 4242) + 1 });
  other.members.set(bot.id, ACCESS.developer);
  // Set-up data is stamped a week ago, so that seeded issues can still be "in the past".
  const weekAgo = now() - 7 * 86_400_000;
  for (let i = 0; i < 3; i++) {
    state.createIssue(other, { title: `Other ${i + 1}`, author_id: bot.id, created_at: weekAgo + i });
  }
  const milestoneTitles = options.milestones ?? ["v1.0", "v1.1"];
  milestoneTitles.forEach((title, i) => state.createMilestone(project, { title, at: weekAgo + 10 + i }));

  const tokens: GitLabSandboxTokens = {
    write: "glpat-sandbox-writer-0000000000",
    read: "glpat-sandbox-reporter-000000000",
    none: "glpat-sandbox-outsider-00000000",
    oauth: OAUTH_TOKEN,
  };
  state.addToken(tokens.write, bot.id, { scopes: ["api"], name: "forgesync" });
  state.addToken(tokens.read, reporter.id, { scopes: ["read_api"], name: "reader" });
  state.addToken(tokens.none, outsider.id, { scopes: ["api"], name: "outsider" });
  state.addToken(tokens.oauth, bot.id, { scopes: ["api"], kind: "oauth", name: "oauth" });

  const app = new Hono<GitLabEnv>();
  app.use("*", sandboxMiddleware(log, faults, gitLabFaultStyle(budget)));
  app.use("/api/v4/*", authAndBudget(state, budget));
  issueRoutes(app, state);
  otherRoutes(app, state);
  const boards = new GitLabBoards();
  boardRoutes(app, state, boards);
  app.notFound(() => paramError("404 Not Found", 404));

  const server = await listen(app as unknown as Hono, options.port ?? 0);
  state.webBase = server.url;

  const userIds = (logins: readonly string[]) =>
    logins.map((login) => {
      const user = state.userByName(login);
      if (!user) throw new Error(`Sandbox user "${login}" does not exist (known: ${usernames.join(", ")})`);
      return user.id;
    });
  const milestoneId = (title: string | null | undefined) => {
    if (title === undefined) return undefined;
    if (title === null) return null;
    const m = state.milestoneByTitle(project, title);
    if (!m) throw new Error(`Sandbox milestone "${title}" does not exist`);
    return m.id;
  };
  const labelsOf = (labels: readonly string[], status: RemoteStatus) => {
    const label = statusToGitLab(status, names).label;
    return [...labels.filter((l) => !statusSet.has(l)), ...(label ? [label] : [])];
  };
  const stored = (number: number) => {
    const issue = state.issue(project, number);
    if (!issue) throw new Error(`Sandbox issue #${number} does not exist in ${project.path_with_namespace}`);
    return issue;
  };
  const create = (draft: RemoteDraft, at?: number) => {
    const status = draft.status ?? "open";
    return state.createIssue(project, {
      title: draft.title,
      description: draft.body ?? "",
      labels: labelsOf(draft.labels ?? [], status),
      assignee_ids: userIds(draft.assignees ?? []),
      milestone_id: milestoneId(draft.milestone) ?? null,
      state: statusToGitLab(status, names).state,
      author_id: people[0]?.id ?? bot.id,
      created_at: at,
      updated_at: at,
    });
  };

  return {
    platform: "gitlab",
    apiUrl: `${server.url}/api/v4`,
    repository: project.path_with_namespace,
    token: tokens.write,
    env: {},
    users: usernames,
    milestones: milestoneTitles,
    faults,
    log,
    app,
    url: server.url,
    state,
    project,
    tokens,
    statusLabels: names,
    boards,

    seedIssues(count, make = (i) => ({ title: `Seeded issue ${i + 1}`, body: `Seeded body ${i + 1}` })) {
      // Distinct, increasing timestamps in the past, after every stamp handed out so far.
      const clock = now();
      const start = Math.max(state.highWater + 1, clock - (count + 1) * 1000);
      const room = clock - start;
      const step = room > count ? Math.min(1000, Math.floor(room / (count + 1))) : 1;
      const numbers: number[] = [];
      for (let i = 0; i < count; i++) numbers.push(create(make(i), start + (i + 1) * step).iid);
      return Promise.resolve(numbers);
    },

    remoteCreate(draft) {
      return Promise.resolve(create(draft).iid);
    },

    remoteEdit(number, edit: RemoteEdit) {
      const issue = stored(number);
      const current = statusFromGitLab(issue.state, issue.labels, names);
      const status = edit.status ?? current;
      const labels = edit.labels !== undefined || edit.status !== undefined
        ? labelsOf(edit.labels ?? issue.labels.filter((l) => !statusSet.has(l)), status)
        : undefined;
      const target = statusToGitLab(status, names).state;
      const changed = state.updateIssue(project, issue, {
        title: edit.title,
        description: edit.body,
        labels,
        assignee_ids: edit.assignees === undefined ? undefined : userIds(edit.assignees),
        milestone_id: milestoneId(edit.milestone),
        state_event: target === issue.state ? undefined : target === "closed" ? "close" : "reopen",
        actor_id: people[0]?.id ?? bot.id,
      });
      // A person's edit always moves updated_at, even one that changes nothing.
      if (!changed) issue.updated_at = state.stamp();
      return Promise.resolve();
    },

    deleteIssue(number) {
      stored(number).deleted = true;
      return Promise.resolve();
    },

    readIssue(number): SandboxIssue | undefined {
      const issue = project.issues[number - 1];
      if (!issue) return undefined;
      const milestone = project.milestones.find((m) => m.id === issue.milestone_id);
      return {
        number: issue.iid,
        title: issue.title,
        body: issue.description,
        status: statusFromGitLab(issue.state, issue.labels, names),
        labels: issue.labels.filter((l) => !statusSet.has(l)),
        assignees: issue.assignee_ids.map((id) => state.users.get(id)!.username).sort(),
        milestone: milestone?.title ?? null,
        updated_at: new Date(issue.updated_at).toISOString(),
        deleted: issue.deleted,
      };
    },

    rawIssue(number) {
      return project.issues[number - 1];
    },

    issueNumbers() {
      return project.issues.filter((i) => !i.deleted).map((i) => i.iid);
    },

    budget() {
      return { remaining: budget.remaining, limit: budget.limit };
    },

    webhookDelivery(input) {
      return harnessWebhookDelivery("gitlab", project.path_with_namespace, input, { projectId: project.id });
    },

    close() {
      return server.close();
    },
  };
}
