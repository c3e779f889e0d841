/**
 * The state of the Bitbucket sandbox: users, repositories, issues, milestones and tags, with the
 * validation Bitbucket Cloud applies to issue writes and the JSON it answers with. The HTTP routes
 * (`app.ts`) and the harness's direct edits both go through this module.
 *
 * @module
 */
import { compileQuery, type FieldType } from "./bbql.ts";
import type { MicroClock } from "./clock.ts";

/** Issue states of Bitbucket Cloud. */
export const BB_STATES = [
  "new",
  "open",
  "submitted",
  "resolved",
  "on hold",
  "invalid",
  "duplicate",
  "wontfix",
  "closed",
] as const;
/** An issue state. */
export type BbState = typeof BB_STATES[number];
/** Issue kinds. */
export const BB_KINDS = ["bug", "enhancement", "proposal", "task"] as const;
/** An issue kind. */
export type BbKind = typeof BB_KINDS[number];
/** Issue priorities. */
export const BB_PRIORITIES = ["trivial", "minor", "major", "critical", "blocker"] as const;
/** An issue priority. */
export type BbPriority = typeof BB_PRIORITIES[number];

/** A Bitbucket account. */
export interface BbUser {
  readonly account_id: string;
  readonly uuid: string;
  readonly nickname: string;
  readonly display_name: string;
}

/** A milestone (read-only through the API). */
export interface BbMilestone {
  readonly id: number;
  readonly name: string;
}

/** One issue as the sandbox stores it (times in epoch microseconds). */
export interface IssueRecord {
  readonly id: number;
  title: string;
  raw: string;
  state: BbState;
  kind: BbKind;
  priority: BbPriority;
  assignee: BbUser | null;
  reporter: BbUser | null;
  milestone: BbMilestone | null;
  votes: number;
  watches: number;
  created: number;
  updated: number;
  edited: number | null;
  deleted: boolean;
}

/** A tag made through `POST …/refs/tags`. */
export interface TagRecord {
  readonly name: string;
  readonly hash: string;
  readonly message: string;
  readonly date: number;
}

/** One repository. */
export interface RepoRecord {
  readonly workspace: string;
  readonly slug: string;
  readonly uuid: string;
  readonly name: string;
  hasIssues: boolean;
  readonly isPrivate: boolean;
  readonly created: number;
  readonly issues: Map<number, IssueRecord>;
  nextId: number;
  readonly milestones: BbMilestone[];
  readonly tags: Map<string, TagRecord>;
  /** Commit hashes that exist (the head of `main` first). */
  readonly commits: string[];
}

/** A failure Bitbucket would answer with `{"type":"error","error":{…}}`. */
export class BbError extends Error {
  override readonly name = "BbError";
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: unknown,
    readonly fields?: Readonly<Record<string, readonly string[]>>,
  ) {
    super(message);
  }
}

