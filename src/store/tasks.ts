/**
 * The tasks repository: create, read, list and change tasks, bumping `version` on every change.
 *
 * @module
 */
import { Context, Effect, Layer } from "effect";
import type { InArgs } from "@libsql/client";
import { Db, type Tx } from "./db.ts";
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
import { decodeCursor, encodeCursor, normalizeLabels, parseStringArray } from "./rows.ts";

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
export interface TaskPatch {
  readonly title?: string;
  readonly description?: string;
  readonly status?: TaskStatus;
  readonly priority?: Priority;
  readonly assignee?: string | null;
  readonly labels?: readonly string[];
  readonly feature_id?: string | null;
  readonly parent_task_id?: string | null;
  readonly due_date?: string | null;
}

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
        const rows = yield* db.query("SELECT * FROM tasks WHERE task_id = ?", [taskId]);
        if (rows.length === 0) return yield* Effect.fail(taskNotFound(taskId));
        return rowToTask(rows[0]!);
      });

      const create = Effect.fn("Tasks.create")(function* (input: NewTask) {
        return yield* db.write((tx) => createInTx(tx, input));
      });

      const update = Effect.fn("Tasks.update")(
        function* (taskId: string, patch: TaskPatch, options?: ChangeOptions) {
          return yield* db.write((tx) => updateInTx(tx, taskId, patch, options ?? {}));
        },
      );

      const archive = (taskId: string) => update(taskId, { status: "archived" });

      const list = Effect.fn("Tasks.list")(function* (filter: TaskFilter) {
        const where: string[] = [];
        const args: InArgs = [];
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
          const after = yield* Effect.try({
            try: () => decodeCursor(filter.cursor!),
            catch: (e) => e as AppError,
          });
          where.push("task_id > ?");
          args.push(after);
        }
        const limit = filter.limit ?? 50;
        const rows = yield* db.query(
          `SELECT * FROM tasks ${
            where.length ? `WHERE ${where.join(" AND ")}` : ""
          } ORDER BY task_id LIMIT ?`,
          [...args, limit + 1],
        );
        const tasks = rows.slice(0, limit).map(rowToTask);
        const next_cursor = rows.length > limit ? encodeCursor(tasks[tasks.length - 1]!.task_id) : null;
        return { tasks, next_cursor };
      });

      return Tasks.of({ create, get, list, update, archive });
    }),
  );
}

/** Creates a task inside an open write transaction (used by the tools that create one with other rows). */
export async function createInTx(tx: Tx, input: NewTask): Promise<Task> {
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
  await checkReferences(tx, task);
  await tx.execute(
    `INSERT INTO tasks (task_id, title, description, status, priority, assignee, labels, feature_id,
       parent_task_id, due_date, created_at, updated_at, completed_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    taskArgs(task),
  );
  return task;
}

/** Applies a change inside an open write transaction (used by the tools and by the sync). */
export async function updateInTx(
  tx: Tx,
  taskId: string,
  patch: TaskPatch,
  options: ChangeOptions,
): Promise<Task> {
  const rows = await tx.rows("SELECT * FROM tasks WHERE task_id = ?", [taskId]);
  if (rows.length === 0) throw taskNotFound(taskId);
  const current = rowToTask(rows[0]!);
  const status = patch.status ?? current.status;
  if (!options.bySync && !canTransitionTask(current.status, status)) {
    throw AppError.conflict(
      `Task "${taskId}" cannot move from "${current.status}" to "${status}".`,
      `From "${current.status}" a task may move to: ${
        [...allowedTaskTransitions(current.status), "archived"].join(", ")
      }.`,
    );
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
    throw AppError.validation(
      `parent_task_id "${taskId}" is the task itself.`,
      "Give the id of another task, or null for none.",
    );
  }
  await checkReferences(tx, next);
  const changed: Task = { ...next, updated_at: now, version: current.version + 1 };
  await tx.execute(
    `UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, assignee = ?, labels = ?,
       feature_id = ?, parent_task_id = ?, due_date = ?, created_at = ?, updated_at = ?, completed_at = ?,
       version = ? WHERE task_id = ?`,
    [...taskArgs(changed).slice(1), taskId],
  );
  return changed;
}

function sameTask(a: Task, b: Task): boolean {
  return a.title === b.title && a.description === b.description && a.status === b.status &&
    a.priority === b.priority && a.assignee === b.assignee && a.feature_id === b.feature_id &&
    a.parent_task_id === b.parent_task_id && a.due_date === b.due_date &&
    JSON.stringify(a.labels) === JSON.stringify(b.labels);
}

async function checkReferences(tx: Tx, task: Task): Promise<void> {
  if (task.feature_id !== null) {
    const found = await tx.rows("SELECT 1 FROM features WHERE feature_id = ?", [task.feature_id]);
    if (found.length === 0) {
      throw AppError.notFound(
        `feature_id "${task.feature_id}" names no feature.`,
        `Call orchestrator_feature {action:"list"} to see feature ids.`,
      );
    }
  }
  if (task.parent_task_id !== null) {
    const found = await tx.rows("SELECT 1 FROM tasks WHERE task_id = ?", [task.parent_task_id]);
    if (found.length === 0) {
      throw AppError.notFound(
        `parent_task_id "${task.parent_task_id}" names no task.`,
        `Call orchestrator_task {action:"list"} to see task ids.`,
      );
    }
  }
}

/** The NOT_FOUND error for a task id. */
export function taskNotFound(taskId: string): AppError {
  return AppError.notFound(
    `No task has task_id "${taskId.slice(0, 100)}".`,
    `Call orchestrator_task {action:"list"} to see task ids.`,
  );
}

function taskArgs(t: Task): Array<string | number | null> {
  return [
    t.task_id,
    t.title,
    t.description,
    t.status,
    t.priority,
    t.assignee,
    JSON.stringify(t.labels),
    t.feature_id,
    t.parent_task_id,
    t.due_date,
    t.created_at,
    t.updated_at,
    t.completed_at,
    t.version,
  ];
}

/** Converts a `tasks` row to a {@link Task}. */
export function rowToTask(row: Record<string, unknown>): Task {
  return {
    task_id: String(row.task_id),
    title: String(row.title),
    description: String(row.description ?? ""),
    status: row.status as TaskStatus,
    priority: row.priority as Priority,
    assignee: row.assignee === null || row.assignee === undefined ? null : String(row.assignee),
    labels: parseStringArray(row.labels),
    feature_id: row.feature_id === null || row.feature_id === undefined ? null : String(row.feature_id),
    parent_task_id: row.parent_task_id === null || row.parent_task_id === undefined
      ? null
      : String(row.parent_task_id),
    due_date: row.due_date === null || row.due_date === undefined ? null : String(row.due_date),
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
    completed_at: row.completed_at === null || row.completed_at === undefined
      ? null
      : String(row.completed_at),
    version: Number(row.version),
  };
}
