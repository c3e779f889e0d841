/**
 * `create_issue`: the issue of an approved feature, of a task, or of raw fields (which also creates
 * a task to track it).
 *
 * Everything local happens in one transaction — the task (for raw fields), the link and the queued
 * create — so a second call for the same item, from this process or another, finds the link. The
 * create is then sent at once through the outbox, holding the repository like a pass
 * (`Sync.flushLink`). The forge down or busy keeps it queued (`pending`); a refusal undoes
 * everything this call wrote, in one transaction, and says why.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import { markerFor, renderBody } from "../domain/template.ts";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { findLink, type Link, linkOut, type LinkState } from "../store/links.ts";
import { deleteLink, insertLink } from "../store/link_writes.ts";
import { enqueue } from "../store/outbox.ts";
import type { SqlRead, SqlWrite } from "../store/sql.ts";
import { createTask, deleteTask } from "../store/tasks.ts";
import { Forges } from "../forges/forges.ts";
import type { IssueDraft, PlatformPlugin } from "../platform/types.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { RepoConfig } from "../store/configs.ts";
import { readItem } from "../sync/items.ts";
import { waitsForLaterPass } from "../sync/later.ts";
import type { FlushResult } from "../sync/outbox.ts";
import { Sync } from "../sync/service.ts";
import { conversions, itemId, type LocalItem, localSnapshot, templateValues } from "../sync/snapshots.ts";
import { newLink, reloadLink, type SyncOutcome } from "./links.ts";

/** Raw issue fields: the issue of raw fields, or what overrides an item's own (all but the status). */
export type IssueFields = Omit<Partial<IssueDraft>, "status">;

/** Input of {@link createIssue}. */
export interface CreateIssueInput {
  readonly feature_id?: string;
  readonly task_id?: string;
  readonly issue_config?: IssueFields;
  readonly repository?: string;
  readonly platform?: string;
  /** Create the issue of a feature that is not approved yet. */
  readonly force?: boolean;
}

/** What {@link createIssue} answers. */
export type CreateIssueResult = {
  readonly link: Link;
  readonly already_linked?: true;
  readonly issue?: {
    readonly number: number;
    readonly url: string;
    readonly title: string;
    readonly status: string;
  };
} & SyncOutcome;

/** Feature statuses that may become issues without `force`. */
const READY = new Set(["approved", "in_progress"]);

/** The answer of an action that sent remote work: synced, or pending (or failed) with the reason. */
function outcome(flush: FlushResult): SyncOutcome {
  const failure = flush.failures[0];
  if (failure === undefined) return { sync_status: "synced" };
  const status = flush.failed > 0 ? "failed" as const : "pending" as const;
  return {
    sync_status: status,
    reason: status === "pending"
      ? `${failure.error.message} The change is kept locally and queued; the next sync sends it.`
      : failure.error.message,
  };
}

/** What the local part of create_issue did. */
type Queued =
  | { readonly existing: LinkState }
  | { readonly linkId: number; readonly draft: IssueDraft; readonly createdTask: string | null };

/** The draft of an item's issue: its own values, the configuration's, and `overrides`. */
function draftOf(
  cfg: RepoConfig,
  plugin: PlatformPlugin,
  local: LocalItem,
  overrides: IssueFields,
  marker: string,
): IssueDraft {
  const snapshot = localSnapshot(local);
  const convert = conversions(local, cfg.issue_template, plugin);
  const labels = [...new Set([...cfg.default_labels, ...snapshot.labels, ...(overrides.labels ?? [])])]
    .sort();
  return {
    title: overrides.title ?? snapshot.title,
    body: overrides.body !== undefined && local.kind === "feature"
      ? `${overrides.body}\n\n${marker}`
      : renderBody(cfg.issue_template, templateValues(local, snapshot)),
    status: convert.toRemote("status", snapshot.status, snapshot) as IssueDraft["status"],
    labels: plugin.capabilities.labels ? labels : [],
    assignees: overrides.assignees ?? snapshot.assignees,
    milestone: overrides.milestone ?? null,
  };
}

/** The local part, in one transaction: the item (or a new task), its link and the queued create. */
const queueCreate = (
  cfg: RepoConfig,
  plugin: PlatformPlugin,
  input: CreateIssueInput,
  raw: boolean,
): Effect.Effect<Queued, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const overrides = input.issue_config ?? {};
    const local: LocalItem = raw
      ? {
        kind: "task",
        item: yield* createTask({
          title: overrides.title!,
          description: overrides.body ?? "",
          labels: overrides.labels ?? [],
        }),
      }
      : yield* readItem(input);
    if (local.kind === "feature" && !READY.has(local.item.status) && !input.force) {
      return yield* Effect.fail(AppError.conflict(
        `Feature "${local.item.feature_id}" is ${local.item.status}, not approved.`,
        `Approve it with orchestrator_feature {action:"approve", feature_id}, or pass force: true.`,
      ));
    }
    const found = yield* findLink(
      cfg.config_id,
      local.kind === "task" ? { task_id: local.item.task_id } : { feature_id: local.item.feature_id },
    );
    if (found !== undefined) return { existing: found } satisfies Queued;
    const marker = markerFor(local.kind, itemId(local));
    const draft = draftOf(cfg, plugin, local, overrides, marker);
    const linkId = yield* insertLink(newLink(cfg, local));
    yield* enqueue(cfg.config_id, linkId, {
      kind: "create",
      payload: {
        draft,
        local: localSnapshot(local),
        local_version: local.item.version,
        marker: markerFor(local.kind, itemId(local)),
      },
    });
    return { linkId, draft, createdTask: raw ? itemId(local) : null } satisfies Queued;
  });

/** Creates (or finds) the issue of a feature, a task, or raw fields: see the module documentation. */
export const createIssue = (
  input: CreateIssueInput,
): Effect.Effect<CreateIssueResult, AppError, Db | Configs | Forges | Sync> =>
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
    const labels = input.issue_config?.labels;
    if (labels !== undefined && labels.length > 0 && !plugin.capabilities.labels) {
      return yield* Effect.fail(AppError.unsupported(
        `${plugin.name} issues have no labels, but issue_config.labels was given.`,
        "Omit labels for this platform.",
      ));
    }
    const queued: Queued = yield* db.transaction(queueCreate(cfg, plugin, input, raw));

    if ("existing" in queued) {
      // Already linked (maybe by a call a moment ago that is still sending): its create is sent or
      // settled first, so the answer carries the issue whenever the forge has it.
      const flush = queued.existing.issue_number === null
        ? yield* sync.flushLink(cfg.config_id, queued.existing.link_id)
        : undefined;
      const link = yield* reloadLink(queued.existing.link_id);
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
    const undo = db.transaction(Effect.gen(function* () {
      yield* deleteLink(queued.linkId);
      if (queued.createdTask !== null) yield* deleteTask(queued.createdTask);
    }));
    const flush = yield* sync.flushLink(cfg.config_id, queued.linkId).pipe(Effect.tapError(() => undo));
    const failure = flush.failures[0];
    if (failure !== undefined && !waitsForLaterPass(failure.error)) {
      yield* undo;
      return yield* Effect.fail(toAppError(failure.error));
    }
    const link = yield* reloadLink(queued.linkId);
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
  });
