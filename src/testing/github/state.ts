/**
 * The GitHub sandbox's state: accounts, repositories, labels, issues (and pull requests, which
 * share the numbering), with GitHub's validation rules. Routes call these methods; tests may call
 * them directly. Failures are {@link ApiError}s carrying the status and body GitHub would send.
 *
 * @module
 */
import { errorJson, type FieldError } from "./json.ts";
import { nodeId, toSecond } from "./model.ts";
import type { IssueRec, LabelRec, MilestoneRec, RepoRec, StateReason, UserRec } from "./model.ts";

/** A failure the API answers with `status` and `body`. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(String(body.message));
  }
}

const ISSUES_DOCS = "https://docs.github.com/rest/issues/issues";

/** A 422 "Validation Failed" with its field errors. */
export function validationFailed(docs: string, ...errors: FieldError[]): ApiError {
  return new ApiError(422, errorJson(422, "Validation Failed", docs, errors));
}

/** A 404 "Not Found". */
export function notFound(docs = "https://docs.github.com/rest"): ApiError {
  return new ApiError(404, errorJson(404, "Not Found", docs));
}

/** Default labels of a new repository, as GitHub creates them. */
const DEFAULT_LABELS: ReadonlyArray<readonly [string, string, string]> = [
  ["bug", "d73a4a", "Something isn't working"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["duplicate", "cfd3d7", "This issue or pull request already exists"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["help wanted", "008672", "Extra attention is needed"],
  ["invalid", "e4e669", "This doesn't seem right"],
  ["question", "d876e3", "Further information is requested"],
  ["wontfix", "ffffff", "This will not be worked on"],
];

/** Filters of `GET /repos/{o}/{r}/issues`. */
export interface IssueQuery {
  readonly state: "open" | "closed" | "all";
  /** Inclusive lower bound on updated_at (epoch ms). */
  readonly since?: number;
  readonly sort: "created" | "updated" | "comments";
  readonly direction: "asc" | "desc";
  /** Every one of these labels (lower case). */
  readonly labels?: readonly string[];
  /** `*`, `none` or a milestone number. */
  readonly milestone?: string;
  /** `*`, `none` or a login. */
  readonly assignee?: string;
}

/** Fields of an issue write, already type-checked. */
export interface IssueFields {
  title?: string;
  body?: string | null;
  state?: "open" | "closed";
  state_reason?: StateReason;
  labels?: readonly string[];
  assignees?: readonly string[];
  milestone?: number | null;
}

type Sorted = "cacheByUpdated" | "cacheByCreated";

function compareBy(key: "updated_at" | "created_at") {
  return (a: IssueRec, b: IssueRec) => a[key] - b[key] || a.number - b.number;
}

/** The whole sandbox state. */
export class GitHubState {
  /** The clock (epoch ms). */
  readonly now: () => number;
  readonly users = new Map<string, UserRec>();
  readonly repos = new Map<string, RepoRec>();
  readonly reposById = new Map<number, RepoRec>();
  #nextId = 1_000;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** A fresh numeric id (ids are global, as on GitHub). */
  nextId(): number {
    return this.#nextId++;
  }

  /** The current time truncated to seconds. */
  nowSecond(): number {
    return toSecond(this.now());
  }

  /** Adds an account. */
  addUser(login: string, type: "User" | "Organization" = "User"): UserRec {
    const existing = this.users.get(login.toLowerCase());
    if (existing !== undefined) return existing;
    const id = this.users.size + 1;
    const user: UserRec = { login, id, node_id: nodeId(type === "User" ? "U" : "O", id), type };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  /** An account by login (`ghost`, like GitHub, for unknown ones). */
  readonly user = (login: string): UserRec => this.users.get(login.toLowerCase()) ?? this.addUser("ghost");

  /** Adds a repository with GitHub's default labels. */
  addRepo(options: {
    owner: string;
    name: string;
    private?: boolean;
    has_issues?: boolean;
    collaborators?: readonly string[];
    created_at?: number;
  }): RepoRec {
    const id = this.nextId();
    const repo: RepoRec = {
      id,
      node_id: nodeId("R", id),
      owner: options.owner,
      name: options.name,
      private: options.private ?? true,
      has_issues: options.has_issues ?? true,
      created_at: toSecond(options.created_at ?? this.now()),
      issues: [],
      labels: new Map(),
      milestones: [],
      releases: [],
      collaborators: new Set([options.owner, ...(options.collaborators ?? [])]),
      version: 0,
    };
    for (const [name, color, description] of DEFAULT_LABELS) {
      this.#newLabel(repo, name, color, true, description);
    }
    this.repos.set(`${options.owner}/${options.name}`.toLowerCase(), repo);
    this.reposById.set(id, repo);
    return repo;
  }

  /** A repository by owner and name (case-insensitive, as GitHub). */
  repo(owner: string, name: string): RepoRec | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  #newLabel(repo: RepoRec, name: string, color: string, isDefault: boolean, description: string | null) {
    const id = this.nextId();
    const label: LabelRec = { id, node_id: nodeId("LA", id), name, color, default: isDefault, description };
    repo.labels.set(name.toLowerCase(), label);
    return label;
  }

  /** The label named `name` (case-insensitive), created when missing, as GitHub does on writes. */
  ensureLabel(repo: RepoRec, name: string): LabelRec {
    return repo.labels.get(name.toLowerCase()) ?? this.#newLabel(repo, name, "ededed", false, null);
  }

  /** Marks a change of the repository (invalidates the sorted caches). */
  touch(repo: RepoRec): void {
    repo.version += 1;
  }

  /** Live issues and pull requests ordered by `key`, ascending (cached until the next change). */
  sorted(repo: RepoRec, key: "updated_at" | "created_at"): IssueRec[] {
    const slot: Sorted = key === "updated_at" ? "cacheByUpdated" : "cacheByCreated";
    const cached = repo[slot];
    if (cached !== undefined && cached.version === repo.version) return cached.items;
    const items = repo.issues.filter((i) => !i.deleted).sort(compareBy(key));
    repo[slot] = { version: repo.version, items };
    return items;
  }

  /** Open and closed issue counts per milestone number. */
  milestoneCounts(repo: RepoRec): Map<number, { open: number; closed: number }> {
    const cached = repo.cacheMilestoneCounts;
    if (cached !== undefined && cached.version === repo.version) return cached.counts;
    const counts = new Map<number, { open: number; closed: number }>();
    for (const issue of repo.issues) {
      if (issue.deleted || issue.milestone === null) continue;
      const c = counts.get(issue.milestone) ?? { open: 0, closed: 0 };
      if (issue.state === "open") c.open++;
      else c.closed++;
      counts.set(issue.milestone, c);
    }
    repo.cacheMilestoneCounts = { version: repo.version, counts };
    return counts;
  }

  /** Every issue matching `query`, in its order (pagination is the caller's). */
  listIssues(repo: RepoRec, query: IssueQuery): IssueRec[] {
    const items = this.sorted(repo, query.sort === "updated" ? "updated_at" : "created_at");
    let start = 0;
    if (query.since !== undefined && query.sort === "updated") {
      let lo = 0, hi = items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (items[mid]!.updated_at < query.since) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const since = query.since;
    const labels = query.labels ?? [];
    const keep = (i: IssueRec) =>
      (query.state === "all" || i.state === query.state) &&
      (since === undefined || i.updated_at >= since) &&
      labels.every((l) => i.labels.some((x) => x.name.toLowerCase() === l)) &&
      (query.milestone === undefined ||
        (query.milestone === "*"
          ? i.milestone !== null
          : query.milestone === "none"
          ? i.milestone === null
          : String(i.milestone) === query.milestone)) &&
      (query.assignee === undefined ||
        (query.assignee === "*"
          ? i.assignees.length > 0
          : query.assignee === "none"
          ? i.assignees.length === 0
          : i.assignees.some((a) => a.toLowerCase() === query.assignee!.toLowerCase())));
    const out: IssueRec[] = [];
    if (query.direction === "asc") {
      for (let k = start; k < items.length; k++) if (keep(items[k]!)) out.push(items[k]!);
    } else {
      for (let k = items.length - 1; k >= start; k--) if (keep(items[k]!)) out.push(items[k]!);
    }
    return out;
  }

  /** The issue `number`: 404 when it never existed, 410 when deleted. */
  issue(repo: RepoRec, number: number): IssueRec {
    const issue = Number.isSafeInteger(number) && number > 0 ? repo.issues[number - 1] : undefined;
    if (issue === undefined) throw notFound(`${ISSUES_DOCS}#get-an-issue`);
    if (issue.deleted) {
      throw new ApiError(410, errorJson(410, "This issue was deleted", `${ISSUES_DOCS}#get-an-issue`));
    }
    return issue;
  }

  /** Checks assignees and the milestone as GitHub does; answers the 422 it would send. */
  #validate(repo: RepoRec, fields: IssueFields, docs: string): void {
    if (fields.title !== undefined) {
      if (fields.title.trim() === "") {
        throw validationFailed(docs, { resource: "Issue", code: "missing_field", field: "title" });
      }
      if ([...fields.title].length > 256) {
        throw validationFailed(docs, {
          resource: "Issue",
          code: "custom",
          field: "title",
          message: "title is too long (maximum is 256 characters)",
        });
      }
    }
    if (fields.body !== undefined && fields.body !== null && fields.body.length > 65_536) {
      throw validationFailed(docs, {
        resource: "Issue",
        code: "custom",
        field: "body",
        message: "body is too long (maximum is 65536 characters)",
      });
    }
    for (const login of fields.assignees ?? []) {
      const known = [...repo.collaborators].some((c) => c.toLowerCase() === login.toLowerCase());
      if (!known) {
        throw validationFailed(docs, {
          resource: "Issue",
          code: "invalid",
          field: "assignees",
          value: login,
        });
      }
    }
    if ((fields.assignees?.length ?? 0) > 10) {
      throw validationFailed(docs, { resource: "Issue", code: "invalid", field: "assignees" });
    }
    if (fields.milestone !== undefined && fields.milestone !== null) {
      if (repo.milestones[fields.milestone - 1] === undefined) {
        throw validationFailed(docs, {
          resource: "Issue",
          code: "invalid",
          field: "milestone",
          value: fields.milestone,
        });
      }
    }
  }

  #canonicalLogins(repo: RepoRec, logins: readonly string[]): string[] {
    const out: string[] = [];
    for (const login of logins) {
      const name = [...repo.collaborators].find((c) => c.toLowerCase() === login.toLowerCase()) ?? login;
      if (!out.includes(name)) out.push(name);
    }
    return out;
  }

  #labels(repo: RepoRec, names: readonly string[]): LabelRec[] {
    const byName = new Map<string, LabelRec>();
    for (const n of names) {
      const label = this.ensureLabel(repo, n);
      byName.set(label.name.toLowerCase(), label);
    }
    return [...byName.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  /**
   * Creates an issue (`POST /repos/{o}/{r}/issues`), or a pull request when `pull` is set.
   * `at` overrides the creation time (seeding); the state applies `fields.state` directly.
   */
  createIssue(
    repo: RepoRec,
    actor: string,
    fields: IssueFields & { title: string },
    options: { at?: number; pull?: boolean } = {},
  ): IssueRec {
    this.#validate(repo, fields, `${ISSUES_DOCS}#create-an-issue`);
    const at = toSecond(options.at ?? this.now());
    const id = this.nextId();
    const number = repo.issues.length + 1;
    const closed = fields.state === "closed";
    const issue: IssueRec = {
      id,
      node_id: nodeId(options.pull ? "PR" : "I", repo.id, number),
      number,
      title: fields.title,
      body: fields.body === undefined || fields.body === "" ? null : fields.body,
      state: closed ? "closed" : "open",
      state_reason: closed ? fields.state_reason ?? "completed" : null,
      labels: this.#labels(repo, fields.labels ?? []),
      assignees: this.#canonicalLogins(repo, fields.assignees ?? []),
      milestone: fields.milestone ?? null,
      created_at: at,
      updated_at: at,
      closed_at: closed ? at : null,
      closed_by: closed ? actor : null,
      user: actor,
      comments: 0,
      locked: false,
      pull: options.pull ? { merged_at: closed ? at : null } : null,
      deleted: false,
    };
    repo.issues.push(issue);
    this.touch(repo);
    return issue;
  }

  /**
   * Updates an issue (`PATCH /repos/{o}/{r}/issues/{n}`) with GitHub's rules: labels and
   * assignees replace the set, `state_reason` counts only when `state` changes in the same
   * request, and `updated_at` moves (to now, or `at`) only when something changed.
   */
  updateIssue(repo: RepoRec, actor: string, number: number, fields: IssueFields, at?: number): IssueRec {
    const issue = this.issue(repo, number);
    this.#validate(repo, fields, `${ISSUES_DOCS}#update-an-issue`);
    const before = JSON.stringify(snapshot(issue));
    const when = toSecond(at ?? this.now());
    if (fields.title !== undefined) issue.title = fields.title;
    if (fields.body !== undefined) issue.body = fields.body === "" ? null : fields.body;
    if (fields.labels !== undefined) issue.labels = this.#labels(repo, fields.labels);
    if (fields.assignees !== undefined) issue.assignees = this.#canonicalLogins(repo, fields.assignees);
    if (fields.milestone !== undefined) issue.milestone = fields.milestone;
    if (fields.state !== undefined && fields.state !== issue.state) {
      issue.state = fields.state;
      if (fields.state === "closed") {
        issue.state_reason = fields.state_reason === undefined || fields.state_reason === null ||
            fields.state_reason === "reopened"
          ? "completed"
          : fields.state_reason;
        issue.closed_at = when;
        issue.closed_by = actor;
      } else {
        issue.state_reason = "reopened";
        issue.closed_at = null;
      }
    }
    if (JSON.stringify(snapshot(issue)) !== before) {
      issue.updated_at = Math.max(when, issue.updated_at);
      this.touch(repo);
    }
    return issue;
  }

  /** Deletes an issue: later reads answer 410, listings leave it out. */
  deleteIssue(repo: RepoRec, number: number): void {
    const issue = this.issue(repo, number);
    issue.deleted = true;
    this.touch(repo);
  }

  /** The milestone numbered `number`, or a 404. */
  milestone(repo: RepoRec, number: number): MilestoneRec {
    const m = Number.isSafeInteger(number) && number > 0 ? repo.milestones[number - 1] : undefined;
    if (m === undefined) throw notFound("https://docs.github.com/rest/issues/milestones#get-a-milestone");
    return m;
  }
}

function snapshot(issue: IssueRec) {
  return [
    issue.title,
    issue.body,
    issue.state,
    issue.state_reason,
    issue.labels.map((l) => l.id),
    issue.assignees,
    issue.milestone,
  ];
}
