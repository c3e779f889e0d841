/**
 * Tasks: statuses, priorities and the transitions a tool call may make (SPEC §4). Pure.
 *
 * @module
 */

/** Every status a task can have. */
export const TASK_STATUSES = [
  "pending",
  "active",
  "in_progress",
  "blocked",
  "completed",
  "failed",
  "cancelled",
  "archived",
] as const;
/** One of {@link TASK_STATUSES}. */
export type TaskStatus = typeof TASK_STATUSES[number];

/** Priorities shared by tasks and features. */
export const PRIORITIES = ["low", "medium", "high", "critical"] as const;
/** One of {@link PRIORITIES}. */
export type Priority = typeof PRIORITIES[number];

/** Statuses that end a task's work; a task leaves them only by being reopened. */
export const CLOSED_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(["completed", "failed", "cancelled"]);

const WORKING: readonly TaskStatus[] = ["completed", "failed", "blocked", "cancelled"];
const REOPEN: readonly TaskStatus[] = ["pending", "in_progress", "active"];

const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  pending: ["in_progress", "active", "blocked", "cancelled"],
  in_progress: [...WORKING, "active"],
  active: [...WORKING, "in_progress"],
  blocked: ["in_progress", "active", "cancelled"],
  completed: REOPEN,
  failed: REOPEN,
  cancelled: REOPEN,
  archived: ["pending"],
};

/** A task as stored and returned by the tools. */
export interface Task {
  readonly task_id: string;
  readonly title: string;
  readonly description: string;
  readonly status: TaskStatus;
  readonly priority: Priority;
  readonly assignee: string | null;
  readonly labels: readonly string[];
  readonly feature_id: string | null;
  readonly parent_task_id: string | null;
  readonly due_date: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly completed_at: string | null;
  readonly version: number;
}

/** The statuses a tool call may move a task to from `from` (archiving aside, allowed from any state). */
export function allowedTaskTransitions(from: TaskStatus): readonly TaskStatus[] {
  return TRANSITIONS[from];
}

/**
 * Whether a tool call may move a task from `from` to `to`. Staying put and archiving are always
 * allowed; the sync may apply any remote-driven change and does not ask.
 *
 * @example
 * ```ts
 * import { canTransitionTask } from "./task.ts";
 * canTransitionTask("pending", "in_progress"); // true
 * canTransitionTask("pending", "completed"); // false
 * ```
 */
export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return from === to || to === "archived" || TRANSITIONS[from].includes(to);
}

/** `completed_at` after a move to `to`: set on completion, cleared when reopened. */
export function completedAtAfter(
  task: Pick<Task, "status" | "completed_at">,
  to: TaskStatus,
  now: string,
): string | null {
  if (to === "completed") return task.status === "completed" ? task.completed_at : now;
  if (to === "archived") return task.completed_at;
  return null;
}
