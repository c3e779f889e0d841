/**
 * The forge side of a status, in normalized terms: what the platform contract speaks and what the
 * status mapping translates local statuses to and from. Re-exported by the plugin contract.
 *
 * @module
 */

/**
 * The workflow status of an issue in normalized terms. Each plugin maps it to its forge: GitHub
 * and GitLab with open/closed, the close reason and `status: …` labels; Bitbucket with its states.
 */
export type RemoteStatus = "open" | "in_progress" | "blocked" | "completed" | "cancelled" | "failed";

/** Every {@link RemoteStatus}. */
export const REMOTE_STATUSES: readonly RemoteStatus[] = [
  "open",
  "in_progress",
  "blocked",
  "completed",
  "cancelled",
  "failed",
];

/**
 * Label names that carry a status on forges that represent it with labels (GitHub, GitLab).
 * Overridable per repository through the configuration's `status_mapping`.
 */
export interface StatusLabels {
  readonly in_progress: string;
  readonly blocked: string;
  readonly failed: string;
  /** Used only where the forge has no close reason (GitLab): closed + this label = cancelled. */
  readonly cancelled: string;
}

/** The default {@link StatusLabels}. */
export const DEFAULT_STATUS_LABELS: StatusLabels = {
  in_progress: "status: in progress",
  blocked: "status: blocked",
  failed: "status: failed",
  cancelled: "status: cancelled",
};
