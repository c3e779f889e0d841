/**
 * Issue actions: create_issue, update_issue, link_task, unlink and import_issues.
 *
 * @module
 */
import { Effect, Option, Schema, Stream } from "effect";
import { Db, insertMany } from "../../../store/db.ts";
import type { Task } from "../../../domain/task.ts";
import { Configs, type RepoConfig } from "../../../store/configs.ts";
import { Features } from "../../../store/features.ts";
import { rowToTask, Tasks } from "../../../store/tasks.ts";
import { AppError } from "../../../domain/errors.ts";
import { newTaskId, nowIso } from "../../../domain/ids.ts";
import { markerFor, renderBody } from "../../../domain/template.ts";
import { remoteToTask } from "../../../domain/status_map.ts";
import type { Snapshot } from "../../../domain/merge.ts";
import { Forges } from "../../../sync/forges.ts";
import { Sync } from "../../../sync/service.ts";
import { enqueue, saveBase } from "../../../sync/state.ts";
import {
  conversions,
  type LocalItem,
  localSnapshot,
  remoteSnapshot,
  templateValues,
} from "../../../sync/snapshots.ts";
import type { FlushResult } from "../../../sync/outbox.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import { isRepoParseError, type RemoteIssue } from "../../../platform/types.ts";
import { FeatureId, Labels, Limit, TaskId } from "../../params.ts";
import { action, type CallContext } from "../../tool.ts";
import { findLink, linkOut, reloadLink, runOut } from "./common.ts";
import { IssueConfig, IssueNumber, LinkSelector, Platform, Repository, Url } from "./params.ts";

const opt = Schema.optionalKey;
type IssueFields = typeof IssueConfig.Type;

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

const EMPTY: Snapshot = { title: "", body: "", status: "", labels: [], assignees: [] };

/** Feature statuses that may become issues without `force`. */
const READY = new Set(["approved", "in_progress"]);

const loadItem = (by: { task_id?: string; feature_id?: string }) =>
  Effect.gen(function* () {
    if (by.task_id !== undefined) {
      return { kind: "task", item: yield* Tasks.use((t) => t.get(by.task_id!)) } as LocalItem;
    }
    return { kind: "feature", item: yield* Features.use((f) => f.get(by.feature_id!)) } as LocalItem;
  });

/** The answer of an action that sent remote work: synced, or pending with the reason. */
function outcome(flush: FlushResult) {
  const failure = flush.failures[0];
  if (failure === undefined) return { sync_status: "synced" as const };
  const status = flush.failed > 0 ? "failed" as const : "pending" as const;
  return {
    sync_status: status,
    reason: status === "pending"
      ? `${failure.error.message} The change is kept locally and queued; the next sync sends it.`
      : failure.error.message,
  };
}

