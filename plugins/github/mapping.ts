/**
 * GitHub issue JSON ↔ the normalized {@link RemoteIssue}, including workflow status:
 *
 * | status | GitHub |
 * | --- | --- |
 * | open | open, no status label |
 * | in_progress | open + `status: in progress` |
 * | blocked | open + `status: blocked` |
 * | completed | closed, state_reason `completed` |
 * | cancelled | closed, state_reason `not_planned` |
 * | failed | closed, `not_planned` + `status: failed` |
 *
 * Label names come from the configuration's {@link StatusLabels} and compare case-insensitively
 * (GitHub label names do). A `duplicate` close reads as cancelled; a closed issue with no reason
 * (closed before GitHub had reasons) as completed; an open issue carrying both labels as blocked.
 *
 * Answers are checked before use: a body that is not the issue JSON GitHub sends (a proxy's HTML
 * page, a truncated answer) is a `Transient` failure, never a half-read issue.
 *
 * @module
 */
import { PlatformError } from "../../src/platform/mod.ts";
import type { RemoteIssue, RemoteMilestone, RemoteStatus, StatusLabels } from "../../src/platform/mod.ts";

/** GitHub's representation of a status: state, close reason and the status labels to carry. */
export interface GitHubStatus {
  readonly state: "open" | "closed";
  readonly state_reason: "completed" | "not_planned" | null;
  readonly labels: readonly string[];
}

/** The GitHub fields for a normalized status. */
export function toGitHubStatus(status: RemoteStatus, labels: StatusLabels): GitHubStatus {
  switch (status) {
    case "open":
      return { state: "open", state_reason: null, labels: [] };
    case "in_progress":
      return { state: "open", state_reason: null, labels: [labels.in_progress] };
    case "blocked":
      return { state: "open", state_reason: null, labels: [labels.blocked] };
    case "completed":
      return { state: "closed", state_reason: "completed", labels: [] };
    case "cancelled":
      return { state: "closed", state_reason: "not_planned", labels: [] };
    case "failed":
      return { state: "closed", state_reason: "not_planned", labels: [labels.failed] };
  }
}

/** The status labels GitHub issues may carry (lower case). */
function statusLabelSet(labels: StatusLabels): Set<string> {
  return new Set([labels.in_progress, labels.blocked, labels.failed].map((l) => l.toLowerCase()));
}

/** Whether `name` is one of the status labels. */
export function isStatusLabel(name: string, labels: StatusLabels): boolean {
  return statusLabelSet(labels).has(name.toLowerCase());
}

/** The normalized status of an issue from its state, close reason and label names. */
export function fromGitHubStatus(
  state: string,
  stateReason: string | null | undefined,
  names: readonly string[],
  labels: StatusLabels,
): RemoteStatus {
  const has = (l: string) => names.some((n) => n.toLowerCase() === l.toLowerCase());
  if (state === "open") {
    if (has(labels.blocked)) return "blocked";
    if (has(labels.in_progress)) return "in_progress";
    return "open";
  }
  if (stateReason === "not_planned" || stateReason === "duplicate") {
    return has(labels.failed) ? "failed" : "cancelled";
  }
  return "completed";
}

/** The labels to send: the plain labels (status labels removed, de-duplicated) plus the status's. */
export function labelsForWrite(
  plain: readonly string[],
  status: RemoteStatus,
  labels: StatusLabels,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (
    const name of [
      ...plain.filter((l) => !isStatusLabel(l, labels)),
      ...toGitHubStatus(status, labels).labels,
    ]
  ) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
  }
  return out;
}

/** A body GitHub would not send. */
export function malformed(what: string, detail: string): PlatformError {
  return new PlatformError({
    reason: "Transient",
    message: `GitHub answered ${what} with a malformed body (${detail}).`,
    hint: "This is usually a proxy or a cut connection; the request can be retried.",
    status: 200,
  });
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value as a JSON object, or a malformed-body failure. */
export function expectObject(value: unknown, what: string): Json {
  if (!isObject(value)) throw malformed(what, typeof value === "string" ? "not JSON" : "not an object");
  return value;
}

/** The value as a JSON array, or a malformed-body failure. */
export function expectArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(what, typeof value === "string" ? "not JSON" : "not a list");
  return value;
}

