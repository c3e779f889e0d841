/**
 * The records the GitHub sandbox keeps, and its notion of time. Times are epoch milliseconds
 * truncated to whole seconds, because GitHub's REST timestamps have second precision
 * (`2026-11-25T19:24:07Z`).
 *
 * @module
 */

/** A GitHub account (user or organization). */
export interface UserRec {
  readonly login: string;
  readonly id: number;
  readonly node_id: string;
  readonly type: "User" | "Organization";
}

/** A repository label. */
export interface LabelRec {
  readonly id: number;
  readonly node_id: string;
  readonly name: string;
  readonly color: string;
  readonly default: boolean;
  readonly description: string | null;
}

/** A milestone. */
export interface MilestoneRec {
  readonly id: number;
  readonly node_id: string;
  readonly number: number;
  title: string;
  description: string | null;
  state: "open" | "closed";
  /** Midnight Pacific time of the due date, as GitHub stores it; null when none. */
  due_on: number | null;
  readonly created_at: number;
  updated_at: number;
  closed_at: number | null;
  readonly creator: string;
}

/** GitHub's close reasons (`state_reason`). */
export type StateReason = "completed" | "not_planned" | "duplicate" | "reopened" | null;

/** An issue, or a pull request (they share the numbering and the issues listing). */
export interface IssueRec {
  readonly id: number;
  readonly node_id: string;
  readonly number: number;
  title: string;
  /** null when empty, as GitHub answers. */
  body: string | null;
  state: "open" | "closed";
  state_reason: StateReason;
  labels: LabelRec[];
  /** Assignee logins, in the order they were given. */
  assignees: string[];
  /** Milestone number. */
  milestone: number | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closed_by: string | null;
  readonly user: string;
  comments: number;
  locked: boolean;
  /** Set for pull requests. */
  readonly pull: { readonly merged_at: number | null } | null;
  /** Deleted issues answer 410. */
  deleted: boolean;
}

/** A release. */
export interface ReleaseRec {
  readonly id: number;
  readonly node_id: string;
  readonly tag_name: string;
  readonly target_commitish: string;
  readonly name: string | null;
  readonly body: string | null;
  readonly draft: boolean;
  readonly prerelease: boolean;
  readonly created_at: number;
  readonly published_at: number | null;
  readonly author: string;
}

/** A repository and everything in it. */
export interface RepoRec {
  readonly id: number;
  readonly node_id: string;
  readonly owner: string;
  readonly name: string;
  private: boolean;
  has_issues: boolean;
  readonly created_at: number;
  /** Issues and pull requests; index = number - 1. */
  readonly issues: IssueRec[];
  /** Labels by lower-case name (GitHub label names are case-insensitive). */
  readonly labels: Map<string, LabelRec>;
  /** Milestones; index = number - 1 (deleted ones are never removed here). */
  readonly milestones: MilestoneRec[];
  readonly releases: ReleaseRec[];
  /** Logins that may be assigned. */
  readonly collaborators: Set<string>;
  /** Bumped on every change: keys the caches below. */
  version: number;
  /** Live issues sorted by (updated_at, number), rebuilt lazily. */
  cacheByUpdated?: { version: number; items: IssueRec[] };
  /** Live issues sorted by (created_at, number), rebuilt lazily. */
  cacheByCreated?: { version: number; items: IssueRec[] };
  /** Open/closed issue counts per milestone number, rebuilt lazily. */
  cacheMilestoneCounts?: { version: number; counts: Map<number, { open: number; closed: number }> };
}

/** Truncates epoch milliseconds to whole seconds. */
export function toSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/**
 * Formats epoch milliseconds as GitHub does: UTC, second precision.
 *
 * @example
 * ```ts
 * import { iso } from "./model.ts";
 * iso(Date.UTC(2026, 10, 25, 19, 24, 7, 999)); // "2026-11-25T19:24:07Z"
 * ```
 */
export function iso(ms: number): string {
  return new Date(toSecond(ms)).toISOString().slice(0, 19) + "Z";
}

/** Same as {@link iso} for nullable times. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}

/** Parses an ISO-8601 time as GitHub's `since` does; undefined when it is not one. */
export function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    return undefined;
  }
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isFinite(ms) ? ms : undefined;
}

const pacificDate = new Intl.DateTimeFormat("en-CA", {
  timeZone: "America/Los_Angeles",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  hourCycle: "h23",
});

function pacificParts(ms: number): { date: string; hour: number } {
  const parts = Object.fromEntries(pacificDate.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * GitHub's treatment of a milestone's `due_on`: the time is dropped and the date is the one in
 * Pacific time, stored as midnight Pacific (07:00 or 08:00 UTC). So `2026-12-01T12:00:00Z` reads
 * back as `2026-12-01T08:00:00Z`, and `2026-12-01T06:00:00Z` as the day before.
 */
export function githubDueOn(ms: number): number {
  const { date } = pacificParts(ms);
  for (const hour of [7, 8]) {
    const candidate = Date.parse(`${date}T0${hour}:00:00Z`);
    const p = pacificParts(candidate);
    if (p.date === date && p.hour === 0) return candidate;
  }
  return Date.parse(`${date}T08:00:00Z`);
}

/** A node id in GitHub's current format (a type prefix and an opaque base64url part). */
export function nodeId(prefix: string, ...parts: Array<string | number>): string {
  const raw = btoa(`sandbox:${parts.join(":")}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${prefix}_kwDO${raw}`;
}
