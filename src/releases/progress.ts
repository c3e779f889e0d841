/**
 * Progress of a release (pure), from the local status of its features and of their tasks.
 *
 * - A **completed** feature is done: progress 1.
 * - Otherwise its progress is the share of its tasks that are completed, counting neither
 *   cancelled nor archived tasks (a failed task counts as not done); a feature without counted
 *   tasks has progress 0.
 * - The release's progress is the mean of its features' progress (0 without features).
 *
 * @module
 */
import type { FeatureStatus } from "../domain/feature.ts";
import type { TaskStatus } from "../domain/task.ts";

/** Task counts of a feature (cancelled and archived tasks are left out of `total`). */
export interface TaskCounts {
  readonly total: number;
  readonly completed: number;
  /** in_progress and active. */
  readonly in_progress: number;
  readonly blocked: number;
  readonly pending: number;
  readonly failed: number;
}

/** The progress of one feature. */
export interface FeatureProgress {
  readonly feature_id: string;
  readonly status: FeatureStatus;
  readonly tasks: TaskCounts;
  /** 0–1, two decimals. */
  readonly progress: number;
  readonly done: boolean;
}

/** The progress of a release. */
export interface ReleaseProgress {
  readonly features_total: number;
  readonly features_completed: number;
  readonly tasks_total: number;
  readonly tasks_completed: number;
  /** 0–1, two decimals. */
  readonly progress: number;
  /** Whole percent. */
  readonly percent: number;
}

/** Two decimals; a share short of the whole never rounds up to it. */
const round2 = (x: number) => (x >= 1 ? 1 : Math.min(0.99, Math.round(x * 100) / 100));

/** Counts tasks by status. */
export function countTasks(statuses: readonly TaskStatus[]): TaskCounts {
  const counted = statuses.filter((s) => s !== "cancelled" && s !== "archived");
  const n = (wanted: readonly TaskStatus[]) => counted.filter((s) => wanted.includes(s)).length;
  return {
    total: counted.length,
    completed: n(["completed"]),
    in_progress: n(["in_progress", "active"]),
    blocked: n(["blocked"]),
    pending: n(["pending"]),
    failed: n(["failed"]),
  };
}

/**
 * The progress of a feature.
 *
 * @example
 * ```ts
 * import { featureProgress } from "./progress.ts";
 * featureProgress("feat_1", "in_progress", ["completed", "pending", "cancelled"]).progress; // 0.5
 * ```
 */
export function featureProgress(
  featureId: string,
  status: FeatureStatus,
  tasks: readonly TaskStatus[],
): FeatureProgress {
  const counts = countTasks(tasks);
  const done = status === "completed";
  const progress = done ? 1 : counts.total === 0 ? 0 : counts.completed / counts.total;
  return { feature_id: featureId, status, tasks: counts, progress: round2(progress), done };
}

/** The progress of a release from its features' progress. */
export function releaseProgress(features: readonly FeatureProgress[]): ReleaseProgress {
  const whole = features.length > 0 && features.every((f) => f.progress === 1);
  const mean = whole
    ? 1
    : features.length === 0
    ? 0
    : features.reduce((s, f) => s + f.progress, 0) / features.length;
  return {
    features_total: features.length,
    features_completed: features.filter((f) => f.done).length,
    tasks_total: features.reduce((s, f) => s + f.tasks.total, 0),
    tasks_completed: features.reduce((s, f) => s + f.tasks.completed, 0),
    progress: round2(mean),
    percent: whole ? 100 : Math.min(99, Math.round(mean * 100)),
  };
}
