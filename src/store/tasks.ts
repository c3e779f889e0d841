/**
 * The tasks repository: create, read, list and change tasks, bumping `version` on every change. The
 * service runs each call in its own transaction; {@link createTask} and {@link updateTask} run inside
 * a caller's (an issue created with its task, a change the sync pulls).
 *
 * @module
 */
import { Context, Effect, Layer } from "effect";
import { Db } from "./db.ts";
import { AppError } from "../domain/errors.ts";
import { newTaskId, nowIso } from "../domain/ids.ts";
import {
  allowedTaskTransitions,
  canTransitionTask,
  completedAtAfter,
  type Priority,
  type Task,
  type TaskStatus,
} from "../domain/task.ts";
import { cursorPosition, encodeCursor, normalizeLabels } from "./rows.ts";
import { exists, type SqlRead, type SqlWrite } from "./sql.ts";
import { insertTask, readTask, taskPage, writeTask } from "./task_rows.ts";

export {
  countLiveTasks,
  deleteTask,
  findTask,
  readTask,
  rowToTask,
  taskNotFound,
  tasksByIds,
} from "./task_rows.ts";

/** Fields of a new task. */
export interface NewTask {
  readonly title: string;
  readonly description?: string;
  readonly status?: TaskStatus;
  readonly priority?: Priority;
  readonly assignee?: string | null;
  readonly labels?: readonly string[];
  readonly feature_id?: string | null;
  readonly parent_task_id?: string | null;
  readonly due_date?: string | null;
}

/** Fields a change may set; absent fields keep their value. */
export type TaskPatch = Partial<NewTask>;

/** Filters of {@link Tasks} `list`. */
export interface TaskFilter {
  readonly status?: readonly TaskStatus[];
  readonly feature_id?: string;
  readonly parent_task_id?: string;
  readonly assignee?: string;
  readonly label?: string;
  readonly query?: string;
  readonly include_archived?: boolean;
  readonly limit?: number;
  readonly cursor?: string;
}

/** A page of tasks. */
export interface TaskPage {
  readonly tasks: Task[];
  readonly next_cursor: string | null;
}

/** Options of a change. */
export interface ChangeOptions {
  /** Skip the transition rules: a remote-driven change applied by the sync. */
  readonly bySync?: boolean;
}

/** The tasks repository service. */
export class Tasks extends Context.Service<Tasks, {
  create(input: NewTask): Effect.Effect<Task, AppError>;
  get(taskId: string): Effect.Effect<Task, AppError>;
  list(filter: TaskFilter): Effect.Effect<TaskPage, AppError>;
  update(taskId: string, patch: TaskPatch, options?: ChangeOptions): Effect.Effect<Task, AppError>;
  archive(taskId: string): Effect.Effect<Task, AppError>;
}>()("forgesync/store/Tasks") {
  /** The repository over {@link Db}. */
  static readonly layer: Layer.Layer<Tasks, never, Db> = Layer.effect(
    Tasks,
    Effect.gen(function* () {
      const db = yield* Db;

      const get = Effect.fn("Tasks.get")(function* (taskId: string) {
        return yield* db.reading(readTask(taskId));
      });

      const create = Effect.fn("Tasks.create")(function* (input: NewTask) {
        return yield* db.transaction(createTask(input));
      });

      const update = Effect.fn("Tasks.update")(
        function* (taskId: string, patch: TaskPatch, options?: ChangeOptions) {
          return yield* db.transaction(updateTask(taskId, patch, options ?? {}));
        },
      );

      const archive = (taskId: string) => update(taskId, { status: "archived" });

      const list = Effect.fn("Tasks.list")(function* (filter: TaskFilter) {
        const where: string[] = [];
        const args: Array<string | number> = [];
        if (filter.status && filter.status.length > 0) {
          where.push(`status IN (${filter.status.map(() => "?").join(", ")})`);
          args.push(...filter.status);
        } else if (!filter.include_archived) {
          where.push("status <> 'archived'");
        }
        if (filter.feature_id !== undefined) (where.push("feature_id = ?"), args.push(filter.feature_id));
        if (filter.parent_task_id !== undefined) {
          where.push("parent_task_id = ?");
          args.push(filter.parent_task_id);
        }
        if (filter.assignee !== undefined) (where.push("assignee = ?"), args.push(filter.assignee));
        if (filter.label !== undefined) {
          where.push("EXISTS (SELECT 1 FROM json_each(tasks.labels) WHERE value = ?)");
          args.push(filter.label);
        }
        if (filter.query !== undefined) {
          where.push("(instr(lower(title), lower(?)) > 0 OR instr(lower(description), lower(?)) > 0)");
          args.push(filter.query, filter.query);
        }
        if (filter.cursor !== undefined) {
          const after = yield* cursorPosition(filter.cursor);
          where.push("task_id > ?");
          args.push(after);
        }
        const limit = filter.limit ?? 50;
        const found = yield* db.reading(taskPage(where, args, limit + 1));
        const tasks = found.slice(0, limit);
        const next_cursor = found.length > limit ? encodeCursor(tasks[tasks.length - 1]!.task_id) : null;
        return { tasks, next_cursor };
      });

      return Tasks.of({ create, get, list, update, archive });
    }),
  );
}

