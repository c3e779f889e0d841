/**
 * The issue shapes of the plugin contract: an issue as the core sees it whatever the forge, what
 * the core asks a plugin to create or change, a page of a listing, and what `verify` reports.
 *
 * @module
 */
import type { RemoteStatus } from "../domain/remote_status.ts";

/** An issue as the core sees it, whatever the forge. */
export interface RemoteIssue {
  /** The number shown to people (GitHub number, GitLab iid, Bitbucket id). */
  readonly number: number;
  /** The forge's global id (GitHub node_id, GitLab global id, Bitbucket repository-scoped id as text). */
  readonly id: string;
  /** The web page of the issue. */
  readonly url: string;
  readonly title: string;
  /** The body (Markdown); "" when empty. */
  readonly body: string;
  /** Workflow status in normalized terms (status labels are consumed by it). */
  readonly status: RemoteStatus;
  /** Labels other than the status labels, sorted. Empty when the forge has no labels. */
  readonly labels: readonly string[];
  /** Assignee logins, sorted. */
  readonly assignees: readonly string[];
  /** Milestone title, or null. */
  readonly milestone: string | null;
  /** ISO-8601 UTC. */
  readonly created_at: string;
  /** ISO-8601 UTC: the forge's version of the issue. */
  readonly updated_at: string;
  /**
   * What a write asked for that the forge did not keep, one sentence each with the fix (GitLab Free
   * keeps one of several assignees). Only on the answer of a create or update, and only when
   * something was dropped; the core can record it as the link's last error.
   */
  readonly warnings?: readonly string[];
}

/** A new issue. */
export interface IssueDraft {
  readonly title: string;
  readonly body: string;
  readonly status?: RemoteStatus;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly milestone?: string | null;
}

/**
 * A change to an issue: absent fields are left alone. `labels` and `assignees` replace the set.
 * The core always sends `status` and `labels` together when either changes, so a plugin that
 * represents status with labels can write both in one request without reading the issue first.
 */
export interface IssuePatch {
  readonly title?: string;
  readonly body?: string;
  readonly status?: RemoteStatus;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly milestone?: string | null;
}

/**
 * One page of a listing of changed issues. `cursor` resumes the listing after this page; store the
 * `cursor` of the last page to list only what changes next time. Cursors are opaque to the core.
 */
export interface ChangedPage {
  readonly issues: readonly RemoteIssue[];
  readonly cursor: string | null;
}

/** What {@link PlatformClient.verify} reports about a repository. */
export interface RepoInfo {
  readonly path: string;
  readonly url: string;
  /** Whether the token can create and edit issues. */
  readonly can_write: boolean;
}
