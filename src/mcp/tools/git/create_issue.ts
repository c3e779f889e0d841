/**
 * `create_issue`: the issue of an approved feature, of a task, or of raw fields (which also creates a task to track it).
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Db, type Tx } from "../../../store/db.ts";
import { Configs } from "../../../store/configs.ts";
import { createInTx, rowToTask, taskNotFound } from "../../../store/tasks.ts";
import { featureNotFound, rowToFeature } from "../../../store/features.ts";
import { AppError } from "../../../domain/errors.ts";
import { nowIso } from "../../../domain/ids.ts";
import { markerFor, renderBody } from "../../../domain/template.ts";
import { Forges } from "../../../forges/forges.ts";
import { Sync } from "../../../sync/service.ts";
import { enqueue, type LinkState, rowToLinkState } from "../../../sync/state.ts";
import {
  conversions,
  itemId,
  type LocalItem,
  localSnapshot,
  templateValues,
} from "../../../sync/snapshots.ts";
import type { FlushResult } from "../../../sync/outbox.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import { isLater } from "../../../platform/retry.ts";
import type { IssueDraft, RemoteIssue } from "../../../platform/types.ts";
import { FeatureId, TaskId } from "../../params.ts";
import { action } from "../../tool.ts";
import { linkOut, reloadLink } from "./common.ts";
import { Force, IssueConfig, Platform, Repository } from "./params.ts";

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

/** The item a call names, read inside a transaction (NOT_FOUND naming the id). */
async function itemInTx(tx: Tx, by: { task_id?: string; feature_id?: string }): Promise<LocalItem> {
  if (by.task_id !== undefined) {
    const rows = await tx.rows("SELECT * FROM tasks WHERE task_id = ?", [by.task_id]);
    if (rows[0] === undefined) throw taskNotFound(by.task_id);
    return { kind: "task", item: rowToTask(rows[0]) };
  }
  const rows = await tx.rows("SELECT * FROM features WHERE feature_id = ?", [by.feature_id!]);
  if (rows[0] === undefined) throw featureNotFound(by.feature_id!);
  return { kind: "feature", item: rowToFeature(rows[0]) };
}

