/**
 * The `tasks` table's rows: their Schema, and the statements that read and write one task. The
 * {@link Tasks} service (`tasks.ts`) and the sync run them inside their own transactions.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { AppError } from "../domain/errors.ts";
import { PRIORITIES, type Task, TASK_STATUSES } from "../domain/task.ts";
import { decodeRow, decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";
import { JsonStrings } from "./rows.ts";

/** A `tasks` row: decoding it gives a {@link Task}. */
export const TaskRow = Schema.Struct({
  task_id: Schema.String,
  title: Schema.String,
  description: Schema.String,
  status: Schema.Literals(TASK_STATUSES),
  priority: Schema.Literals(PRIORITIES),
  assignee: Schema.NullOr(Schema.String),
  labels: JsonStrings,
  feature_id: Schema.NullOr(Schema.String),
  parent_task_id: Schema.NullOr(Schema.String),
  due_date: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  updated_at: Schema.String,
  completed_at: Schema.NullOr(Schema.String),
  version: Schema.Number,
});

const decodeTask = Schema.decodeUnknownSync(TaskRow);

/** Converts a `tasks` row (`SELECT *`, or `t.*` with more columns) to a {@link Task}. */
export function rowToTask(row: Record<string, unknown>): Task {
  return decodeTask(row);
}

const oneTask = decodeRow(TaskRow);
const manyTasks = decodeRows(TaskRow);

/** The NOT_FOUND error for a task id. */
export function taskNotFound(taskId: string): AppError {
  return AppError.notFound(
    `No task has task_id "${taskId.slice(0, 100)}".`,
    `Call orchestrator_task {action:"list"} to see task ids.`,
  );
}

/** A task, if it exists. */
export const findTask = (taskId: string): Effect.Effect<Task | undefined, AppError, SqlRead> =>
  oneTask("SELECT * FROM tasks WHERE task_id = ?", [taskId]);

/** A task, or NOT_FOUND naming its id. */
export const readTask = (taskId: string): Effect.Effect<Task, AppError, SqlRead> =>
  findTask(taskId).pipe(
    Effect.flatMap((task) => task === undefined ? Effect.fail(taskNotFound(taskId)) : Effect.succeed(task)),
  );

/** The tasks of the given ids that exist. */
export const tasksByIds = (ids: readonly string[]): Effect.Effect<readonly Task[], AppError, SqlRead> =>
  ids.length === 0
    ? Effect.succeed([])
    : manyTasks("SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))", [
      JSON.stringify(ids),
    ]);

/** A page of tasks: `where` and `args` filter them, ordered by id. */
export const taskPage = (
  where: readonly string[],
  args: ReadonlyArray<string | number>,
  limit: number,
): Effect.Effect<readonly Task[], AppError, SqlRead> =>
  manyTasks(
    `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY task_id LIMIT ?`,
    [...args, limit],
  );

/** How many tasks are not archived. */
export const countLiveTasks: Effect.Effect<number, AppError, SqlRead> = decodeRow(
  Schema.Struct({ n: Schema.Number }),
)("SELECT COUNT(*) AS n FROM tasks WHERE status <> 'archived'").pipe(Effect.map((r) => r?.n ?? 0));

/** The values of a task's row, in the order of {@link TASK_COLUMNS}. */
export function taskValues(t: Task): Array<string | number | null> {
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

/** Inserts a task. */
export const insertTask = (task: Task): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `INSERT INTO tasks (task_id, title, description, status, priority, assignee, labels, feature_id,
       parent_task_id, due_date, created_at, updated_at, completed_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    taskValues(task),
  ).pipe(Effect.asVoid);

/** Writes every field of a task. */
export const writeTask = (task: Task): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, assignee = ?, labels = ?,
       feature_id = ?, parent_task_id = ?, due_date = ?, created_at = ?, updated_at = ?, completed_at = ?,
       version = ? WHERE task_id = ?`,
    [...taskValues(task).slice(1), task.task_id],
  ).pipe(Effect.asVoid);

/** Deletes a task (a task create_issue made, when the forge refused its issue). */
export const deleteTask = (taskId: string): Effect.Effect<void, AppError, SqlWrite> =>
  execute("DELETE FROM tasks WHERE task_id = ?", [taskId]).pipe(Effect.asVoid);

/** The columns of a `tasks` row, in the order {@link taskValues} gives them (bulk inserts). */
export const TASK_COLUMNS: readonly string[] = [
  "task_id",
  "title",
  "description",
  "status",
  "priority",
  "assignee",
  "labels",
  "feature_id",
  "parent_task_id",
  "due_date",
  "created_at",
  "updated_at",
  "completed_at",
  "version",
];