function str(o: Json, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== "string") throw malformed(what, `"${key}" is not a string`);
  return v;
}

/** True when an item of an issues listing is a pull request. */
export function isPullRequest(item: unknown): boolean {
  return isObject(item) && item.pull_request !== undefined && item.pull_request !== null;
}

/** The label names of an issue JSON (labels are objects, or strings in some answers). */
function labelNames(o: Json, what: string): string[] {
  const ls = o.labels;
  if (!Array.isArray(ls)) throw malformed(what, `"labels" is not a list`);
  return ls.map((l) => {
    if (typeof l === "string") return l;
    if (isObject(l) && typeof l.name === "string") return l.name;
    throw malformed(what, "a label has no name");
  });
}

function assigneeLogins(o: Json, what: string): string[] {
  const list = Array.isArray(o.assignees) ? o.assignees : o.assignee ? [o.assignee] : [];
  return list.map((a) => {
    if (isObject(a) && typeof a.login === "string") return a.login;
    throw malformed(what, "an assignee has no login");
  });
}

/**
 * A GitHub issue JSON as a {@link RemoteIssue}; throws a `Transient` {@link PlatformError} when
 * the JSON is not an issue.
 */
export function toRemoteIssue(data: unknown, statusLabels: StatusLabels, what: string): RemoteIssue {
  const o = expectObject(data, what);
  if (typeof o.number !== "number" || !Number.isInteger(o.number)) {
    throw malformed(what, `"number" is missing`);
  }
  const body = o.body;
  if (body !== null && body !== undefined && typeof body !== "string") {
    throw malformed(what, `"body" is not text`);
  }
  const names = labelNames(o, what);
  const milestone = o.milestone;
  if (
    milestone !== null && milestone !== undefined &&
    !(isObject(milestone) && typeof milestone.title === "string")
  ) {
    throw malformed(what, `"milestone" has no title`);
  }
  const state = str(o, "state", what);
  const reason = typeof o.state_reason === "string" ? o.state_reason : null;
  return {
    number: o.number,
    id: typeof o.node_id === "string" ? o.node_id : String(o.id ?? o.number),
    url: str(o, "html_url", what),
    title: str(o, "title", what),
    body: body ?? "",
    status: fromGitHubStatus(state, reason, names, statusLabels),
    labels: names.filter((n) => !isStatusLabel(n, statusLabels)).sort(),
    assignees: assigneeLogins(o, what).sort(),
    milestone: isObject(milestone) ? String(milestone.title) : null,
    created_at: str(o, "created_at", what),
    updated_at: str(o, "updated_at", what),
  };
}

/** A GitHub milestone JSON as a {@link RemoteMilestone}. */
export function toRemoteMilestone(data: unknown, what: string): RemoteMilestone {
  const o = expectObject(data, what);
  if (typeof o.number !== "number") throw malformed(what, `"number" is missing`);
  const state = str(o, "state", what);
  const due = typeof o.due_on === "string" ? o.due_on.slice(0, 10) : null;
  return {
    id: String(o.number),
    title: str(o, "title", what),
    state: state === "closed" ? "closed" : "open",
    description: typeof o.description === "string" ? o.description : "",
    due_on: due,
    url: typeof o.html_url === "string" ? o.html_url : null,
    ...(typeof o.node_id === "string" && o.node_id !== "" ? { global_id: o.node_id } : {}),
  };
}

/**
 * A milestone due date as GitHub should receive it. GitHub keeps only the date *in Pacific time*
 * (stored as midnight Pacific, 07:00 or 08:00 UTC), so midnight UTC would land on the day before;
 * noon UTC is the same date in every US time zone.
 */
export function dueOnForWrite(due: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(due.trim());
  if (m === null || !Number.isFinite(Date.parse(`${m[1]}T12:00:00Z`))) return undefined;
  return `${m[1]}T12:00:00Z`;
}
