/**
 * GitLab issues in the contract's terms. GitLab has no close reason, so the status lives in the
 * state and the status labels of `PluginEnv.statusLabels`:
 *
 * | status | GitLab |
 * | --- | --- |
 * | open | opened, no status label |
 * | in_progress | opened + `status: in progress` |
 * | blocked | opened + `status: blocked` |
 * | completed | closed, no status label |
 * | cancelled | closed + `status: cancelled` |
 * | failed | closed + `status: failed` |
 *
 * Reading back with several status labels: opened reads blocked before in progress; closed reads
 * failed before cancelled; a status label that does not fit the state (closed + in progress) is
 * ignored. Status labels never appear in `RemoteIssue.labels`.
 *
 * @module
 */
import type { RemoteIssue, RemoteMilestone, RemoteStatus, StatusLabels } from "../../src/platform/mod.ts";
import { GitLabTransportError } from "./requester.ts";

/** The fields of GitLab's issue JSON the plugin reads. */
export interface GitLabIssueJson {
  readonly id: number;
  readonly iid: number;
  readonly title: string;
  readonly description: string | null;
  readonly state: "opened" | "closed";
  readonly labels: readonly string[];
  readonly assignees?: ReadonlyArray<{ readonly username: string }>;
  readonly assignee?: { readonly username: string } | null;
  readonly milestone: { readonly id: number; readonly title: string } | null;
  readonly web_url: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The fields of GitLab's milestone JSON the plugin reads. */
export interface GitLabMilestoneJson {
  readonly id: number;
  readonly title: string;
  readonly description: string | null;
  readonly state: "active" | "closed";
  readonly due_date: string | null;
  readonly web_url?: string | null;
}

/** Whether a status is represented by a closed issue. */
export function isClosedStatus(status: RemoteStatus): boolean {
  return status === "completed" || status === "cancelled" || status === "failed";
}

/** The status label representing `status`, or null (open, completed). */
export function statusLabel(status: RemoteStatus, names: StatusLabels): string | null {
  switch (status) {
    case "in_progress":
      return names.in_progress;
    case "blocked":
      return names.blocked;
    case "cancelled":
      return names.cancelled;
    case "failed":
      return names.failed;
    default:
      return null;
  }
}

/** Every status label name. */
export function statusLabelNames(names: StatusLabels): string[] {
  return [names.in_progress, names.blocked, names.cancelled, names.failed];
}

/** The status of an issue from its state and labels. */
export function statusOf(state: string, labels: readonly string[], names: StatusLabels): RemoteStatus {
  if (state === "closed") {
    if (labels.includes(names.failed)) return "failed";
    if (labels.includes(names.cancelled)) return "cancelled";
    return "completed";
  }
  if (labels.includes(names.blocked)) return "blocked";
  if (labels.includes(names.in_progress)) return "in_progress";
  return "open";
}

/** The labels to write for `labels` (non-status) plus the label of `status`. */
export function labelsWithStatus(
  labels: readonly string[],
  status: RemoteStatus,
  names: StatusLabels,
): string[] {
  const statusNames = new Set(statusLabelNames(names));
  const out = labels.filter((l) => !statusNames.has(l));
  const label = statusLabel(status, names);
  if (label !== null) out.push(label);
  return [...new Set(out)];
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isoUtc(value: string): string {
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/** Checks that a body looks like a GitLab issue (else the answer is malformed). */
export function asIssueJson(body: unknown): GitLabIssueJson {
  const b = body as Partial<GitLabIssueJson> | null;
  if (
    b === null || typeof b !== "object" || typeof b.iid !== "number" || typeof b.id !== "number" ||
    typeof b.title !== "string" || typeof b.updated_at !== "string" || !Array.isArray(b.labels)
  ) {
    throw new GitLabTransportError(
      "malformed",
      "GitLab answered with something that is not an issue",
      "GET",
      "",
    );
  }
  return b as GitLabIssueJson;
}

/** A GitLab issue as a {@link RemoteIssue}. */
export function toRemoteIssue(json: GitLabIssueJson, names: StatusLabels): RemoteIssue {
  const statusNames = new Set(statusLabelNames(names));
  const assignees = json.assignees ?? (json.assignee ? [json.assignee] : []);
  return {
    number: json.iid,
    id: String(json.id),
    url: json.web_url,
    title: json.title,
    body: json.description ?? "",
    status: statusOf(json.state, json.labels, names),
    labels: sorted(new Set(json.labels.filter((l) => !statusNames.has(l)))),
    assignees: sorted(new Set(assignees.map((a) => a.username))),
    milestone: json.milestone?.title ?? null,
    created_at: isoUtc(json.created_at),
    updated_at: isoUtc(json.updated_at),
  };
}

/** A GitLab milestone as a {@link RemoteMilestone} (`id` is the GLOBAL milestone id). */
export function toRemoteMilestone(json: GitLabMilestoneJson): RemoteMilestone {
  return {
    id: String(json.id),
    title: json.title,
    state: json.state === "closed" ? "closed" : "open",
    description: json.description ?? "",
    due_on: json.due_date ?? null,
    url: json.web_url ?? null,
  };
}
