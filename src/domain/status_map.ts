/**
 * Status mapping between local items and the normalized remote status (SPEC §7). Pure.
 *
 * Tasks: pending→open; active/in_progress→in progress; blocked→blocked; completed→completed;
 * cancelled→cancelled (closed, not planned); failed→failed (closed, not planned, `status: failed`).
 * Features: proposed/approved→open; in_progress→in progress; completed→completed; rejected→cancelled.
 * How a forge holds the remote status (labels, close reasons, Bitbucket states) is the plugin's part.
 *
 * @module
 */
import type { RemoteStatus } from "./remote_status.ts";
import type { TaskStatus } from "./task.ts";
import type { FeatureStatus } from "./feature.ts";

/** The remote status a task status is shown as. */
export function taskToRemote(status: TaskStatus): RemoteStatus {
  switch (status) {
    case "pending":
      return "open";
    case "active":
    case "in_progress":
      return "in_progress";
    case "blocked":
      return "blocked";
    case "completed":
      return "completed";
    case "failed":
      return "failed";
    case "cancelled":
    case "archived":
      return "cancelled";
  }
}

/**
 * The task status a remote status maps back to. `current` keeps a local sub-state the remote
 * cannot express: `active` stays `active` while the issue is in progress.
 */
export function remoteToTask(status: RemoteStatus, current: TaskStatus): TaskStatus {
  switch (status) {
    case "open":
      return "pending";
    case "in_progress":
      return current === "active" ? "active" : "in_progress";
    default:
      return status;
  }
}

/** The remote status a feature status is shown as. */
export function featureToRemote(status: FeatureStatus): RemoteStatus {
  switch (status) {
    case "proposed":
    case "approved":
      return "open";
    case "in_progress":
      return "in_progress";
    case "completed":
      return "completed";
    case "rejected":
      return "cancelled";
  }
}

/** The feature status a remote status maps back to (`current` keeps proposed/approved while open). */
export function remoteToFeature(status: RemoteStatus, current: FeatureStatus): FeatureStatus {
  switch (status) {
    case "open":
      return current === "proposed" || current === "approved" ? current : "approved";
    case "in_progress":
    case "blocked":
      return "in_progress";
    case "completed":
      return "completed";
    case "cancelled":
    case "failed":
      return "rejected";
  }
}
