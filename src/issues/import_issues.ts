/**
 * `import_issues`: local tasks for a repository's issues not linked yet (filtered by state and
 * labels, capped by `limit`), each linked to its issue with a merge base, in one transaction. The
 * import holds the repository (no pass beside it), which makes the listing's cursor safe to keep.
 *
 * @module
 */
import { Effect, Stream } from "effect";
import type { AppError } from "../domain/errors.ts";
import { newTaskId, nowIso } from "../domain/ids.ts";
import { remoteToTask } from "../domain/status_map.ts";
import type { Task } from "../domain/task.ts";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { Features } from "../store/features.ts";
import { writeImport } from "../store/imports.ts";
import { linkedIssueNumbers, Links } from "../store/links.ts";
import { tasksByIds } from "../store/tasks.ts";
import { Forges } from "../forges/forges.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { RemoteIssue } from "../platform/types.ts";
import { Sync } from "../sync/service.ts";
import { conversions, type LocalItem, localSnapshot, remoteSnapshot } from "../sync/snapshots.ts";
import type { Progress } from "./links.ts";

/** Input of {@link importIssues}. */
export interface ImportIssuesInput {
  readonly repository?: string;
  readonly platform?: string;
  readonly state?: "open" | "closed" | "all";
  /** Only issues carrying all of these labels. */
  readonly labels?: readonly string[];
  /** Attach the imported tasks to this feature. */
  readonly feature_id?: string;
  /** At most this many. */
  readonly limit?: number;
  /** Count without writing. */
  readonly dry_run?: boolean;
}

/** What {@link importIssues} answers: how many tasks were made (the first twenty shown) and skipped. */
export type ImportIssuesResult = {
  readonly imported: {
    readonly created: number;
    readonly skipped: number;
    readonly tasks: ReadonlyArray<Task & { readonly links: readonly unknown[] }>;
  };
};

/** The task an issue becomes. */
function taskOf(issue: RemoteIssue, featureId: string | null, now: string): LocalItem & { kind: "task" } {
  const status = remoteToTask(issue.status, "pending");
  return {
    kind: "task",
    item: {
      task_id: newTaskId(),
      title: issue.title,
      description: "",
      status,
      priority: "medium",
      assignee: issue.assignees[0] ?? null,
      labels: [...issue.labels].sort(),
      feature_id: featureId,
      parent_task_id: null,
      due_date: null,
      created_at: now,
      updated_at: now,
      completed_at: status === "completed" ? now : null,
      version: 1,
    },
  };
}

/** Imports a repository's unlinked issues as tasks (see the module documentation). */
export const importIssues = (
  input: ImportIssuesInput,
  progress: Progress,
): Effect.Effect<ImportIssuesResult, AppError, Db | Configs | Forges | Sync | Features | Links> =>
  Effect.gen(function* () {
    const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
    if (input.feature_id !== undefined) yield* Features.use((f) => f.get(input.feature_id!));
    const forge = yield* Forges.use((f) => f.connect(cfg));
    const db = yield* Db;
    const body = Effect.gen(function* () {
      const linked = yield* db.reading(linkedIssueNumbers(cfg.config_id));
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
          yield* progress(listed, undefined, `page ${pages} listed (${listed} issues)`);
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
        progress(
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
        const local = taskOf(issue, input.feature_id ?? null, now);
        const convert = conversions(local, cfg.issue_template, forge.plugin);
        const description = convert.toLocal("body", issue.body, "", localSnapshot(local));
        const task: Task = { ...local.item, description };
        return {
          task,
          issue,
          local: localSnapshot({ kind: "task", item: task }),
          remote: remoteSnapshot(issue),
        };
      });
      // With no link before this import, every linked issue now has the base this listing read, so the
      // next pass may start where the listing ended instead of listing everything again.
      yield* db.transaction(writeImport(cfg, made, linked.size === 0 ? cursor : null, now));
      if (forge.cache !== undefined) yield* forge.cache.flush;
      yield* finished(made.length);
      const shown = made.slice(0, 20).map(({ task }) => task.task_id);
      const tasks = yield* db.reading(tasksByIds(shown));
      const links = yield* Links.use((l) => l.ofMany(shown));
      return {
        imported: {
          created: made.length,
          skipped,
          tasks: tasks.map((t) => ({ ...t, links: links.get(t.task_id) ?? [] })),
        },
      };
    });
    return input.dry_run ? yield* body : yield* Sync.use((s) => s.exclusive(cfg.config_id, body));
  });