/** The changes one write makes to an issue (absent = keep). */
export interface IssueChanges {
  title?: string;
  raw?: string;
  state?: BbState;
  kind?: BbKind;
  priority?: BbPriority;
  assignee?: BbUser | null;
  milestone?: BbMilestone | null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A stable UUID (in braces, as Bitbucket writes them) derived from `seed`. */
export function uuidFor(seed: string): string {
  let hex = "";
  for (let round = 0; hex.length < 32; round++) {
    let h = 0x811c9dc5 ^ round;
    for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${
    hex.slice(20, 32)
  }}`;
}

/** Makes a user whose ids (Atlassian `account_id`, Bitbucket `uuid`) derive from `nickname`. */
export function makeUser(nickname: string, display_name: string): BbUser {
  return {
    account_id: `557058:${uuidFor(`account:${nickname}`).slice(1, -1)}`,
    uuid: uuidFor(nickname),
    nickname,
    display_name,
  };
}

/** The fields `q=` may filter issues on. */
export const ISSUE_FIELDS: Readonly<Record<string, FieldType>> = {
  id: "number",
  title: "string",
  "content.raw": "string",
  state: "string",
  kind: "string",
  priority: "string",
  created_on: "datetime",
  updated_on: "datetime",
  edited_on: "datetime",
  "assignee.account_id": "string",
  "assignee.uuid": "string",
  "assignee.nickname": "string",
  "assignee.display_name": "string",
  "reporter.account_id": "string",
  "reporter.nickname": "string",
  "milestone.name": "string",
  votes: "number",
  watches: "number",
};

const SORTS: Readonly<Record<string, (i: IssueRecord) => number | string>> = {
  id: (i) => i.id,
  created_on: (i) => i.created,
  updated_on: (i) => i.updated,
  title: (i) => i.title,
  state: (i) => i.state,
  kind: (i) => i.kind,
  priority: (i) => BB_PRIORITIES.indexOf(i.priority),
  votes: (i) => i.votes,
};

function fieldOf(issue: IssueRecord, field: string): string | number | null {
  switch (field) {
    case "id":
      return issue.id;
    case "title":
      return issue.title;
    case "content.raw":
      return issue.raw;
    case "state":
      return issue.state;
    case "kind":
      return issue.kind;
    case "priority":
      return issue.priority;
    case "created_on":
      return issue.created;
    case "updated_on":
      return issue.updated;
    case "edited_on":
      return issue.edited;
    case "assignee.account_id":
      return issue.assignee?.account_id ?? null;
    case "assignee.uuid":
      return issue.assignee?.uuid ?? null;
    case "assignee.nickname":
      return issue.assignee?.nickname ?? null;
    case "assignee.display_name":
      return issue.assignee?.display_name ?? null;
    case "reporter.account_id":
      return issue.reporter?.account_id ?? null;
    case "reporter.nickname":
      return issue.reporter?.nickname ?? null;
    case "milestone.name":
      return issue.milestone?.name ?? null;
    case "votes":
      return issue.votes;
    case "watches":
      return issue.watches;
    default:
      return null;
  }
}

/** Everything the sandbox holds. */
export class BitbucketState {
  readonly users: BbUser[] = [];
  readonly repos: Map<string, RepoRecord> = new Map();
  /** Base of `links.self` (set once the server listens), e.g. `http://127.0.0.1:4000/2.0`. */
  apiUrl = "http://127.0.0.1/2.0";

  constructor(readonly clock: MicroClock, readonly webUrl: string = "https://bitbucket.org") {}

  /** Adds a repository. */
  addRepo(
    path: string,
    options: { hasIssues?: boolean; milestones?: readonly string[]; isPrivate?: boolean } = {},
  ): RepoRecord {
    const [workspace = "", slug = ""] = path.split("/");
    const repo: RepoRecord = {
      workspace,
      slug,
      uuid: uuidFor(path),
      name: slug,
      hasIssues: options.hasIssues ?? true,
      isPrivate: options.isPrivate ?? true,
      created: this.clock.nowMicros() - 86_400_000_000 * 30,
      issues: new Map(),
      nextId: 1,
      milestones: (options.milestones ?? []).map((name, i) => ({ id: i + 1, name })),
      tags: new Map(),
      commits: [uuidFor(`${path}#head`).replace(/[{}-]/g, "").padEnd(40, "a").slice(0, 40)],
    };
    this.repos.set(path, repo);
    return repo;
  }

  /** The repository at `workspace/slug`, if any. */
  repo(path: string): RepoRecord | undefined {
    return this.repos.get(path.toLowerCase());
  }

  /** Looks a user up by account_id, uuid or nickname. */
  findUser(ref: string): BbUser | undefined {
    return this.users.find((u) => u.account_id === ref || u.uuid === ref || u.nickname === ref);
  }

  /** Validates an issue body of `POST` (`create`) or `PUT` (`update`) against Bitbucket's rules. */
  parseChanges(repo: RepoRecord, body: unknown, mode: "create" | "update"): IssueChanges {
    if (!isObject(body)) throw new BbError(400, "Bad request: the body must be a JSON object.");
    const fields: Record<string, string[]> = {};
    const bad = (field: string, message: string) => (fields[field] ??= []).push(message);
    const changes: IssueChanges = {};
    if ("title" in body) {
      if (typeof body.title !== "string" || body.title.trim() === "") {
        bad("title", "This field may not be blank.");
      } else changes.title = body.title;
    } else if (mode === "create") bad("title", "This field is required.");
    if ("content" in body) {
      const content = body.content;
      if (content === null) changes.raw = "";
      else if (isObject(content) && (content.raw === null || typeof content.raw === "string")) {
        changes.raw = content.raw ?? "";
      } else if (isObject(content) && !("raw" in content)) {
        // Only rendered fields were sent: Bitbucket ignores them.
      } else bad("content", 'Expected an object with a string "raw".');
    }
    const pick = <T extends string>(field: string, allowed: readonly T[]): T | undefined => {
      if (!(field in body)) return undefined;
      const value = body[field];
      if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
      bad(field, `"${String(value)}" is not a valid choice (${allowed.join(", ")}).`);
      return undefined;
    };
    const state = pick("state", BB_STATES);
    if (state !== undefined) changes.state = state;
    const kind = pick("kind", BB_KINDS);
    if (kind !== undefined) changes.kind = kind;
    const priority = pick("priority", BB_PRIORITIES);
    if (priority !== undefined) changes.priority = priority;
    if ("assignee" in body) {
      const a = body.assignee;
      if (a === null) changes.assignee = null;
      else if (isObject(a)) {
        const key = (["account_id", "uuid", "nickname"] as const).find((k) => typeof a[k] === "string");
        const ref = key === undefined ? undefined : a[key] as string;
        const user = key === undefined ? undefined : this.users.find((u) => u[key] === ref);
        if (user === undefined) {
          bad("assignee", `${JSON.stringify(ref ?? a)} is not a valid user (use account_id or uuid).`);
        } else changes.assignee = user;
      } else bad("assignee", "Expected an object with account_id, or null.");
    }
    if ("milestone" in body) {
      const m = body.milestone;
      if (m === null) changes.milestone = null;
      else if (isObject(m)) {
        const found = repo.milestones.find((x) =>
          x.name === m.name || (m.name === undefined && x.id === m.id)
        );
        if (found === undefined) bad("milestone", `No milestone named ${JSON.stringify(m.name ?? m.id)}.`);
        else changes.milestone = found;
      } else bad("milestone", "Expected an object with name, or null.");
    }
    for (const field of ["version", "component"]) {
      if (field in body && body[field] !== null) {
        bad(field, `No such ${field}: this repository defines none.`);
      }
    }
    if (Object.keys(fields).length > 0) {
      const first = Object.entries(fields)[0]!;
      throw new BbError(400, `${first[0]}: ${first[1][0]}`, undefined, fields);
    }
    return changes;
  }

  /** Creates an issue; `at` overrides both timestamps (seeding). */
  createIssue(repo: RepoRecord, changes: IssueChanges, reporter: BbUser | null, at?: number): IssueRecord {
    if (!repo.hasIssues) throw trackerOff();
    const time = at ?? this.clock.tick();
    const issue: IssueRecord = {
      id: repo.nextId++,
      title: changes.title ?? "",
      raw: changes.raw ?? "",
      state: changes.state ?? "new",
      kind: changes.kind ?? "bug",
      priority: changes.priority ?? "major",
      assignee: changes.assignee ?? null,
      reporter,
      milestone: changes.milestone ?? null,
      votes: 0,
      watches: 1,
      created: time,
      updated: time,
      edited: null,
      deleted: false,
    };
    repo.issues.set(issue.id, issue);
    return issue;
  }

  /** The live issue `id`, or a 404 as Bitbucket answers it. */
  issue(repo: RepoRecord, id: number): IssueRecord {
    if (!repo.hasIssues) throw trackerOff();
    const issue = repo.issues.get(id);
    if (issue === undefined || issue.deleted) throw new BbError(404, "Issue not found");
    return issue;
  }

  /** Applies changes (absent keep, null clear) and moves `updated_on` to now. */
  applyChanges(issue: IssueRecord, changes: IssueChanges): IssueRecord {
    const now = this.clock.tick();
    if (changes.title !== undefined || changes.raw !== undefined) issue.edited = now;
    if (changes.title !== undefined) issue.title = changes.title;
    if (changes.raw !== undefined) issue.raw = changes.raw;
    if (changes.state !== undefined) issue.state = changes.state;
    if (changes.kind !== undefined) issue.kind = changes.kind;
    if (changes.priority !== undefined) issue.priority = changes.priority;
    if (changes.assignee !== undefined) issue.assignee = changes.assignee;
    if (changes.milestone !== undefined) issue.milestone = changes.milestone;
    issue.updated = now;
    return issue;
  }

  /** Issues matching `q` (BBQL) in `sort` order (`-` for descending; ties by id). */
  list(repo: RepoRecord, q: string | undefined, sort: string | undefined): IssueRecord[] {
    if (!repo.hasIssues) throw trackerOff();
    let predicate: ((i: IssueRecord) => boolean) | undefined;
    if (q !== undefined && q.trim() !== "") {
      try {
        const p = compileQuery(q, ISSUE_FIELDS);
        predicate = (i) => p((f) => fieldOf(i, f));
      } catch (error) {
        throw new BbError(400, (error as Error).message, { query: q });
      }
    }
    const desc = sort?.startsWith("-") ?? false;
    const key = SORTS[(sort ?? "id").replace(/^-/, "")];
    if (key === undefined) throw new BbError(400, `Invalid sort field: ${sort}`);
    const out: IssueRecord[] = [];
    for (const issue of repo.issues.values()) {
      if (!issue.deleted && (predicate === undefined || predicate(issue))) out.push(issue);
    }
    out.sort((a, b) => {
      const ka = key(a), kb = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
      return desc ? -c : c;
    });
    return out;
  }
}

/** The 404 Bitbucket answers on issue endpoints of a repository whose tracker is off. */
export function trackerOff(): BbError {
  return new BbError(404, "Repository has no issue tracker.");
}
