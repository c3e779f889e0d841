/**
 * Between forgesync's normalized issues and Bitbucket Cloud's issue JSON: states, fields, and the
 * things Bitbucket cannot hold (labels, more than one assignee), refused with `Unsupported`.
 *
 * @module
 */
import {
  type IssuePatch,
  PlatformError,
  type RemoteIssue,
  type RemoteStatus,
  toMicros,
} from "../../src/platform/mod.ts";

/** Bitbucket issue states. */
export type BitbucketState =
  | "new"
  | "open"
  | "submitted"
  | "resolved"
  | "on hold"
  | "invalid"
  | "duplicate"
  | "wontfix"
  | "closed";

/**
 * The state written for each status. `cancelled` and `failed` both become `wontfix` (Bitbucket has
 * no "failed"), so `failed` reads back as `cancelled`: the plugin's `statusAliases`.
 */
export const STATE_FOR_STATUS: Readonly<Record<RemoteStatus, BitbucketState>> = {
  open: "new",
  in_progress: "open",
  blocked: "on hold",
  completed: "resolved",
  cancelled: "wontfix",
  failed: "wontfix",
};

/** The status each state reads as. */
export const STATUS_FOR_STATE: Readonly<Record<BitbucketState, RemoteStatus>> = {
  new: "open",
  submitted: "open",
  open: "in_progress",
  "on hold": "blocked",
  resolved: "completed",
  closed: "completed",
  invalid: "cancelled",
  duplicate: "cancelled",
  wontfix: "cancelled",
};

/** A user as embedded in issue JSON. */
export interface BitbucketUser {
  readonly account_id?: string | null;
  readonly uuid?: string;
  readonly nickname?: string;
  readonly display_name?: string;
}

/** The parts of Bitbucket's issue JSON the plugin reads. */
export interface BitbucketIssue {
  readonly id: number;
  readonly title: string;
  readonly content?: { readonly raw?: string | null } | null;
  readonly state: string;
  readonly assignee?: BitbucketUser | null;
  readonly milestone?: { readonly name?: string | null } | null;
  readonly created_on: string;
  readonly updated_on: string;
  readonly links?: { readonly html?: { readonly href?: string } };
}

/** A malformed answer (an issue without its essentials). */
function malformed(what: string): PlatformError {
  return new PlatformError({
    reason: "Transient",
    message: `Bitbucket answered with an issue that lacks ${what}.`,
    hint: "This is usually a proxy or an outage between forgesync and Bitbucket; the next attempt may work.",
  });
}

/** The normalized issue; fails when the JSON lacks what every Bitbucket issue has. */
export function toRemoteIssue(
  issue: BitbucketIssue,
  repoHtml: string,
): { readonly issue: RemoteIssue } | { readonly error: PlatformError } {
  if (typeof issue !== "object" || issue === null || typeof issue.id !== "number") {
    return { error: malformed("an id") };
  }
  if (
    typeof issue.updated_on !== "string" || toMicros(issue.updated_on) === undefined ||
    typeof issue.created_on !== "string"
  ) {
    return { error: malformed("its timestamps") };
  }
  const account = issue.assignee?.account_id;
  return {
    issue: {
      number: issue.id,
      id: String(issue.id),
      url: issue.links?.html?.href ?? `${repoHtml}/issues/${issue.id}`,
      title: issue.title ?? "",
      body: issue.content?.raw ?? "",
      status: STATUS_FOR_STATE[issue.state as BitbucketState] ?? "open",
      labels: [],
      assignees: account === undefined || account === null ? [] : [account],
      milestone: issue.milestone?.name ?? null,
      created_at: issue.created_on,
      updated_at: issue.updated_on,
    },
  };
}

/**
 * The JSON body of `POST …/issues` or a partial `PUT …/issues/{id}` (a draft is a patch of every
 * field): only the fields present.
 * Assignees are Atlassian account ids (`account_id`). Fails with `Unsupported` for labels and for
 * more than one assignee.
 */
export function issueBody(
  fields: IssuePatch,
  repo: string,
): { readonly body: Record<string, unknown> } | { readonly error: PlatformError } {
  if (fields.labels !== undefined && fields.labels.length > 0) {
    return {
      error: new PlatformError({
        reason: "Unsupported",
        message: `Bitbucket issues have no labels: cannot set ${JSON.stringify(fields.labels)} on ${repo}.`,
        hint:
          "Bitbucket Cloud issues carry a kind, a priority, a milestone and a component, but no labels (capability labels: false). Leave the labels out for Bitbucket repositories.",
      }),
    };
  }
  if (fields.assignees !== undefined && fields.assignees.length > 1) {
    return {
      error: new PlatformError({
        reason: "Unsupported",
        message: `Bitbucket issues have a single assignee: cannot assign ${
          JSON.stringify(fields.assignees)
        } on ${repo}.`,
        hint: "Assign one person (an Atlassian account_id); Bitbucket has no multiple assignees.",
      }),
    };
  }
  const body: Record<string, unknown> = {};
  if (fields.title !== undefined) body.title = fields.title;
  if (fields.body !== undefined) body.content = { raw: fields.body };
  if (fields.status !== undefined) body.state = STATE_FOR_STATUS[fields.status];
  if (fields.assignees !== undefined) {
    const who = fields.assignees[0];
    body.assignee = who === undefined ? null : { account_id: who };
  }
  if (fields.milestone !== undefined) {
    body.milestone = fields.milestone === null ? null : { name: fields.milestone };
  }
  return { body };
}