const createIssue = action({
  description:
    "Create the issue of an approved feature (feature_id), of a task (task_id), or of new raw fields " +
    "(issue_config, which also creates a local task to track it); returns the existing link when already linked.",
  params: Schema.Struct({
    feature_id: opt(FeatureId),
    task_id: opt(TaskId),
    issue_config: opt(IssueConfig),
    repository: opt(Repository),
    platform: opt(Platform),
    force: opt(
      Schema.Boolean.annotate({ description: "Create the issue of a feature that is not approved yet." }),
    ),
  }),
  run: (input) =>
    Effect.gen(function* () {
      if (input.feature_id !== undefined && input.task_id !== undefined) {
        return yield* Effect.fail(AppError.validation(
          "Both feature_id and task_id were given.",
          "Pass one of feature_id, task_id, or issue_config alone.",
        ));
      }
      if (
        input.feature_id === undefined && input.task_id === undefined &&
        input.issue_config?.title === undefined
      ) {
        return yield* Effect.fail(AppError.validation(
          "create_issue needs feature_id, task_id, or issue_config with a title.",
          `Example: {action:"create_issue", feature_id:"feat_…"}.`,
        ));
      }
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const db = yield* Db;
      const overrides: IssueFields = input.issue_config ?? {};
      let local: LocalItem;
      if (input.feature_id === undefined && input.task_id === undefined) {
        local = {
          kind: "task",
          item: yield* Tasks.use((t) =>
            t.create({
              title: overrides.title!,
              description: overrides.body ?? "",
              labels: overrides.labels ?? [],
            })
          ),
        };
      } else local = yield* loadItem(input);
      if (local.kind === "feature" && !READY.has(local.item.status) && !input.force) {
        return yield* Effect.fail(AppError.conflict(
          `Feature "${local.item.feature_id}" is ${local.item.status}, not approved.`,
          `Approve it with orchestrator_feature {action:"approve", feature_id}, or pass force: true.`,
        ));
      }
      const existing = yield* findLink(
        cfg,
        local.kind === "task" ? { task_id: local.item.task_id } : {
          feature_id: local.item.feature_id,
        },
      ).pipe(Effect.option);
      if (Option.isSome(existing)) {
        return { link: linkOut(existing.value), already_linked: true, sync_status: "synced" as const };
      }
      const forges = yield* Forges;
      const forge = yield* forges.connect(cfg);
      const { plugin } = forge;
      const snapshot = localSnapshot(local);
      const labels = [...new Set([...cfg.default_labels, ...snapshot.labels, ...(overrides.labels ?? [])])]
        .sort();
      if (labels.length > 0 && !plugin.capabilities.labels && overrides.labels !== undefined) {
        return yield* Effect.fail(AppError.unsupported(
          `${plugin.name} issues have no labels, but issue_config.labels was given.`,
          "Omit labels for this platform.",
        ));
      }
      const id = local.kind === "task" ? local.item.task_id : local.item.feature_id;
      const marker = markerFor(local.kind, id);
      const body = overrides.body !== undefined && local.kind === "feature"
        ? `${overrides.body}\n\n${marker}`
        : renderBody(cfg.issue_template, templateValues(local, snapshot));
      const convert = conversions(local, cfg.issue_template, plugin);
      const draft = {
        title: overrides.title ?? snapshot.title,
        body,
        status: convert.toRemote("status", snapshot.status, snapshot) as RemoteIssue["status"],
        labels: plugin.capabilities.labels ? labels : [],
        assignees: overrides.assignees ?? snapshot.assignees,
        milestone: overrides.milestone ?? null,
      };
      const linkId = yield* db.write(async (tx) => {
        const inserted = await tx.execute(
          `INSERT INTO feature_issue_links (feature_id, task_id, platform, repository, issue_number, issue_url,
             sync_status, config_id, created_at) VALUES (?, ?, ?, ?, NULL, NULL, 'pending', ?, ?)`,
          [
            local.kind === "feature" ? local.item.feature_id : null,
            local.kind === "task" ? local.item.task_id : null,
            cfg.platform,
            cfg.repository,
            cfg.config_id,
            nowIso(),
          ],
        );
        const linkId = Number(inserted.lastInsertRowid);
        await enqueue(tx, cfg.config_id, linkId, "create", {
          draft,
          local: snapshot,
          local_version: local.item.version,
          marker,
        });
        return linkId;
      });
      const flush = yield* Sync.use((s) => s.flushLink(cfg.config_id, linkId));
      const failure = flush.failures[0];
      if (failure !== undefined && !["Transient", "RateLimited"].includes(failure.error.reason)) {
        // The forge refused the create: undo the link so that nothing changed, and say why.
        yield* db.batch([
          { sql: "DELETE FROM sync_outbox WHERE link_id = ?", args: [linkId] },
          { sql: "DELETE FROM feature_issue_links WHERE id = ?", args: [linkId] },
        ]);
        return yield* Effect.fail(toAppError(failure.error));
      }
      const link = (yield* reloadLink(linkId))!;
      return {
        link: linkOut(link),
        ...(link.issue_number !== null
          ? {
            issue: {
              number: link.issue_number,
              url: link.issue_url ?? "",
              title: draft.title,
              status: draft.status,
            },
          }
          : {}),
        ...outcome(flush),
      };
    }),
});

