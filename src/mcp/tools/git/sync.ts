/**
 * Sync actions: sync_status, status, resolve_conflict and create_milestone.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Db } from "../../../store/db.ts";
import { Configs, type RepoConfig } from "../../../store/configs.ts";
import { type TaskPatch, updateInTx } from "../../../store/tasks.ts";
import { type FeaturePatch, updateFeatureInTx } from "../../../store/features.ts";
import { AppError } from "../../../domain/errors.ts";
import { nowIso } from "../../../domain/ids.ts";
import type { ScalarField } from "../../../domain/merge.ts";
import { FEATURE_STATUSES } from "../../../domain/feature.ts";
import { TASK_STATUSES } from "../../../domain/task.ts";
import { Forges } from "../../../forges/forges.ts";
import { Sync } from "../../../sync/service.ts";
import { enqueue, loadBase, loadItem, rowToLinkState, saveBase, unpark } from "../../../sync/state.ts";
import { conversions, type LocalItem, localSnapshot } from "../../../sync/snapshots.ts";
import { Cursor, DateParam, Limit, Text, Title } from "../../params.ts";
import { decodeCursor, encodeCursor } from "../../../store/rows.ts";
import { action } from "../../tool.ts";
import { createMilestone as createReleaseMilestone } from "../../../releases/create_milestone.ts";
import { linkOut, reloadLink, runOut } from "./common.ts";
import type { RepositoryStatusShape } from "./shapes.ts";
import type { RunSummary } from "../../../sync/run_summary.ts";
import { Force, Platform, Repository } from "./params.ts";
import { withPassProgress } from "./pass_progress.ts";

const opt = Schema.optionalKey;

/** Error codes a later pass may clear without anyone acting: the forge down or rate limited. */
const LATER: ReadonlySet<string> = new Set(["PLATFORM_ERROR", "RATE_LIMITED"]);

/**
 * How a finished pass is reported: `synced` when clean; `failed` when a write was refused for good;
 * otherwise `pending`, with the reason (the forge down or rate limited: the work stays queued).
 */
export function passOutcome(
  run: RunSummary,
): { sync_status: "synced" | "pending" | "failed"; reason?: string } {
  if (run.status === "completed") return { sync_status: "synced" };
  if (run.failed > 0) return { sync_status: "failed", reason: run.errors.join(" ") };
  return {
    sync_status: "pending",
    reason: `${
      run.errors.join(" ") || "Another process is reconciling this repository."
    } Local changes are kept and queued; the next sync sends them.`,
  };
}

const syncStatus = action({
  reads: (params) => params.dry_run === true,
  destructive: true,
  description: "Reconcile now (the repository given, or every configured one) and return when the pass has " +
    "finished; dry_run: true returns the plan without applying it. With a progress token, each page pulled " +
    "and write sent is reported.",
  params: Schema.Struct({
    repository: opt(Repository),
    platform: opt(Platform),
    dry_run: opt(Schema.Boolean),
    force: opt(Force),
  }),
  run: (input, context) =>
    Effect.gen(function* () {
      const configs = yield* Configs;
      const sync = yield* Sync;
      const all = yield* configs.list();
      const every = input.repository === undefined && input.platform === undefined && all.length > 1;
      const progress = <A, E, R>(ids: readonly number[], effect: Effect.Effect<A, E, R>) =>
        withPassProgress(new Set(ids), context, effect);
      if (input.force && !input.dry_run) {
        const chosen = every ? all : [yield* configs.resolve(input.repository, input.platform)];
        const db = yield* Db;
        yield* db.write(async (tx) => {
          for (const c of chosen) await unpark(tx, c.config_id);
        });
      }
      if (every) {
        const results = yield* progress(all.map((c) => c.config_id), sync.passAll({ dryRun: input.dry_run }));
        return {
          runs: results.map((r) => runOut(r.run)),
          ...(input.dry_run ? { plan: results.flatMap((r) => r.plan ?? []) } : {}),
        };
      }
      const cfg = yield* configs.resolve(input.repository, input.platform);
      const result = yield* progress([cfg.config_id], sync.pass(cfg.config_id, { dryRun: input.dry_run }));
      // The forge down or rate limited is not a failed call (SPEC §5): local changes are kept and
      // queued, and the result says so. Anything the user must fix (token, repository) fails.
      const later = result.error === undefined || LATER.has(result.error.code);
      if (result.error !== undefined && !later && result.run.status === "failed" && result.run.pushed === 0) {
        return yield* Effect.fail(result.error);
      }
      if (input.dry_run) return { run: runOut(result.run), plan: [...(result.plan ?? [])] };
      return { run: runOut(result.run), ...passOutcome(result.run) };
    }),
});

