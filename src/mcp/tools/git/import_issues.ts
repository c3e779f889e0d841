/**
 * `import_issues`: local tasks for the repository's issues not linked yet, written with multi-row inserts.
 *
 * @module
 */
import { Effect, Schema, Stream } from "effect";
import { Db, insertMany } from "../../../store/db.ts";
import { Links } from "../../../store/links.ts";
import { Sync } from "../../../sync/service.ts";
import type { Task } from "../../../domain/task.ts";
import { Configs } from "../../../store/configs.ts";
import { Features } from "../../../store/features.ts";
import { rowToTask } from "../../../store/tasks.ts";
import { newTaskId, nowIso } from "../../../domain/ids.ts";
import { remoteToTask } from "../../../domain/status_map.ts";
import { Forges } from "../../../forges/forges.ts";
import { conversions, type LocalItem, localSnapshot, remoteSnapshot } from "../../../sync/snapshots.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import type { RemoteIssue } from "../../../platform/types.ts";
import { FeatureId, Labels, Limit } from "../../params.ts";
import { action, type CallContext } from "../../tool.ts";
import { Platform, Repository } from "./params.ts";

const opt = Schema.optionalKey;

const TASK_COLUMNS = [
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
] as const;

function taskValue(task: Task, column: typeof TASK_COLUMNS[number]): string | number | null {
  return column === "labels" ? JSON.stringify(task.labels) : task[column];
}

