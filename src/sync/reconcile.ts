/**
 * One reconciliation pass over a repository (SPEC §7), level-triggered like a controller-runtime
 * reconciler: read both sides, plan with the pure three-way merge, write.
 *
 *   lease ─ send the creates the outbox still holds
 *         ─ pull issues changed since the cursor (all pages, oldest change first)
 *         ─ candidates: links whose item changed locally (version ≠ base), whose issue was listed,
 *           or whose update is still queued from an earlier pass
 *         ─ plan = merge(base, local, remote) per link
 *         ─ apply local writes, conflicts, bases and outbox rows in ONE transaction
 *         ─ send the outbox, recording each new base as the forge confirms it
 *         ─ advance the cursor only after a clean pass; write a sync_status_logs row
 *
 * A queued update is never replayed as it was planned: the issue may have changed since (a person's
 * edit would be overwritten silently). It is planned again against the issue as just pulled, which
 * replaces the queued write, turns it into a recorded conflict, or drops it when nothing is left to
 * send. The sent fields keep their old base until the forge confirms them, so planning again sends
 * the same values when nothing changed, and a write that landed before a crash reads as agreed.
 *
 * A pass right after a clean pass plans nothing and writes nothing but its log row.
 *
 * @module
 */
import { Effect, Result, Stream } from "effect";
import type { Db } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import {
  type Base,
  confirmSent,
  type Conflict,
  isEmptyPlan,
  merge,
  type MergePlan,
  type Snapshot,
} from "../domain/merge.ts";
import type { RepoConfig } from "../store/configs.ts";
import { updateInTx } from "../store/tasks.ts";
import { updateFeatureInTx } from "../store/features.ts";
import type { IssuePatch, PlatformPlugin, RemoteIssue, RemoteStatus } from "../platform/types.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { ConnectedForge, Forges } from "./forges.ts";
import { emptyFlush, flushOutbox, type FlushResult } from "./outbox.ts";
import { acquireLease, HOLDER, releaseLease, tryLease } from "./lease.ts";
import {
  conversions,
  itemId,
  type LocalItem,
  localSnapshot,
  remoteSnapshot,
  syncedFields,
} from "./snapshots.ts";
import {
  enqueue,
  markLink,
  recordConflict,
  type Rows,
  rowToBase,
  rowToLinkState,
  saveBase,
  type StoredBase,
  type UpdatePayload,
} from "./state.ts";
import { rowToTask } from "../store/tasks.ts";
import { rowToFeature } from "../store/features.ts";
import type { LinkState } from "./state.ts";

/** The outcome of a pass, as tools report it. */
export interface RunSummary {
  readonly repository: string;
  readonly platform: string;
  readonly status: "completed" | "failed" | "busy";
  /** Links whose local item took remote changes. */
  readonly pulled: number;
  /** Issue updates sent. */
  readonly pushed: number;
  /** Issues created. */
  readonly created: number;
  /** Conflicts recorded in this pass. */
  readonly conflicts: number;
  /** Writes that failed for good. */
  readonly failed: number;
  /** Writes waiting for a later pass. */
  readonly pending: number;
  /** HTTP requests sent to the forge. */
  readonly requests: number;
  readonly duration_ms: number;
  readonly errors: readonly string[];
  readonly dry_run: boolean;
}

/** A planned change of one link (what `dry_run` returns). */
export interface PlannedChange {
  readonly link_id: number;
  readonly issue_number: number;
  readonly item: { readonly kind: LocalItem["kind"]; readonly id: string };
  /** Values the local item would take. */
  readonly local: Partial<Snapshot>;
  /** Values the issue would take. */
  readonly remote: Partial<Snapshot>;
  readonly conflicts: readonly Conflict[];
}

/** A pass's result. */
export interface PassResult {
  readonly run: RunSummary;
  readonly plan?: readonly PlannedChange[];
  /** The error that stopped the pass, when it failed before planning. */
  readonly error?: AppError;
}

/** Tunables of a pass. */
export interface PassOptions {
  readonly dryRun?: boolean;
  /** Lease lifetime (renewed while the pass runs). */
  readonly leaseTtlMs?: number;
  /** How long to wait for another process's pass to end. */
  readonly leaseWaitMs?: number;
}