function conflictOut(row: Record<string, unknown>) {
  return {
    conflict_id: Number(row.id),
    link_id: Number(row.link_id),
    field: String(row.field),
    base_local: String(row.base_local),
    base_remote: String(row.base_remote),
    local_value: String(row.local_value),
    remote_value: String(row.remote_value),
    policy: String(row.policy),
    status: String(row.status) as "open" | "resolved",
    resolution: row.resolution === null ? null : String(row.resolution),
    created_at: String(row.created_at),
  };
}

/** Which open conflicts a status shows: the newest `limit`, before `before` (a conflict id). */
export interface ConflictPage {
  readonly limit: number;
  readonly before?: number;
}

/** The newest twenty open conflicts. */
const FIRST_CONFLICTS: ConflictPage = { limit: 20 };

/**
 * The state of one configured repository (links, outbox, conflicts, runs, budget), bounded in size:
 * counts, and the newest of the open conflicts and parked writes, with a cursor to the rest.
 */
export const repositoryStatus = (
  cfg: RepoConfig,
  page: ConflictPage = FIRST_CONFLICTS,
): Effect.Effect<typeof RepositoryStatusShape.Type, never, Db | Forges> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const forges = yield* Forges;
    const links = { synced: 0, pending: 0, failed: 0, manual: 0 };
    for (
      const r of yield* db.query<{ s: string; n: number }>(
        "SELECT sync_status AS s, COUNT(*) AS n FROM feature_issue_links WHERE config_id = ? GROUP BY sync_status",
        [cfg.config_id],
      )
    ) {
      if (r.s in links) links[r.s as keyof typeof links] = Number(r.n);
    }
    const outbox = { pending: 0, parked: 0 };
    for (
      const r of yield* db.query<{ s: string; n: number }>(
        "SELECT status AS s, COUNT(*) AS n FROM sync_outbox WHERE config_id = ? AND status <> 'done' GROUP BY status",
        [cfg.config_id],
      )
    ) {
      if (r.s in outbox) outbox[r.s as keyof typeof outbox] = Number(r.n);
    }
    const parked = (yield* db.query<Record<string, unknown>>(
      `SELECT o.link_id, o.kind, o.last_error, o.updated_at, l.issue_number, l.task_id, l.feature_id
         FROM sync_outbox o JOIN feature_issue_links l ON l.id = o.link_id
        WHERE o.config_id = ? AND o.status = 'parked' ORDER BY o.updated_at DESC, o.id DESC LIMIT 20`,
      [cfg.config_id],
    )).map((r) => ({
      link_id: Number(r.link_id),
      kind: String(r.kind) as "create" | "update",
      issue_number: r.issue_number === null ? null : Number(r.issue_number),
      task_id: r.task_id === null ? null : String(r.task_id),
      feature_id: r.feature_id === null ? null : String(r.feature_id),
      error: String(r.last_error ?? ""),
      since: String(r.updated_at),
    }));
    const counted = yield* db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
        WHERE l.config_id = ? AND c.status = 'open'`,
      [cfg.config_id],
    );
    const found = (yield* db.query(
      `SELECT c.* FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
        WHERE l.config_id = ? AND c.status = 'open' ${page.before === undefined ? "" : "AND c.id < ?"}
        ORDER BY c.id DESC LIMIT ?`,
      page.before === undefined
        ? [cfg.config_id, page.limit + 1]
        : [cfg.config_id, page.before, page.limit + 1],
    )).map(conflictOut);
    const conflicts = found.slice(0, page.limit);
    const runs = (yield* db.query(
      `SELECT operation_type, operation_status, pulled, pushed, created, conflicts, failed, requests, errors,
              started_at, finished_at, duration_ms FROM sync_status_logs WHERE config_id = ? ORDER BY id DESC LIMIT 5`,
      [cfg.config_id],
    )).map((r) => ({ ...r, errors: r.errors === null ? [] : JSON.parse(String(r.errors)) }));
    const stats = forges.stats(cfg.config_id);
    const stored = yield* db.query<{ rate_limit: string | null }>(
      "SELECT rate_limit FROM sync_cursors WHERE config_id = ?",
      [cfg.config_id],
    );
    const plugin = yield* forges.plugin(cfg.platform).pipe(Effect.option);
    return {
      config: cfg,
      links,
      outbox,
      parked,
      open_conflict_count: Number(counted[0]?.n ?? 0),
      open_conflicts: conflicts,
      conflicts_next_cursor: found.length > page.limit
        ? encodeCursor(String(conflicts.at(-1)!.conflict_id))
        : null,
      last_runs: runs,
      rate_limit: stats?.rate_limit ?? (stored[0]?.rate_limit ? JSON.parse(stored[0].rate_limit) : null),
      requests: stats?.requests ?? null,
      capabilities: plugin._tag === "Some" ? { ...plugin.value.capabilities } : null,
    };
  });

const status = action({
  reads: true,
  description:
    "Show each configured repository: links by sync status, pending and parked writes, open conflicts " +
    "(the newest; limit and cursor page through the rest), the last runs and the forge's rate-limit " +
    "budget. Local only.",
  params: Schema.Struct({
    repository: opt(Repository),
    platform: opt(Platform),
    limit: opt(Limit),
    cursor: opt(Cursor),
  }),
  run: (input) =>
    Effect.gen(function* () {
      const configs = yield* Configs;
      const chosen = input.repository === undefined && input.platform === undefined
        ? yield* configs.list()
        : [yield* configs.resolve(input.repository, input.platform)];
      if (input.cursor !== undefined && chosen.length !== 1) {
        return yield* Effect.fail(AppError.validation(
          "cursor pages through the conflicts of one repository, but several are configured.",
          "Pass repository (and platform) with cursor.",
        ));
      }
      const before = input.cursor === undefined ? undefined : Number(decodeCursor(input.cursor));
      if (before !== undefined && !Number.isInteger(before)) {
        return yield* Effect.fail(AppError.validation(
          `cursor "${input.cursor}" is not a cursor of status.`,
          "Pass the conflicts_next_cursor of an earlier status call, or none.",
        ));
      }
      const page = {
        limit: input.limit ?? FIRST_CONFLICTS.limit,
        ...(before !== undefined ? { before } : {}),
      };
      const repositories = yield* Effect.forEach(chosen, (c) => repositoryStatus(c, page));
      return { repositories };
    }),
});

const resolveConflict = action({
  destructive: true,
  description: 'Settle a recorded conflict: resolution "local" (push the local value), "remote" (take the ' +
    'issue\'s value) or "value" (set both to value).',
  params: Schema.Struct({
    conflict_id: Schema.Int,
    resolution: Schema.Literals(["local", "remote", "value"]),
    value: opt(Schema.String.check(Schema.isMaxLength(65_536))),
  }),
  run: (input) =>
    Effect.gen(function* () {
      const db = yield* Db;
      const rows = yield* db.query("SELECT * FROM sync_conflicts WHERE id = ?", [input.conflict_id]);
      if (rows.length === 0) {
        return yield* Effect.fail(AppError.notFound(
          `No conflict has id ${input.conflict_id}.`,
          `Call orchestrator_git_integration {action:"status"} to see open conflicts.`,
        ));
      }
      const conflict = conflictOut(rows[0]!);
      if (conflict.status !== "open") {
        return yield* Effect.fail(AppError.conflict(
          `Conflict ${conflict.conflict_id} is already resolved (${conflict.resolution}).`,
          "Nothing to do; status lists the open ones.",
        ));
      }
      if (input.resolution === "value" && input.value === undefined) {
        return yield* Effect.fail(AppError.validation(
          'resolution "value" needs value.',
          'Pass value, or use resolution "local" or "remote".',
        ));
      }
      const linkRows = yield* db.query("SELECT * FROM feature_issue_links WHERE id = ?", [conflict.link_id]);
      const link = rowToLinkState(linkRows[0]!);
      const cfg = yield* Configs.use((c) => c.get(link.config_id));
      const plugin = yield* Forges.use((f) => f.plugin(cfg.platform));
      const field = conflict.field as ScalarField;
      // One transaction: the conflict still open, the item as it is now, its change, the new base,
      // the queued push and the resolution — no pass can come between them.
      const needsPush = yield* db.write(async (tx) => {
        const [open] = await tx.rows("SELECT status, resolution FROM sync_conflicts WHERE id = ?", [
          conflict.conflict_id,
        ]);
        if (open?.status !== "open") {
          throw AppError.conflict(
            `Conflict ${conflict.conflict_id} is already resolved (${open?.resolution}).`,
            "Nothing to do; status lists the open ones.",
          );
        }
        const item = await loadItem(tx.rows, link);
        if (item === undefined) {
          throw AppError.notFound("The conflict's item no longer exists.", "Unlink the issue.");
        }
        const snapshot = localSnapshot(item);
        const convert = conversions(item, cfg.issue_template, plugin);
        // The local value after resolution.
        const chosen = input.resolution === "local"
          ? snapshot[field]
          : input.resolution === "remote"
          ? convert.toLocal(field, conflict.remote_value, snapshot[field], snapshot)
          : input.value!;
        if (field === "status") {
          const valid: readonly string[] = item.kind === "task" ? TASK_STATUSES : FEATURE_STATUSES;
          if (!valid.includes(chosen)) {
            throw AppError.validation(
              `value "${chosen.slice(0, 50)}" is not a ${item.kind} status.`,
              `Use one of: ${valid.join(", ")}.`,
            );
          }
        } else if (field === "title" && (chosen.length === 0 || chosen.length > 255)) {
          throw AppError.validation("value must be a title of 1–255 characters.", "Shorten it.");
        }
        const patch = field === "title"
          ? { title: chosen }
          : field === "body"
          ? (item.kind === "task" ? { description: chosen } : { specification: chosen })
          : { status: chosen };
        const updated: LocalItem = item.kind === "task"
          ? {
            kind: "task",
            item: await updateInTx(tx, item.item.task_id, patch as TaskPatch, { bySync: true }),
          }
          : {
            kind: "feature",
            item: await updateFeatureInTx(tx, item.item.feature_id, patch as FeaturePatch, { bySync: true }),
          };
        const after = localSnapshot(updated);
        const remoteValue = convert.toRemote(field, chosen, after);
        const push = !convert.sameRemote(field, remoteValue, conflict.remote_value);
        const base = await loadBase(tx.rows, link.link_id);
        if (base !== undefined) {
          // The issue's value is acknowledged as the base; when the chosen value differs from it,
          // it reads as a local change that the pass below sends (planned against the issue as it
          // is then, so a newer edit on the forge becomes a new conflict instead of being lost).
          const seen = convert.toLocal(field, conflict.remote_value, chosen, after);
          const local = { ...base.local, [field]: push ? seen : chosen };
          const remote = { ...base.remote, [field]: conflict.remote_value };
          await saveBase(tx, link.link_id, { local, remote }, updated.item.version, base.remote_updated_at);
        }
        if (push && link.issue_number !== null) {
          await enqueue(tx, cfg.config_id, link.link_id, "update", {
            patch: field === "status"
              ? {
                status: remoteValue as never,
                ...(plugin.capabilities.labels && base !== undefined ? { labels: base.remote.labels } : {}),
              }
              : { [field]: remoteValue },
            fields: [field],
            local: after,
            local_version: updated.item.version,
          });
        }
        await tx.execute(
          "UPDATE sync_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?",
          [input.resolution, nowIso(), conflict.conflict_id],
        );
        return push;
      });
      // The queued update is planned again by the pass against the issue as it is now.
      const pass = needsPush ? yield* Sync.use((s) => s.pass(cfg.config_id)) : undefined;
      const resolved = yield* db.query("SELECT * FROM sync_conflicts WHERE id = ?", [conflict.conflict_id]);
      const linkAfter = (yield* reloadLink(link.link_id))!;
      const queued = yield* db.query(
        "SELECT 1 FROM sync_outbox WHERE link_id = ? AND status = 'pending'",
        [link.link_id],
      );
      return {
        conflict: conflictOut(resolved[0]!),
        link: linkOut(linkAfter),
        sync_status: linkAfter.sync_status === "failed"
          ? "failed" as const
          : queued.length === 0
          ? "synced" as const
          : "pending" as const,
        ...(pass !== undefined && pass.run.errors.length > 0 ? { reason: pass.run.errors.join(" ") } : {}),
      };
    }),
});

const createMilestone = action({
  description: "Create a milestone on the forge (title, description, due_on) and record it locally.",
  params: Schema.Struct({
    title: Title,
    description: opt(Text),
    due_on: opt(DateParam),
    repository: opt(Repository),
    platform: opt(Platform),
  }),
  // The same action as orchestrator_release_coordinator's: one record, adoptable by plan_release.
  run: (input) => createReleaseMilestone(input),
});

/** The sync actions. */
export const syncActions = {
  sync_status: syncStatus,
  status,
  resolve_conflict: resolveConflict,
  create_milestone: createMilestone,
};

/** Used by status. */
export { runOut };
