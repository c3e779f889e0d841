/**
 * `orchestrator_task`: create, change, read, list and archive tasks. Local only: answers from the
 * database and never waits for a forge; a linked task's change is picked up by the next sync.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Links } from "../../store/links.ts";
import { Tasks } from "../../store/tasks.ts";
import type { Task } from "../../domain/task.ts";
import { action, type Tool } from "../tool.ts";
import {
  Cursor,
  DateParam,
  FeatureId,
  Labels,
  Limit,
  Login,
  PriorityParam,
  TaskId,
  TaskStatusParam,
  Text,
  Title,
} from "../params.ts";
import { NextCursor, TaskShape } from "../shapes.ts";

const opt = Schema.optionalKey;
const nullable = <S extends Schema.Top>(s: S) => opt(Schema.NullOr(s));

const withLinks = (task: Task) =>
  Links.use((links) => links.of({ task_id: task.task_id })).pipe(Effect.map((links) => ({ ...task, links })));

/** The answer of an action on one task: `{task}` with its issue links. */
const answer = <E, R>(found: Effect.Effect<Task, E, R>) =>
  found.pipe(Effect.flatMap(withLinks), Effect.map((task) => ({ task })));

const create = action({
  description: "Create a task (status defaults to pending).",
  params: Schema.Struct({
    title: Title.annotate({ description: "One-line title, 1–255 characters." }),
    description: opt(Text.annotate({ description: "Task text (Markdown), up to 65,536 characters." })),
    status: opt(TaskStatusParam),
    priority: opt(PriorityParam),
    assignee: nullable(Login),
    labels: opt(Labels),
    feature_id: nullable(FeatureId),
    parent_task_id: nullable(TaskId),
    due_date: nullable(DateParam),
  }),
  run: (input) => answer(Tasks.use((tasks) => tasks.create(input))),
});

const update = action({
  destructive: true,
  description:
    "Change fields of a task; status follows the allowed transitions (pending→in_progress|blocked|cancelled, " +
    "in_progress→completed|failed|blocked|cancelled, blocked→in_progress|cancelled, closed→pending|in_progress).",
  params: Schema.Struct({
    task_id: TaskId,
    title: opt(Title),
    description: opt(Text),
    status: opt(TaskStatusParam),
    priority: opt(PriorityParam),
    assignee: nullable(Login),
    labels: opt(Labels),
    feature_id: nullable(FeatureId),
    parent_task_id: nullable(TaskId),
    due_date: nullable(DateParam),
  }),
  run: ({ task_id, ...patch }) => answer(Tasks.use((tasks) => tasks.update(task_id, patch))),
});

const get = action({
  reads: true,
  description: "Read one task with its issue links.",
  params: Schema.Struct({ task_id: TaskId }),
  run: ({ task_id }) => answer(Tasks.use((tasks) => tasks.get(task_id))),
});

const list = action({
  reads: true,
  description: "List tasks, oldest first, with filters and paging (archived tasks only when asked).",
  params: Schema.Struct({
    status: opt(Schema.Union([TaskStatusParam, Schema.Array(TaskStatusParam)])),
    feature_id: opt(FeatureId),
    parent_task_id: opt(TaskId),
    assignee: opt(Login),
    label: opt(Schema.String.check(Schema.isMaxLength(100))),
    query: opt(
      Schema.String.check(Schema.isMaxLength(200)).annotate({ description: "Text in title or description." }),
    ),
    include_archived: opt(Schema.Boolean),
    limit: opt(Limit),
    cursor: opt(Cursor),
  }),
  run: ({ status, ...filter }) =>
    Effect.gen(function* () {
      const page = yield* Tasks.use((tasks) =>
        tasks.list({ ...filter, status: status === undefined ? undefined : [status].flat() })
      );
      const links = yield* Links.use((l) => l.ofMany(page.tasks.map((t) => t.task_id)));
      return {
        tasks: page.tasks.map((t) => ({ ...t, links: links.get(t.task_id) ?? [] })),
        next_cursor: page.next_cursor,
      };
    }),
});

const archive = action({
  destructive: true,
  description: "Archive a task from any status: it leaves default listings and its links stop syncing.",
  params: Schema.Struct({ task_id: TaskId }),
  run: ({ task_id }) => answer(Tasks.use((tasks) => tasks.archive(task_id))),
});

/** The task tool. */
export const orchestratorTask: Tool<Tasks | Links> = {
  name: "orchestrator_task",
  description:
    "Manage the orchestrator's tasks in the local database: create, update (with status transitions), " +
    "get, list (filters, paging) and archive. Works offline and answers immediately; tasks linked to an issue " +
    "are kept in step with it by the Git integration (orchestrator_git_integration).",
  tier: "core",
  annotations: {
    title: "Tasks",
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: false,
  },
  actions: { create, update, get, list, archive },
  output: Schema.Struct({
    task: opt(TaskShape),
    tasks: opt(Schema.Array(TaskShape)),
    next_cursor: opt(NextCursor),
  }),
};