const importIssues = action({
  reads: (params) => params.dry_run === true,
  description:
    "Create local tasks for the repository's issues not linked yet (filter by state and labels; limit " +
    "caps how many); dry_run counts without writing.",
  params: Schema.Struct({
    repository: opt(Repository),
    platform: opt(Platform),
    state: opt(Schema.Literals(["open", "closed", "all"])),
    labels: opt(Labels.annotate({ description: "Import only issues carrying all of these labels." })),
    feature_id: opt(FeatureId.annotate({ description: "Attach the imported tasks to this feature." })),
    limit: opt(
      Limit.check(Schema.isLessThanOrEqualTo(100_000)).annotate({ description: "At most this many." }),
    ),
    dry_run: opt(Schema.Boolean),
  }),
  run: (input, context: CallContext) =>
    Effect.gen(function* () {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      if (input.feature_id !== undefined) yield* Features.use((f) => f.get(input.feature_id!));
      const forge = yield* Forges.use((f) => f.connect(cfg));
      const db = yield* Db;
      // Holding the repository (no pass beside it) makes the listing's cursor safe to keep; see below.
      const body = Effect.gen(function* () {
        const linked = new Set(
          (yield* db.query<{ n: number }>(
            "SELECT issue_number AS n FROM feature_issue_links WHERE config_id = ? AND issue_number IS NOT NULL",
            [cfg.config_id],
          )).map((r) => Number(r.n)),
        );
        const wanted = (issue: RemoteIssue) => {
          const closed = ["completed", "cancelled", "failed"].includes(issue.status);
          if (input.state === "open" && closed) return false;
          if (input.state === "closed" && !closed) return false;
          return (input.labels ?? []).every((l) => issue.labels.includes(l));
        };
        const latest = new Map<number, RemoteIssue>();
        let skipped = 0;
        let pages = 0;
        let listed = 0;
        let cursor: string | null = null;
        yield* Stream.runForEach(forge.client.listChanged(forge.repo, null), (page) =>
          Effect.gen(function* () {
            for (const issue of page.issues) latest.set(issue.number, issue);
            cursor = page.cursor ?? cursor;
            pages++;
            listed += page.issues.length;
            // How many pages the listing has is not known until it ends: no total yet.
            yield* context.progress(listed, undefined, `page ${pages} listed (${listed} issues)`);
          })).pipe(Effect.mapError(toAppError));
        const chosen: RemoteIssue[] = [];
        for (const issue of [...latest.values()].sort((a, b) => a.number - b.number)) {
          if (linked.has(issue.number) || !wanted(issue)) {
            skipped++;
            continue;
          }
          if (input.limit !== undefined && chosen.length >= input.limit) {
            skipped++;
            continue;
          }
          chosen.push(issue);
        }
        // The last report, and the only one with a total: everything listed, and the tasks written.
        const finished = (created: number) =>
          context.progress(
            listed + 1,
            listed + 1,
            `${created} task${created === 1 ? "" : "s"} ${input.dry_run ? "to create" : "created"}`,
          );
        if (input.dry_run) {
          yield* finished(chosen.length);
          return { imported: { created: chosen.length, skipped, tasks: [] } };
        }
        const now = nowIso();
        const made = chosen.map((issue) => {
          const taskId = newTaskId();
          const status = remoteToTask(issue.status, "pending");
          const local: LocalItem = {
            kind: "task",
            item: {
              task_id: taskId,
              title: issue.title,
              description: "",
              status,
              priority: "medium",
              assignee: issue.assignees[0] ?? null,
              labels: [...issue.labels].sort(),
              feature_id: input.feature_id ?? null,
              parent_task_id: null,
              due_date: null,
              created_at: now,
              updated_at: now,
              completed_at: status === "completed" ? now : null,
              version: 1,
            },
          };
          const convert = conversions(local, cfg.issue_template, forge.plugin);
          const description = convert.toLocal("body", issue.body, "", localSnapshot(local));
          const task = { ...local.item, description } as typeof local.item;
          return { issue, task };
        });
        yield* db.write(async (tx) => {
          await insertMany(
            tx,
            "tasks",
            TASK_COLUMNS,
            made.map(({ task }) => TASK_COLUMNS.map((c) => taskValue(task, c))),
          );
          const links = await insertMany(
            tx,
            "feature_issue_links",
            [
              "task_id",
              "platform",
              "repository",
              "issue_number",
              "issue_url",
              "issue_id",
              "sync_status",
              "last_synced",
              "config_id",
              "created_at",
            ],
            made.map(({ issue, task }) => [
              task.task_id,
              cfg.platform,
              cfg.repository,
              issue.number,
              issue.url,
              issue.id,
              "synced",
              now,
              cfg.config_id,
              now,
            ]),
            ["id", "task_id"],
          );
          const linkOf = new Map(links.map((l) => [String(l.task_id), Number(l.id)]));
          await insertMany(
            tx,
            "sync_bases",
            ["link_id", "local_version", "local", "remote", "remote_updated_at", "updated_at"],
            made.map(({ issue, task }) => [
              linkOf.get(task.task_id)!,
              1,
              JSON.stringify(localSnapshot({ kind: "task", item: task })),
              JSON.stringify(remoteSnapshot(issue)),
              issue.updated_at,
              now,
            ]),
          );
          // With no link before this import, every linked issue now has the base this listing read,
          // so the next pass may start where the listing ended instead of listing everything again.
          if (linked.size === 0 && cursor !== null) {
            await tx.execute(
              `INSERT INTO sync_cursors (config_id, cursor, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (config_id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
              [cfg.config_id, cursor, now],
            );
          }
        });
        if (forge.cache !== undefined) yield* forge.cache.flush;
        yield* finished(made.length);
        const shown = made.slice(0, 20).map(({ task }) => task.task_id);
        const rows = shown.length === 0
          ? []
          : yield* db.query("SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))", [
            JSON.stringify(shown),
          ]);
        const links = yield* Links.use((l) => l.ofMany(shown));
        const tasks = rows.map(rowToTask).map((t) => ({ ...t, links: links.get(t.task_id) ?? [] }));
        return { imported: { created: made.length, skipped, tasks } };
      });
      return input.dry_run ? yield* body : yield* Sync.use((s) => s.exclusive(cfg.config_id, body));
    }),
});

/** The import_issues action. */
export { importIssues };