/** Creates a task (inside the caller's transaction: the tools that create one with other rows). */
export const createTask = (input: NewTask): Effect.Effect<Task, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const now = nowIso();
    const task: Task = {
      task_id: newTaskId(),
      title: input.title,
      description: input.description ?? "",
      status: input.status ?? "pending",
      priority: input.priority ?? "medium",
      assignee: input.assignee ?? null,
      labels: normalizeLabels(input.labels ?? []),
      feature_id: input.feature_id ?? null,
      parent_task_id: input.parent_task_id ?? null,
      due_date: input.due_date ?? null,
      created_at: now,
      updated_at: now,
      completed_at: input.status === "completed" ? now : null,
      version: 1,
    };
    yield* checkReferences(task);
    yield* insertTask(task);
    return task;
  });

/** Applies a change (inside the caller's transaction: the tools and the sync). */
export const updateTask = (
  taskId: string,
  patch: TaskPatch,
  options: ChangeOptions,
): Effect.Effect<Task, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const current = yield* readTask(taskId);
    const status = patch.status ?? current.status;
    if (!options.bySync && !canTransitionTask(current.status, status)) {
      return yield* Effect.fail(AppError.conflict(
        `Task "${taskId}" cannot move from "${current.status}" to "${status}".`,
        `From "${current.status}" a task may move to: ${
          [...allowedTaskTransitions(current.status), "archived"].join(", ")
        }.`,
      ));
    }
    const now = nowIso();
    const next: Task = {
      ...current,
      title: patch.title ?? current.title,
      description: patch.description ?? current.description,
      status,
      priority: patch.priority ?? current.priority,
      assignee: patch.assignee !== undefined ? patch.assignee : current.assignee,
      labels: patch.labels !== undefined ? normalizeLabels(patch.labels) : current.labels,
      feature_id: patch.feature_id !== undefined ? patch.feature_id : current.feature_id,
      parent_task_id: patch.parent_task_id !== undefined ? patch.parent_task_id : current.parent_task_id,
      due_date: patch.due_date !== undefined ? patch.due_date : current.due_date,
      completed_at: completedAtAfter(current, status, now),
    };
    if (sameTask(current, next)) return current;
    if (next.parent_task_id === taskId) {
      return yield* Effect.fail(AppError.validation(
        `parent_task_id "${taskId}" is the task itself.`,
        "Give the id of another task, or null for none.",
      ));
    }
    yield* checkReferences(next);
    const changed: Task = { ...next, updated_at: now, version: current.version + 1 };
    yield* writeTask(changed);
    return changed;
  });

function sameTask(a: Task, b: Task): boolean {
  return a.title === b.title && a.description === b.description && a.status === b.status &&
    a.priority === b.priority && a.assignee === b.assignee && a.feature_id === b.feature_id &&
    a.parent_task_id === b.parent_task_id && a.due_date === b.due_date &&
    JSON.stringify(a.labels) === JSON.stringify(b.labels);
}

const checkReferences = (task: Task): Effect.Effect<void, AppError, SqlRead> =>
  Effect.gen(function* () {
    if (
      task.feature_id !== null &&
      !(yield* exists("SELECT 1 FROM features WHERE feature_id = ?", [task.feature_id]))
    ) {
      return yield* Effect.fail(AppError.notFound(
        `feature_id "${task.feature_id}" names no feature.`,
        `Call orchestrator_feature {action:"list"} to see feature ids.`,
      ));
    }
    if (
      task.parent_task_id !== null &&
      !(yield* exists("SELECT 1 FROM tasks WHERE task_id = ?", [task.parent_task_id]))
    ) {
      return yield* Effect.fail(AppError.notFound(
        `parent_task_id "${task.parent_task_id}" names no task.`,
        `Call orchestrator_task {action:"list"} to see task ids.`,
      ));
    }
  });