/** What the local part of create_issue did. */
type Queued =
  | { readonly existing: LinkState }
  | { readonly linkId: number; readonly draft: IssueDraft; readonly createdTask: string | null };

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
    force: opt(Force),
  }),
  run: (input) =>
    Effect.gen(function* () {
      if (input.feature_id !== undefined && input.task_id !== undefined) {
        return yield* Effect.fail(AppError.validation(
          "Both feature_id and task_id were given.",
          "Pass one of feature_id, task_id, or issue_config alone.",
        ));
      }
      const raw = input.feature_id === undefined && input.task_id === undefined;
      if (raw && input.issue_config?.title === undefined) {
        return yield* Effect.fail(AppError.validation(
          "create_issue needs feature_id, task_id, or issue_config with a title.",
          `Example: {action:"create_issue", feature_id:"feat_…"}.`,
        ));
      }
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const db = yield* Db;
      const sync = yield* Sync;
      const plugin = yield* Forges.use((f) => f.plugin(cfg.platform));
      const overrides: IssueFields = input.issue_config ?? {};
      if (overrides.labels !== undefined && overrides.labels.length > 0 && !plugin.capabilities.labels) {
        return yield* Effect.fail(AppError.unsupported(
          `${plugin.name} issues have no labels, but issue_config.labels was given.`,
          "Omit labels for this platform.",
        ));
      }
      // Everything local in one transaction: the task (for raw fields), the link and the queued create.
      // A second call for the same item, from this process or another, finds the link here.
      const queued: Queued = yield* db.write(async (tx): Promise<Queued> => {
        const local: LocalItem = raw
          ? {
            kind: "task",
            item: await createInTx(tx, {
              title: overrides.title!,
              description: overrides.body ?? "",
              labels: overrides.labels ?? [],
            }),
          }
          : await itemInTx(tx, input);
        if (local.kind === "feature" && !READY.has(local.item.status) && !input.force) {
          throw AppError.conflict(
            `Feature "${local.item.feature_id}" is ${local.item.status}, not approved.`,
            `Approve it with orchestrator_feature {action:"approve", feature_id}, or pass force: true.`,
          );
        }
        const [found] = await tx.rows(
          local.kind === "task"
            ? "SELECT * FROM feature_issue_links WHERE config_id = ? AND task_id = ?"
            : "SELECT * FROM feature_issue_links WHERE config_id = ? AND feature_id = ? AND task_id IS NULL",
          [cfg.config_id, itemId(local)],
        );
        if (found !== undefined) return { existing: rowToLinkState(found) };
        const snapshot = localSnapshot(local);
        const marker = markerFor(local.kind, itemId(local));
        const convert = conversions(local, cfg.issue_template, plugin);
        const labels = [...new Set([...cfg.default_labels, ...snapshot.labels, ...(overrides.labels ?? [])])]
          .sort();
        const draft: IssueDraft = {
          title: overrides.title ?? snapshot.title,
          body: overrides.body !== undefined && local.kind === "feature"
            ? `${overrides.body}\n\n${marker}`
            : renderBody(cfg.issue_template, templateValues(local, snapshot)),
          status: convert.toRemote("status", snapshot.status, snapshot) as RemoteIssue["status"],
          labels: plugin.capabilities.labels ? labels : [],
          assignees: overrides.assignees ?? snapshot.assignees,
          milestone: overrides.milestone ?? null,
        };
        const [link] = await tx.rows<{ id: number }>(
          `INSERT INTO feature_issue_links (feature_id, task_id, platform, repository, issue_number, issue_url,
             sync_status, config_id, created_at) VALUES (?, ?, ?, ?, NULL, NULL, 'pending', ?, ?) RETURNING id`,
          [
            local.kind === "feature" ? local.item.feature_id : null,
            local.kind === "task" ? local.item.task_id : null,
            cfg.platform,
            cfg.repository,
            cfg.config_id,
            nowIso(),
          ],
        );
        const linkId = Number(link!.id);
        await enqueue(tx, cfg.config_id, linkId, "create", {
          draft,
          local: snapshot,
          local_version: local.item.version,
          marker,
        });
        return { linkId, draft, createdTask: raw ? itemId(local) : null };
      });

      if ("existing" in queued) {
        // Already linked (maybe by a call a moment ago that is still sending): its create is sent or
        // settled first, so the answer carries the issue whenever the forge has it.
        const flush = queued.existing.issue_number === null
          ? yield* sync.flushLink(cfg.config_id, queued.existing.link_id)
          : undefined;
        const link = (yield* reloadLink(queued.existing.link_id))!;
        return {
          link: linkOut(link),
          already_linked: true,
          ...(link.issue_number !== null || flush === undefined
            ? { sync_status: "synced" as const }
            : outcome(flush)),
        };
      }
      // The forge refused the create, or cannot be asked (no token): undo everything this call wrote,
      // in one transaction, and say why.
      const undo = db.write(async (tx) => {
        await tx.execute("DELETE FROM sync_outbox WHERE link_id = ?", [queued.linkId]);
        await tx.execute("DELETE FROM sync_bases WHERE link_id = ?", [queued.linkId]);
        await tx.execute("DELETE FROM feature_issue_links WHERE id = ?", [queued.linkId]);
        if (queued.createdTask !== null) {
          await tx.execute("DELETE FROM tasks WHERE task_id = ?", [queued.createdTask]);
        }
      });
      const flush = yield* sync.flushLink(cfg.config_id, queued.linkId).pipe(
        Effect.tapError(() => undo),
      );
      const failure = flush.failures[0];
      if (failure !== undefined && !isLater(failure.error)) {
        yield* undo;
        return yield* Effect.fail(toAppError(failure.error));
      }
      const link = (yield* reloadLink(queued.linkId))!;
      return {
        link: linkOut(link),
        ...(link.issue_number !== null
          ? {
            issue: {
              number: link.issue_number,
              url: link.issue_url ?? "",
              title: queued.draft.title,
              status: queued.draft.status ?? "open",
            },
          }
          : {}),
        ...outcome(flush),
      };
    }),
});

/** The create_issue action. */
export { createIssue };