const updateIssue = action({
  description: "Push a linked item to its issue now (after applying issue_config to the item, if given); " +
    "returns the pass that sent it.",
  params: Schema.Struct({ ...LinkSelector, issue_config: opt(IssueConfig) }),
  run: (input) =>
    Effect.gen(function* () {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const link = yield* findLink(cfg, input);
      const fields: IssueFields = input.issue_config ?? {};
      const item = yield* loadItem(
        link.task_id !== null ? { task_id: link.task_id } : { feature_id: link.feature_id! },
      );
      if (item.kind === "task") {
        const patch = {
          ...(fields.title !== undefined ? { title: fields.title } : {}),
          ...(fields.body !== undefined ? { description: fields.body } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
          ...(fields.assignees !== undefined ? { assignee: fields.assignees[0] ?? null } : {}),
        };
        if (Object.keys(patch).length > 0) yield* Tasks.use((t) => t.update(item.item.task_id, patch));
      } else {
        const patch = {
          ...(fields.title !== undefined ? { title: fields.title } : {}),
          ...(fields.body !== undefined ? { specification: fields.body } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
        };
        if (Object.keys(patch).length > 0) yield* Features.use((f) => f.update(item.item.feature_id, patch));
      }
      if (fields.milestone !== undefined && link.issue_number !== null) {
        const db = yield* Db;
        const snapshot = localSnapshot(item);
        yield* db.write((tx) =>
          enqueue(tx, cfg.config_id, link.link_id, "update", {
            patch: { milestone: fields.milestone },
            fields: [],
            local: snapshot,
            local_version: item.item.version,
          })
        );
      }
      const result = yield* Sync.use((s) => s.pass(cfg.config_id));
      if (result.error !== undefined) return yield* Effect.fail(result.error);
      const after = (yield* reloadLink(link.link_id))!;
      return {
        link: linkOut(after),
        run: runOut(result.run),
        sync_status: after.sync_status === "synced"
          ? "synced" as const
          : after.sync_status === "failed"
          ? "failed" as const
          : "pending" as const,
        ...(result.run.errors.length > 0 ? { reason: result.run.errors.join(" ") } : {}),
      };
    }),
});

/** The issue number in an issue URL (`…/issues/12`, `…/-/issues/12`, `…/issues/12/slug`). */
export function issueNumberFromUrl(url: string): number | undefined {
  const match = /\/issues\/(\d+)(?:[/?#]|$)/.exec(url);
  return match === null ? undefined : Number(match[1]);
}

const linkTask = action({
  description:
    "Link an existing issue (issue_number or issue_url) to a task or feature; prefer says which side's " +
    "values win at first (remote by default).",
  params: Schema.Struct({
    task_id: opt(TaskId),
    feature_id: opt(FeatureId),
    issue_number: opt(IssueNumber),
    issue_url: opt(Url),
    repository: opt(Repository),
    platform: opt(Platform),
    prefer: opt(Schema.Literals(["remote", "local"])),
  }),
  run: (input) =>
    Effect.gen(function* () {
      if ((input.task_id === undefined) === (input.feature_id === undefined)) {
        return yield* Effect.fail(AppError.validation(
          "link_task needs exactly one of task_id or feature_id.",
          `Example: {action:"link_task", task_id:"task_…", issue_number: 12}.`,
        ));
      }
      let repository = input.repository;
      let number = input.issue_number;
      const forges = yield* Forges;
      const configs = yield* Configs;
      if (input.issue_url !== undefined) {
        const fromUrl = issueNumberFromUrl(input.issue_url);
        if (fromUrl === undefined) {
          return yield* Effect.fail(AppError.validation(
            `issue_url "${input.issue_url.slice(0, 200)}" does not name an issue.`,
            "Give the issue's web address, e.g. https://github.com/owner/repo/issues/12, or issue_number.",
          ));
        }
        if (number !== undefined && number !== fromUrl) {
          return yield* Effect.fail(AppError.validation(
            `issue_number ${number} and issue_url (issue ${fromUrl}) disagree.`,
            "Pass one of them.",
          ));
        }
        number = fromUrl;
        if (repository === undefined) {
          for (const c of yield* configs.list()) {
            const plugin = yield* forges.plugin(c.platform);
            const parsed = plugin.parseRepository(input.issue_url);
            if (!isRepoParseError(parsed) && parsed.path.toLowerCase() === c.repository.toLowerCase()) {
              repository = c.repository;
            }
          }
          if (repository === undefined) {
            return yield* Effect.fail(AppError.notConfigured(
              `issue_url "${input.issue_url.slice(0, 200)}" belongs to no configured repository.`,
              `Configure its repository first with {action:"configure"}.`,
            ));
          }
        }
      }
      if (number === undefined) {
        return yield* Effect.fail(AppError.validation(
          "link_task needs issue_number or issue_url.",
          `Example: {action:"link_task", task_id:"task_…", issue_number: 12}.`,
        ));
      }
      const cfg = yield* configs.resolve(repository, input.platform);
      const local = yield* loadItem(input);
      const taken = yield* findLink(
        cfg,
        input.task_id !== undefined ? { task_id: input.task_id } : {
          feature_id: input.feature_id!,
        },
      ).pipe(Effect.option);
      if (Option.isSome(taken)) {
        return yield* Effect.fail(AppError.conflict(
          `${
            local.kind === "task" ? "Task" : "Feature"
          } is already linked to issue #${taken.value.issue_number} ` +
            `in ${cfg.repository}.`,
          `Unlink it first with {action:"unlink"}.`,
        ));
      }
      const other = yield* findLink(cfg, { issue_number: number }).pipe(Effect.option);
      if (Option.isSome(other)) {
        return yield* Effect.fail(AppError.conflict(
          `Issue #${number} of ${cfg.repository} is already linked to ${
            other.value.task_id ?? other.value.feature_id
          }.`,
          `Unlink it first with {action:"unlink", issue_number:${number}}.`,
        ));
      }
      const forge = yield* forges.connect(cfg);
      const found = yield* forge.client.getIssue(forge.repo, number).pipe(Effect.mapError(toAppError));
      if (Option.isNone(found)) {
        return yield* Effect.fail(AppError.notFound(
          `Issue #${number} does not exist in ${cfg.platform}:${cfg.repository}.`,
          'Check the number, or create the issue with {action:"create_issue"}.',
        ));
      }
      const issue = found.value;
      const db = yield* Db;
      const snapshot = localSnapshot(local);
      const prefer = input.prefer ?? "remote";
      const linkId = yield* db.write(async (tx) => {
        const inserted = await tx.execute(
          `INSERT INTO feature_issue_links (feature_id, task_id, platform, repository, issue_number, issue_url,
             issue_id, sync_status, config_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          [
            local.kind === "feature" ? local.item.feature_id : null,
            local.kind === "task" ? local.item.task_id : null,
            cfg.platform,
            cfg.repository,
            issue.number,
            issue.url,
            issue.id,
            cfg.config_id,
            nowIso(),
          ],
        );
        const linkId = Number(inserted.lastInsertRowid);
        // The preferred side looks changed against an empty base, so the first pass copies it over.
        await saveBase(
          tx,
          linkId,
          prefer === "remote"
            ? { local: snapshot, remote: EMPTY }
            : { local: EMPTY, remote: remoteSnapshot(issue) },
          -1,
          issue.updated_at,
        );
        return linkId;
      });
      const result = yield* Sync.use((s) => s.pass(cfg.config_id));
      const after = (yield* reloadLink(linkId))!;
      return { link: linkOut(after), run: runOut(result.run) };
    }),
});

const unlink = action({
  description:
    "Remove a link (by link_id, task_id, feature_id or issue_number); the issue and the item stay as they are.",
  params: Schema.Struct(LinkSelector),
  run: (input) =>
    Effect.gen(function* () {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const link = yield* findLink(cfg, input);
      const db = yield* Db;
      yield* db.batch([
        { sql: "DELETE FROM sync_outbox WHERE link_id = ?", args: [link.link_id] },
        { sql: "DELETE FROM sync_conflicts WHERE link_id = ?", args: [link.link_id] },
        { sql: "DELETE FROM sync_bases WHERE link_id = ?", args: [link.link_id] },
        { sql: "DELETE FROM feature_issue_links WHERE id = ?", args: [link.link_id] },
      ]);
      return { unlinked: linkOut(link) };
    }),
});

const importIssues = action({
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
      yield* Stream.runForEach(forge.client.listChanged(forge.repo, null), (page) =>
        Effect.gen(function* () {
          for (const issue of page.issues) latest.set(issue.number, issue);
          pages++;
          yield* context.progress(
            latest.size,
            latest.size + (page.issues.length === 100 ? 100 : 0),
            `page ${pages}`,
          );
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
      if (input.dry_run) return { imported: { created: chosen.length, skipped, tasks: [] } };
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
      });
      const shown = made.slice(0, 20).map(({ task }) => task.task_id);
      const tasks = shown.length === 0
        ? []
        : (yield* db.query("SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))", [
          JSON.stringify(shown),
        ])).map(rowToTask).map((t) => ({ ...t, links: [] }));
      return { imported: { created: made.length, skipped, tasks } };
    }),
});

/** The issue actions. */
export const issueActions = {
  create_issue: createIssue,
  update_issue: updateIssue,
  link_task: linkTask,
  unlink,
  import_issues: importIssues,
};

/** Exposed for tests. */
export type { RepoConfig };
