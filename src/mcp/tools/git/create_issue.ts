/**
 * `create_issue`: the issue of an approved feature, of a task, or of raw fields (which also creates a task to track it).
 *
 * @module
 */
import { Effect, Option, Schema } from "effect";
import { Db } from "../../../store/db.ts";
import { Configs } from "../../../store/configs.ts";
import { Tasks } from "../../../store/tasks.ts";
import { AppError } from "../../../domain/errors.ts";
import { nowIso } from "../../../domain/ids.ts";
import { markerFor, renderBody } from "../../../domain/template.ts";
import { Forges } from "../../../sync/forges.ts";
import { Sync } from "../../../sync/service.ts";
import { enqueue } from "../../../sync/state.ts";
import { conversions, type LocalItem, localSnapshot, templateValues } from "../../../sync/snapshots.ts";
import type { FlushResult } from "../../../sync/outbox.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import { type RemoteIssue } from "../../../platform/types.ts";
import { FeatureId, TaskId } from "../../params.ts";
import { action } from "../../tool.ts";
import { findLink, linkOut, loadLocalItem as loadItem, reloadLink } from "./common.ts";
import { IssueConfig, Platform, Repository } from "./params.ts";

const opt = Schema.optionalKey;
type IssueFields = typeof IssueConfig.Type;

/** Feature statuses that may become issues without `force`. */
const READY = new Set(["approved", "in_progress"]);

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

/** The create_issue action. */
export { createIssue };
