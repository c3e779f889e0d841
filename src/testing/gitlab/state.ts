/**
 * The in-memory state of the GitLab sandbox: users, tokens, projects (nested groups allowed) with
 * their issues, labels, milestones and releases. Routes (`routes.ts`) and the harness
 * (`../gitlab_sandbox.ts`) both work on it; nothing here speaks HTTP.
 *
 * Timestamps are epoch milliseconds (GitLab answers with millisecond precision). Every write stamps
 * the item with the clock's `now()`, but never at or before an earlier stamp, so a change always
 * moves `updated_at` forward even under a frozen test clock.
 *
 * @module
 */

/** GitLab access levels (Guest 10, Reporter 20, Developer 30, Maintainer 40, Owner 50). */
export const ACCESS = { none: 0, guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

/** A user of the sandbox instance. */
export interface GitLabUser {
  readonly id: number;
  readonly username: string;
  readonly name: string;
}

/** A token: a personal access token (`PRIVATE-TOKEN` or Bearer) or an OAuth token (Bearer only). */
export interface GitLabToken {
  readonly id: number;
  readonly token: string;
  readonly name: string;
  readonly userId: number;
  /** `api` allows writes; `read_api` only reads. */
  readonly scopes: readonly string[];
  readonly kind: "personal" | "oauth";
}

/** An issue as the sandbox stores it. `iid` is per project, `id` global. */
export interface GitLabIssue {
  readonly id: number;
  readonly iid: number;
  readonly project_id: number;
  title: string;
  description: string;
  state: "opened" | "closed";
  labels: string[];
  assignee_ids: number[];
  milestone_id: number | null;
  readonly author_id: number;
  readonly created_at: number;
  updated_at: number;
  closed_at: number | null;
  closed_by_id: number | null;
  deleted: boolean;
}

/** A project milestone. `id` is global, `iid` per project. */
export interface GitLabMilestone {
  readonly id: number;
  readonly iid: number;
  /** The owning project's id; 0 for a group milestone. */
  readonly project_id: number;
  /** The owning group's full path, for a group milestone. */
  readonly group_path?: string;
  title: string;
  description: string;
  state: "active" | "closed";
  due_date: string | null;
  start_date: string | null;
  readonly created_at: number;
  updated_at: number;
}

/** A project label. */
export interface GitLabLabel {
  readonly id: number;
  readonly name: string;
  readonly color: string;
}

/** A release. */
export interface GitLabRelease {
  readonly tag_name: string;
  readonly name: string;
  readonly description: string;
  readonly milestone_ids: readonly number[];
  readonly author_id: number;
  readonly created_at: number;
  readonly released_at: number;
}

/** A project (the GitLab name for a repository). */
export interface GitLabProject {
  readonly id: number;
  /** `group/sub/project`. */
  readonly path_with_namespace: string;
  readonly description: string;
  readonly default_branch: string;
  issues_enabled: boolean;
  readonly visibility: "private" | "internal" | "public";
  readonly created_at: number;
  /** user id → access level. */
  readonly members: Map<number, number>;
  /** Index `iid - 1`. */
  readonly issues: GitLabIssue[];
  readonly milestones: GitLabMilestone[];
  readonly labels: Map<string, GitLabLabel>;
  readonly releases: Map<string, GitLabRelease>;
  readonly tags: Set<string>;
  readonly branches: Set<string>;
}

/** What a new project needs. */
export interface ProjectInit {
  readonly path: string;
  readonly id?: number;
  readonly visibility?: "private" | "internal" | "public";
  readonly issues_enabled?: boolean;
  readonly default_branch?: string;
  readonly description?: string;
}

/** Fields of a new issue, in GitLab terms. */
export interface IssueInit {
  readonly title: string;
  readonly description?: string;
  readonly labels?: readonly string[];
  readonly assignee_ids?: readonly number[];
  readonly milestone_id?: number | null;
  readonly state?: "opened" | "closed";
  readonly author_id: number;
  /** Explicit timestamps (seeding); both default to the clock. */
  readonly created_at?: number;
  readonly updated_at?: number;
}

const LABEL_COLORS = ["#6699cc", "#ed9121", "#009966", "#8fbc8f", "#dc143c", "#5843ad", "#cd5b45", "#013220"];

/** A GitLab edition, as far as the sandbox models one: Free, or Premium (Ultimate behaves alike here). */
export type GitLabEdition = "free" | "premium";

/** The whole sandbox instance. */
export class GitLabState {
  readonly users = new Map<number, GitLabUser>();
  readonly tokens = new Map<string, GitLabToken>();
  readonly projects = new Map<number, GitLabProject>();
  readonly #usersByName = new Map<string, GitLabUser>();
  readonly #projectsByPath = new Map<string, GitLabProject>();
  readonly #issuesById = new Map<number, GitLabIssue>();
  #nextUserId = 101;
  #nextTokenId = 9001;
  #nextProjectId = 4200;
  #nextIssueId = 700_001;
  #nextMilestoneId = 30_001;
  #nextLabelId = 500;
  /** The web base (`http://127.0.0.1:port`), set once the server listens. */
  webBase = "http://gitlab.sandbox";

  /** @param now The clock, epoch milliseconds. */
  constructor(readonly now: () => number) {}

  /**
   * The instance's edition. On GitLab Free an issue has one assignee: of several `assignee_ids`
   * only the first is kept, silently (GitLab's `filter_assignees`: `first(1)` unless the issue
   * "allows multiple assignees", a Premium feature); Premium and Ultimate keep them all.
   */
  edition: GitLabEdition = "free";

  /** The latest stamp handed out (or given explicitly). */
  highWater = 0;

  /**
   * A stamp for a write: the clock's now, but strictly after every stamp handed out before, so
   * writes are ordered even under a frozen test clock. Explicit stamps may be given to
   * {@link createIssue} to build ties on purpose.
   */
  stamp(): number {
    const t = Math.max(this.now(), this.highWater + 1);
    this.highWater = t;
    return t;
  }

  /** Adds a user. */
  addUser(username: string, name = username): GitLabUser {
    const existing = this.userByName(username);
    if (existing) return existing;
    const user = { id: this.#nextUserId++, username, name };
    this.users.set(user.id, user);
    this.#usersByName.set(username.toLowerCase(), user);
    return user;
  }

  /** A user by username (case-insensitive, as GitLab looks them up). */
  userByName(username: string): GitLabUser | undefined {
    return this.#usersByName.get(username.toLowerCase());
  }

  /** Adds a token for a user. */
  addToken(
    token: string,
    userId: number,
    options: { scopes?: readonly string[]; kind?: "personal" | "oauth"; name?: string } = {},
  ): GitLabToken {
    const entry: GitLabToken = {
      id: this.#nextTokenId++,
      token,
      userId,
      name: options.name ?? `token-${userId}`,
      scopes: options.scopes ?? ["api"],
      kind: options.kind ?? "personal",
    };
    this.tokens.set(token, entry);
    return entry;
  }

  /** Creates a project (its groups are implied by the path). */
  addProject(init: ProjectInit): GitLabProject {
    const id = init.id ?? this.#nextProjectId++;
    if (this.projects.has(id)) throw new Error(`Sandbox project id ${id} already exists`);
    if (this.#projectsByPath.has(init.path.toLowerCase())) {
      throw new Error(`Sandbox project "${init.path}" already exists`);
    }
    const project: GitLabProject = {
      id,
      path_with_namespace: init.path,
      description: init.description ?? "",
      default_branch: init.default_branch ?? "main",
      issues_enabled: init.issues_enabled ?? true,
      visibility: init.visibility ?? "private",
      created_at: this.now() - 86_400_000 * 30,
      members: new Map(),
      issues: [],
      milestones: [],
      labels: new Map(),
      releases: new Map(),
      tags: new Set(),
      branches: new Set([init.default_branch ?? "main"]),
    };
    this.projects.set(id, project);
    this.#projectsByPath.set(init.path.toLowerCase(), project);
    return project;
  }

  /** A project by numeric id or full path (case-insensitive, as GitLab resolves paths). */
  findProject(idOrPath: string): GitLabProject | undefined {
    if (/^\d+$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    return this.#projectsByPath.get(idOrPath.toLowerCase());
  }

  /** The access level of a user on a project (0 when not a member). */
  accessLevel(project: GitLabProject, userId: number | undefined): number {
    return userId === undefined ? 0 : project.members.get(userId) ?? 0;
  }

  /** Whether a user (or anonymous) can see a project. */
  canSee(project: GitLabProject, userId: number | undefined): boolean {
    if (project.visibility === "public") return true;
    if (userId === undefined) return false;
    return project.visibility === "internal" || this.accessLevel(project, userId) > 0;
  }

  /** The web URL of a project. */
  projectUrl(project: GitLabProject): string {
    return `${this.webBase}/${project.path_with_namespace}`;
  }

  /** Makes sure each label exists on the project (GitLab creates unknown labels on issue writes). */
  ensureLabels(project: GitLabProject, names: readonly string[]): void {
    for (const name of names) {
      if (project.labels.has(name)) continue;
      const id = this.#nextLabelId++;
      project.labels.set(name, { id, name, color: LABEL_COLORS[id % LABEL_COLORS.length]! });
    }
  }

  /** Creates an issue (no permission checks: routes do those). */
  createIssue(project: GitLabProject, init: IssueInit): GitLabIssue {
    const created = init.created_at ?? this.stamp();
    this.highWater = Math.max(this.highWater, created, init.updated_at ?? created);
    const labels = normalizeLabels(init.labels ?? []);
    this.ensureLabels(project, labels);
    const state = init.state ?? "opened";
    const updated = init.updated_at ?? created;
    const issue: GitLabIssue = {
      id: this.#nextIssueId++,
      iid: project.issues.length + 1,
      project_id: project.id,
      title: init.title,
      description: init.description ?? "",
      state,
      labels,
      assignee_ids: this.#assignable(project, init.assignee_ids ?? []),
      milestone_id: this.#milestoneOf(project, init.milestone_id ?? null),
      author_id: init.author_id,
      created_at: created,
      updated_at: updated,
      closed_at: state === "closed" ? updated : null,
      closed_by_id: state === "closed" ? init.author_id : null,
      deleted: false,
    };
    project.issues.push(issue);
    this.#issuesById.set(issue.id, issue);
    return issue;
  }

  /** An issue by project and iid (deleted ones excluded). */
  issue(project: GitLabProject, iid: number): GitLabIssue | undefined {
    const issue = Number.isSafeInteger(iid) && iid >= 1 ? project.issues[iid - 1] : undefined;
    return issue && !issue.deleted ? issue : undefined;
  }

  /** An issue by its global id. */
  issueById(id: number): GitLabIssue | undefined {
    const issue = this.#issuesById.get(id);
    return issue && !issue.deleted ? issue : undefined;
  }

  /** Assignee ids that can be assigned (project members; GitLab drops the others silently). */
  #assignable(project: GitLabProject, ids: readonly number[]): number[] {
    const out: number[] = [];
    for (const id of this.edition === "free" ? ids.slice(0, 1) : ids) {
      if (id === 0 || out.includes(id)) continue;
      if (this.users.has(id) && this.accessLevel(project, id) >= ACCESS.guest) out.push(id);
    }
    return out;
  }

  #milestoneOf(project: GitLabProject, id: number | null): number | null {
    if (id === null || id === 0) return null;
    return this.visibleMilestones(project).some((m) => m.id === id) ? id : null;
  }

  /** Milestones of groups, by the group's full path (`forgesync/platform`). */
  readonly groupMilestones = new Map<string, GitLabMilestone[]>();

  /** The full paths of a project's ancestor groups, nearest last (`forgesync`, `forgesync/platform`). */
  ancestorGroups(project: GitLabProject): string[] {
    const parts = project.path_with_namespace.split("/").slice(0, -1);
    return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  }

  /**
   * The milestones an issue of `project` may be given: the project's and its ancestor groups'
   * (what `GET /projects/:id/milestones?include_ancestors=true` lists).
   */
  visibleMilestones(project: GitLabProject): GitLabMilestone[] {
    return [
      ...project.milestones,
      ...this.ancestorGroups(project).flatMap((g) => this.groupMilestones.get(g) ?? []),
    ];
  }

  /** Creates a milestone of the group at `groupPath` (set-up data: the sandbox has no group API). */
  createGroupMilestone(
    groupPath: string,
    init: { title: string; description?: string; due_date?: string | null },
  ): GitLabMilestone {
    const now = this.stamp();
    const list = this.groupMilestones.get(groupPath) ?? [];
    const milestone: GitLabMilestone = {
      id: this.#nextMilestoneId++,
      iid: list.length + 1,
      project_id: 0,
      group_path: groupPath,
      title: init.title,
      description: init.description ?? "",
      state: "active",
      due_date: init.due_date ?? null,
      start_date: null,
      created_at: now,
      updated_at: now,
    };
    list.push(milestone);
    this.groupMilestones.set(groupPath, list);
    return milestone;
  }

  /**
   * Applies a change to an issue; `updated_at` moves forward only when something changed, as in
   * GitLab. Unknown assignees and milestones are dropped silently, as GitLab does. Returns whether
   * anything changed.
   */
  updateIssue(
    project: GitLabProject,
    issue: GitLabIssue,
    change: {
      title?: string;
      description?: string;
      labels?: readonly string[];
      assignee_ids?: readonly number[];
      milestone_id?: number | null;
      state_event?: "close" | "reopen";
      actor_id: number;
    },
  ): boolean {
    let changed = false;
    if (change.title !== undefined && change.title !== issue.title) {
      issue.title = change.title;
      changed = true;
    }
    if (change.description !== undefined && change.description !== issue.description) {
      issue.description = change.description;
      changed = true;
    }
    if (change.labels !== undefined) {
      const labels = normalizeLabels(change.labels);
      this.ensureLabels(project, labels);
      if (labels.join("\n") !== issue.labels.join("\n")) {
        issue.labels = labels;
        changed = true;
      }
    }
    if (change.assignee_ids !== undefined) {
      const ids = this.#assignable(project, change.assignee_ids);
      if (ids.join(",") !== issue.assignee_ids.join(",")) {
        issue.assignee_ids = ids;
        changed = true;
      }
    }
    if (change.milestone_id !== undefined) {
      const id = this.#milestoneOf(project, change.milestone_id);
      if (id !== issue.milestone_id) {
        issue.milestone_id = id;
        changed = true;
      }
    }
    const closing = change.state_event === "close" && issue.state === "opened";
    const reopening = change.state_event === "reopen" && issue.state === "closed";
    if (!changed && !closing && !reopening) return false;
    const stamp = this.stamp();
    if (closing) {
      issue.state = "closed";
      issue.closed_at = stamp;
      issue.closed_by_id = change.actor_id;
    } else if (reopening) {
      issue.state = "opened";
      issue.closed_at = null;
      issue.closed_by_id = null;
    }
    issue.updated_at = stamp;
    return true;
  }

  /** Creates a milestone. */
  createMilestone(
    project: GitLabProject,
    init: {
      title: string;
      description?: string;
      due_date?: string | null;
      start_date?: string | null;
      /** An explicit creation time (set-up data); defaults to a fresh stamp. */
      at?: number;
    },
  ): GitLabMilestone {
    const now = init.at ?? this.stamp();
    this.highWater = Math.max(this.highWater, now);
    const milestone: GitLabMilestone = {
      id: this.#nextMilestoneId++,
      iid: project.milestones.length + 1,
      project_id: project.id,
      title: init.title,
      description: init.description ?? "",
      state: "active",
      due_date: init.due_date ?? null,
      start_date: init.start_date ?? null,
      created_at: now,
      updated_at: now,
    };
    project.milestones.push(milestone);
    return milestone;
  }

  /** A milestone by title (exact, as GitLab's `title` filter): the project's, else an ancestor group's. */
  milestoneByTitle(project: GitLabProject, title: string): GitLabMilestone | undefined {
    return this.visibleMilestones(project).find((m) => m.title === title);
  }
}

/** Label names as GitLab keeps them: trimmed, non-empty, unique, sorted by title. */
export function normalizeLabels(labels: readonly string[]): string[] {
  const out = new Set<string>();
  for (const label of labels) {
    const name = label.trim();
    if (name !== "") out.add(name);
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