/** One link ready to plan: its row, merge base, local item and the listed issue (if it changed). */
export interface Candidate {
  readonly link: LinkState;
  readonly base: StoredBase;
  readonly local: LocalItem;
  readonly remote: RemoteIssue | undefined;
  /** The update still queued for this link by an earlier pass or action, if any. */
  readonly queued?: UpdatePayload;
}

/** Patch keys the merge does not plan (kept when a queued update is planned again). */
const UNPLANNED: ReadonlySet<string> = new Set(["milestone"]);

/** The part of a queued patch that planning does not produce (a milestone set by update_issue). */
export function unplannedPatch(queued: UpdatePayload | undefined): IssuePatch {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(queued?.patch ?? {})) if (UNPLANNED.has(key)) kept[key] = value;
  return kept as IssuePatch;
}

const rowsOf = (db: Db["Service"]): Rows => (sql, args) => Effect.runPromise(db.query(sql, args));

/** The lease resource of a configuration. */
export const leaseResource = (cfg: RepoConfig): string => `repo:${cfg.platform}:${cfg.repository}`;

/** Plans one candidate (pure). */
export function planCandidate(cfg: RepoConfig, plugin: PlatformPlugin, c: Candidate): MergePlan {
  const local = localSnapshot(c.local);
  const remote = c.remote === undefined ? c.base.remote : remoteSnapshot(c.remote);
  return merge({
    base: c.queued === undefined ? c.base : landedBase(plugin, c.base, c.queued, remote),
    local,
    remote,
    localUpdatedAt: c.local.item.updated_at,
    remoteUpdatedAt: c.remote?.updated_at ?? c.base.remote_updated_at ?? "1970-01-01T00:00:00Z",
    policy: cfg.conflict_policy,
    fields: syncedFields(c.local.kind, plugin),
    convert: conversions(c.local, cfg.issue_template, plugin),
  });
}

/**
 * The base once a queued write that the issue already shows is confirmed: its answer was lost (a
 * timeout, a crash after the send), but the forge holds the values it sent, so those fields were
 * agreed — the issue holding them is no remote change, and a local edit made since is one.
 *
 * A write lands whole (one request), so it counts as landed only when the issue shows every field
 * it sent. When only some match, a person changed the issue since (or the write never left and a
 * person happened to pick one of its values): the base stays, and the merge sees both sides'
 * changes — a conflict, recorded, rather than a person's edit overwritten without a trace.
 */
export function landedBase(
  plugin: PlatformPlugin,
  base: Base,
  queued: UpdatePayload,
  remote: Snapshot,
): Base {
  const sent = queued.patch as Record<string, unknown>;
  const canonical = (s: string) => plugin.statusAliases?.[s as RemoteStatus] ?? s;
  const landed = queued.fields.filter((field) => {
    const value = sent[field];
    if (value === undefined) return false;
    if (field === "labels" || field === "assignees") {
      const a = [...new Set(value as string[])].sort();
      return JSON.stringify(a) === JSON.stringify([...new Set(remote[field])].sort());
    }
    return field === "status"
      ? canonical(String(value)) === canonical(remote.status)
      : value === remote[field as "title" | "body"];
  });
  const sentFields = queued.fields.filter((field) => sent[field] !== undefined);
  return landed.length === 0 || landed.length < sentFields.length
    ? base
    : confirmSent(base, landed, queued.local, remote);
}

/** The issue patch for a plan: status and labels always travel together where labels exist. */
export function issuePatch(plugin: PlatformPlugin, planned: Partial<Snapshot>, remote: Snapshot): IssuePatch {
  const patch: Record<string, unknown> = {};
  if (planned.title !== undefined) patch.title = planned.title;
  if (planned.body !== undefined) patch.body = planned.body;
  if (planned.assignees !== undefined) patch.assignees = planned.assignees;
  if (planned.status !== undefined || planned.labels !== undefined) {
    patch.status = (planned.status ?? remote.status) as RemoteStatus;
    if (plugin.capabilities.labels) patch.labels = planned.labels ?? remote.labels;
  }
  return patch as IssuePatch;
}

function applyLocal(local: LocalItem, values: Partial<Snapshot>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (values.title !== undefined) patch.title = values.title;
  if (values.body !== undefined) patch[local.kind === "task" ? "description" : "specification"] = values.body;
  if (values.status !== undefined) patch.status = values.status;
  if (values.labels !== undefined) patch.labels = values.labels;
  if (values.assignees !== undefined && local.kind === "task") patch.assignee = values.assignees[0] ?? null;
  return patch;
}

async function loadCandidates(
  rows: Rows,
  cfg: RepoConfig,
  changed: Map<number, RemoteIssue>,
): Promise<Candidate[]> {
  const found = await rows(
    `SELECT l.*, b.link_id AS b_link_id, b.local_version, b.local, b.remote, b.remote_updated_at
       FROM feature_issue_links l
       JOIN sync_bases b ON b.link_id = l.id
       LEFT JOIN tasks t ON t.task_id = l.task_id
       LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
      WHERE l.config_id = ? AND l.issue_number IS NOT NULL
        AND (t.task_id IS NOT NULL OR f.feature_id IS NOT NULL)
        AND (t.status IS NULL OR t.status <> 'archived')
        AND (COALESCE(t.version, f.version) <> b.local_version
             OR l.issue_number IN (SELECT value FROM json_each(?))
             OR EXISTS (SELECT 1 FROM sync_outbox o
                         WHERE o.link_id = l.id AND o.kind = 'update' AND o.status = 'pending'))`,
    [cfg.config_id, JSON.stringify([...changed.keys()])],
  );
  if (found.length === 0) return [];
  const queued = new Map(
    (await rows(
      `SELECT link_id, payload FROM sync_outbox WHERE config_id = ? AND kind = 'update' AND status = 'pending'`,
      [cfg.config_id],
    )).map((r) => [Number(r.link_id), JSON.parse(String(r.payload)) as UpdatePayload]),
  );
  const links = found.map((r) => ({
    link: rowToLinkState(r),
    base: rowToBase({ ...r, link_id: r.b_link_id }),
  }));
  const taskIds = links.map((l) => l.link.task_id).filter((x): x is string => x !== null);
  const featureIds = links.filter((l) => l.link.task_id === null).map((l) => l.link.feature_id!);
  const tasks = new Map(
    (taskIds.length === 0
      ? []
      : await rows("SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))", [
        JSON.stringify(taskIds),
      ]))
      .map((r) => [String(r.task_id), rowToTask(r)]),
  );
  const features = new Map(
    (featureIds.length === 0 ? [] : await rows(
      "SELECT * FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
      [JSON.stringify(featureIds)],
    )).map((r) => [String(r.feature_id), rowToFeature(r)]),
  );
  return links.flatMap(({ link, base }) => {
    const local: LocalItem | undefined = link.task_id !== null
      ? (tasks.has(link.task_id) ? { kind: "task", item: tasks.get(link.task_id)! } : undefined)
      : (features.has(link.feature_id!)
        ? { kind: "feature", item: features.get(link.feature_id!)! }
        : undefined);
    return local === undefined
      ? []
      : [{ link, base, local, remote: changed.get(link.issue_number!), queued: queued.get(link.link_id) }];
  });
}

const sameBase = (a: StoredBase, b: { local: Snapshot; remote: Snapshot }) =>
  JSON.stringify(a.local) === JSON.stringify(b.local) &&
  JSON.stringify(a.remote) === JSON.stringify(b.remote);

/**
 * Runs one pass over a configured repository. Never fails: problems are reported in the result
 * (`status: "failed"`, `errors`, and `error` when the pass could not start).
 */
export const reconcile = (
  db: Db["Service"],
  forges: Forges["Service"],
  cfg: RepoConfig,
  options: PassOptions = {},
): Effect.Effect<PassResult> =>
  Effect.gen(function* () {
    let started = Date.now();
    const dryRun = options.dryRun ?? false;
    const resource = leaseResource(cfg);
    const ttl = options.leaseTtlMs ?? 120_000;
    const summary = (over: Partial<RunSummary>): RunSummary => ({
      repository: cfg.repository,
      platform: cfg.platform,
      status: "completed",
      pulled: 0,
      pushed: 0,
      created: 0,
      conflicts: 0,
      failed: 0,
      pending: 0,
      requests: 0,
      duration_ms: Date.now() - started,
      errors: [],
      dry_run: dryRun,
      ...over,
    });

    if (!dryRun) {
      const held = yield* acquireLease(db, resource, { ttlMs: ttl, waitMs: options.leaseWaitMs ?? 30_000 });
      if (!held) {
        return {
          run: summary({
            status: "busy",
            errors: ["Another forgesync process is reconciling this repository; try again shortly."],
          }),
        };
      }
    }
    // The pass starts once the lease is held (waiting for another process is not part of it).
    started = Date.now();
    const startedAt = nowIso();

    const body = Effect.gen(function* () {
      const connected = yield* Effect.result(forges.connect(cfg));
      if (Result.isFailure(connected)) {
        return {
          run: summary({ status: "failed", errors: [connected.failure.message] }),
          error: connected.failure,
        };
      }
      const forge: ConnectedForge = connected.success;
      const requestsBefore = forge.stats.requests;
      const rows = rowsOf(db);
      // Creates first (nothing to merge yet); queued updates are planned again after the pull.
      const first: FlushResult = dryRun ? emptyFlush() : yield* flushOutbox(db, forge, undefined, "create");

      // Pull.
      const linked = new Set(
        (yield* db.query<{ n: number }>(
          "SELECT issue_number AS n FROM feature_issue_links WHERE config_id = ? AND issue_number IS NOT NULL",
          [cfg.config_id],
        )).map((r) => Number(r.n)),
      );
      const cursorRows = yield* db.query<{ cursor: string | null }>(
        "SELECT cursor FROM sync_cursors WHERE config_id = ?",
        [cfg.config_id],
      );
      const cursor = cursorRows[0]?.cursor ?? null;
      let nextCursor = cursor;
      let pages = 0;
      const changed = new Map<number, RemoteIssue>();
      const pulled = yield* Effect.result(
        Stream.runForEach(forge.client.listChanged(forge.repo, cursor), (page) =>
          Effect.gen(function* () {
            for (const issue of page.issues) {
              if (!linked.has(issue.number)) continue;
              const seen = changed.get(issue.number);
              if (seen === undefined || seen.updated_at <= issue.updated_at) changed.set(issue.number, issue);
            }
            nextCursor = page.cursor ?? nextCursor;
            pages++;
            if (!dryRun && pages % 20 === 0) yield* tryLease(db, resource, ttl);
          })),
      );
      if (Result.isFailure(pulled)) {
        const error = toAppError(pulled.failure);
        return {
          run: summary({
            status: "failed",
            created: first.created,
            pushed: first.pushed,
            failed: first.failed,
            pending: first.pending,
            requests: forge.stats.requests - requestsBefore,
            errors: [...first.errors, `pull: ${error.message}`],
          }),
          error,
        };
      }

      // Plan.
      const candidates = yield* Effect.promise(() => loadCandidates(rows, cfg, changed));
      const plans = candidates.map((c) => ({ c, plan: planCandidate(cfg, forge.plugin, c) }));
      const acting = plans.filter(({ c, plan }) =>
        !isEmptyPlan(plan) || plan.conflicts.length > 0 || !sameBase(c.base, plan.base) ||
        c.base.local_version !== c.local.item.version || c.queued !== undefined
      );
      if (dryRun) {
        const plan: PlannedChange[] = acting
          .filter(({ plan }) => !isEmptyPlan(plan) || plan.conflicts.length > 0)
          .map(({ c, plan }) => ({
            link_id: c.link.link_id,
            issue_number: c.link.issue_number!,
            item: { kind: c.local.kind, id: itemId(c.local) },
            local: plan.local,
            remote: plan.remote,
            conflicts: plan.conflicts,
          }));
        return {
          run: summary({
            pulled: plan.filter((p) => Object.keys(p.local).length > 0).length,
            pushed: plan.filter((p) => Object.keys(p.remote).length > 0).length,
            conflicts: plan.reduce((n, p) => n + p.conflicts.length, 0),
            requests: forge.stats.requests - requestsBefore,
          }),
          plan,
        };
      }

      // Apply: local writes, conflicts, bases and outbox rows in one transaction.
      let pulledCount = 0;
      let conflictCount = 0;
      if (acting.length > 0) {
        const applied = yield* Effect.result(db.write(async (tx) => {
          for (const { c, plan } of acting) {
            let version = c.local.item.version;
            let local = c.local;
            if (Object.keys(plan.local).length > 0) {
              const patch = applyLocal(c.local, plan.local);
              if (c.local.kind === "task") {
                const item = await updateInTx(tx, c.local.item.task_id, patch, { bySync: true });
                local = { kind: "task", item };
              } else {
                const item = await updateFeatureInTx(tx, c.local.item.feature_id, patch, { bySync: true });
                local = { kind: "feature", item };
              }
              version = local.item.version;
              pulledCount++;
            }
            for (const conflict of plan.conflicts) {
              await recordConflict(tx, c.link.link_id, conflict, cfg.conflict_policy);
              conflictCount++;
            }
            await saveBase(
              tx,
              c.link.link_id,
              plan.base,
              version,
              c.remote?.updated_at ?? c.base.remote_updated_at,
            );
            const kept = unplannedPatch(c.queued);
            if (Object.keys(plan.remote).length > 0 || Object.keys(kept).length > 0) {
              // Replaces a queued update: it was planned against an older state of the issue.
              const remote = c.remote === undefined ? c.base.remote : remoteSnapshot(c.remote);
              await enqueue(tx, cfg.config_id, c.link.link_id, "update", {
                patch: { ...kept, ...issuePatch(forge.plugin, plan.remote, remote) },
                fields: Object.keys(plan.remote) as Array<keyof Snapshot>,
                local: localSnapshot(local),
                local_version: version,
                // An earlier send that got no answer may still land: wait for it as before.
                ...(c.queued?.not_before !== undefined ? { not_before: c.queued.not_before } : {}),
              });
            } else if (c.queued !== undefined) {
              // Nothing is left to send: the issue already holds it, or a conflict settled it.
              await tx.execute(
                `UPDATE sync_outbox SET status = 'done', last_error = NULL, updated_at = ?
                  WHERE link_id = ? AND kind = 'update' AND status = 'pending'`,
                [nowIso(), c.link.link_id],
              );
              await markLink(tx, c.link.link_id, "synced", null);
            }
          }
        }));
        if (Result.isFailure(applied)) {
          return {
            run: summary({
              status: "failed",
              requests: forge.stats.requests - requestsBefore,
              errors: [...first.errors, `apply: ${applied.failure.message}`],
            }),
            error: applied.failure,
          };
        }
      }
      const second = yield* flushOutbox(db, forge);

      const failed = first.failed + second.failed;
      const pending = second.pending;
      const clean = pending === 0 && failed === 0;
      const budget = forge.stats.rate_limit === null ? null : JSON.stringify(forge.stats.rate_limit);
      if (clean && nextCursor !== cursor) {
        yield* db.batch([{
          sql: `INSERT INTO sync_cursors (config_id, cursor, rate_limit, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (config_id) DO UPDATE SET cursor = excluded.cursor, rate_limit = excluded.rate_limit,
                  updated_at = excluded.updated_at`,
          args: [cfg.config_id, nextCursor, budget, nowIso()],
        }]);
      }
      if (forge.cache !== undefined) yield* forge.cache.flush;
      return {
        run: summary({
          status: clean ? "completed" : "failed",
          pulled: pulledCount,
          pushed: first.pushed + second.pushed,
          created: first.created + second.created,
          conflicts: conflictCount,
          failed,
          pending,
          requests: forge.stats.requests - requestsBefore,
          errors: [...first.errors, ...second.errors],
        }),
      };
    });

    if (dryRun) return yield* body;
    // The log row is written while the lease is still held: [started_at, finished_at] of passes of
    // one repository never overlap, whichever process ran them.
    const logged = body.pipe(Effect.tap((result) => {
      const run = result.run;
      return db.batch([{
        sql:
          `INSERT INTO sync_status_logs (config_id, operation_type, operation_status, pulled, pushed, created,
                conflicts, failed, requests, errors, holder, started_at, finished_at, duration_ms)
              VALUES (?, 'issue_sync', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          cfg.config_id,
          run.status === "completed" ? "completed" : "failed",
          run.pulled,
          run.pushed,
          run.created,
          run.conflicts,
          run.failed,
          run.requests,
          run.errors.length > 0 ? JSON.stringify(run.errors) : null,
          HOLDER,
          startedAt,
          nowIso(),
          run.duration_ms,
        ],
      }]);
    }));
    return yield* logged.pipe(Effect.ensuring(releaseLease(db, resource)));
  });
