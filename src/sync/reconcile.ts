/**
 * One reconciliation pass over a repository (SPEC §7), level-triggered like a controller-runtime
 * reconciler: read both sides, plan with the pure three-way merge, write. It runs while its caller
 * holds the repository's lease (see `service.ts`), in named phases:
 *
 *   creates ─ send the creates the outbox still holds
 *   pull    ─ issues changed since the cursor (all pages, oldest change first), plus a fresh read of
 *             each issue whose last update got no answer and may have landed since
 *   select  ─ links whose item changed locally (version ≠ base), whose issue was listed, or whose
 *             update is still queued
 *   apply   ─ ONE transaction, fenced by the lease: the selected links' rows read again, planned,
 *             and their local writes, conflicts, bases and outbox rows written, with the new cursor
 *   send    ─ the outbox, each attempt fenced by the lease, each outcome recorded
 *
 * Planning inside the apply transaction is what makes a local edit made while the pass pulled safe:
 * the plan sees it (a conflict if the issue changed the same field, a push otherwise). The cursor
 * advances with the apply that consumed the pull; writes that wait (the forge down) or were refused
 * for good (parked) never hold it back.
 *
 * A queued update is never replayed as it was planned: the issue may have changed since (a person's
 * edit would be overwritten silently). It is planned again against the issue as just pulled, which
 * replaces the queued write, turns it into a recorded conflict, or drops it when nothing is left to
 * send. The sent fields keep their old base until the forge confirms them, so planning again sends
 * the same values when nothing changed, and a write that landed unseen reads as agreed.
 *
 * A pass right after a clean pass plans nothing and writes nothing but its log row.
 *
 * @module
 */
import { Effect, Option, Result, Stream } from "effect";
import type { Db, Tx } from "../store/db.ts";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { type Conflict, isEmptyPlan, type Snapshot } from "../domain/merge.ts";
import type { RepoConfig } from "../store/configs.ts";
import { updateInTx } from "../store/tasks.ts";
import { updateFeatureInTx } from "../store/features.ts";
import type { RemoteIssue } from "../platform/types.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { ConnectedForge, Forges } from "../forges/forges.ts";
import { emptyFlush, flushOutbox, type FlushResult } from "./outbox.ts";
import { fenceInTx, type Lease, LeaseLost } from "./lease.ts";
import { itemId, type LocalItem } from "./snapshots.ts";
import { enqueue, markLink, recordConflict, type Rows, saveBase } from "./state.ts";
import { clearDirty, linkedAmong, loadCandidates, selectCandidates } from "./candidates.ts";
import { emitPassEvent } from "./pass_events.ts";
import {
  type Candidate,
  isActing,
  localPatch,
  mustWait,
  nextUpdate,
  planCandidate,
  staysParked,
} from "./plan.ts";
import type { RunSummary } from "./run_summary.ts";

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

/** Points where tests interleave events with a pass (a local edit between its pull and its apply). */
export interface PassProbe {
  readonly beforeApply?: () => Promise<void>;
  readonly beforeSend?: () => Promise<void>;
}

/** The lease resource of a configuration. */
export const leaseResource = (cfg: RepoConfig): string => `repo:${cfg.platform}:${cfg.repository}`;

/** A summary of a pass over `cfg`, started at `started`. */
export function summarize(
  cfg: RepoConfig,
  started: number,
  dryRun: boolean,
  over: Partial<RunSummary>,
): RunSummary {
  return {
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
  };
}

const rowsOf = (db: Db["Service"]): Rows => (sql, args) => Effect.runPromise(db.query(sql, args));

/** What the pull phase found. */
interface Pulled {
  /** Linked issues listed (or read again), by number: the newest version seen of each. */
  readonly changed: Map<number, RemoteIssue>;
  readonly cursor: string | null;
  readonly nextCursor: string | null;
}

/** The repository of a connected forge, as pass events name it. */
const where = (forge: ConnectedForge) => ({
  config_id: forge.config.config_id,
  platform: forge.config.platform,
  repository: forge.config.repository,
});

/**
 * Pull: every page of the issues changed since the cursor (linked ones kept), then each issue whose
 * queued update was sent without an answer, once that request has surely ended and if the listing
 * did not bring it: the plan then sees whether the write landed.
 */
const pull = (db: Db["Service"], forge: ConnectedForge) =>
  Effect.gen(function* () {
    const configId = forge.config.config_id;
    const cursor = (yield* db.query<{ cursor: string | null }>(
      "SELECT cursor FROM sync_cursors WHERE config_id = ?",
      [configId],
    ))[0]?.cursor ?? null;
    let nextCursor = cursor;
    const changed = new Map<number, RemoteIssue>();
    const keep = (issue: RemoteIssue) => {
      const seen = changed.get(issue.number);
      if (seen === undefined || seen.updated_at <= issue.updated_at) changed.set(issue.number, issue);
    };
    let pages = 0;
    let listed = 0;
    // Only linked issues are kept: each page is checked against the links by an index.
    yield* Stream.runForEach(forge.client.listChanged(forge.repo, cursor), (page) =>
      Effect.gen(function* () {
        const linked = yield* Effect.promise(() =>
          linkedAmong(rowsOf(db), configId, page.issues.map((i) => i.number))
        );
        for (const issue of page.issues) if (linked.has(issue.number)) keep(issue);
        nextCursor = page.cursor ?? nextCursor;
        // Progress for the sync command and sync_status (pass_events.ts).
        listed += page.issues.length;
        emitPassEvent(db, { ...where(forge), event: { type: "pulled", pages: ++pages, issues: listed } });
      }));
    const unsettled = yield* db.query<{ n: number }>(
      `SELECT l.issue_number AS n FROM sync_outbox o JOIN feature_issue_links l ON l.id = o.link_id
        WHERE o.config_id = ? AND o.kind = 'update' AND o.status = 'pending' AND o.not_before IS NOT NULL
          AND o.not_before <= ? AND l.issue_number IS NOT NULL`,
      [configId, nowIso()],
    );
    for (const { n } of unsettled) {
      if (changed.has(Number(n))) continue;
      const issue = yield* forge.client.getIssue(forge.repo, Number(n));
      if (Option.isSome(issue)) keep(issue.value);
    }
    return { changed, cursor, nextCursor } satisfies Pulled;
  });

/** What the apply phase wrote. */
interface Applied {
  readonly pulled: number;
  readonly conflicts: number;
}

/** Writes one planned candidate inside the apply transaction. */
async function applyOne(
  tx: Tx,
  forge: ConnectedForge,
  c: Candidate,
  counts: { pulled: number; conflicts: number },
): Promise<void> {
  const cfg = forge.config;
  if (mustWait(c, Date.now())) return;
  const plan = planCandidate(cfg, forge.plugin, c);
  if (!isActing(forge.plugin, c, plan)) return;
  let local = c.local;
  if (Object.keys(plan.local).length > 0) {
    const patch = localPatch(c.local, plan.local);
    local = c.local.kind === "task"
      ? { kind: "task", item: await updateInTx(tx, c.local.item.task_id, patch, { bySync: true }) }
      : {
        kind: "feature",
        item: await updateFeatureInTx(tx, c.local.item.feature_id, patch, { bySync: true }),
      };
    counts.pulled++;
  }
  for (const conflict of plan.conflicts) {
    await recordConflict(tx, c.link.link_id, conflict, cfg.conflict_policy);
    counts.conflicts++;
  }
  await saveBase(
    tx,
    c.link.link_id,
    plan.base,
    local.item.version,
    c.remote?.updated_at ?? c.base.remote_updated_at,
  );
  const update = nextUpdate(forge.plugin, c, plan, local);
  if (update !== undefined) {
    // Replaces a queued update: it was planned against an older state of the issue.
    await enqueue(tx, cfg.config_id, c.link.link_id, "update", update, { keepParked: staysParked(c) });
  } else if (c.queued !== undefined) {
    // Nothing is left to send: the issue already holds it, or a conflict settled it.
    await tx.execute(
      `UPDATE sync_outbox SET status = 'done', not_before = NULL, last_error = NULL, updated_at = ?
        WHERE link_id = ? AND kind = 'update' AND status IN ('pending', 'parked')`,
      [nowIso(), c.link.link_id],
    );
    await markLink(tx, c.link.link_id, "synced", null);
  }
}

/**
 * Apply: in one transaction fenced by the lease, the selected links are read again and planned
 * against exactly what is written, and the cursor moves to what the pull consumed.
 */
const apply = (
  db: Db["Service"],
  forge: ConnectedForge,
  lease: Lease,
  ids: readonly number[],
  pulled: Pulled,
) =>
  db.write(async (tx): Promise<Applied> => {
    await fenceInTx(tx, lease);
    const counts = { pulled: 0, conflicts: 0 };
    for (const c of await loadCandidates(tx.rows, ids, pulled.changed)) await applyOne(tx, forge, c, counts);
    await clearDirty(tx, ids);
    if (pulled.nextCursor !== pulled.cursor) {
      const budget = forge.stats.rate_limit === null ? null : JSON.stringify(forge.stats.rate_limit);
      await tx.execute(
        `INSERT INTO sync_cursors (config_id, cursor, rate_limit, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (config_id) DO UPDATE SET cursor = excluded.cursor, rate_limit = excluded.rate_limit,
           updated_at = excluded.updated_at`,
        [forge.config.config_id, pulled.nextCursor, budget, nowIso()],
      );
    }
    return counts;
  });

/**
 * Connects the forge of `cfg` and runs `body` with it, a summary maker (timed from now) and a
 * counter of the requests sent since; a configuration that cannot connect is a failed pass.
 */
const withForge = <R>(
  forges: Forges["Service"],
  cfg: RepoConfig,
  dryRun: boolean,
  body: (
    forge: ConnectedForge,
    summary: (over: Partial<RunSummary>) => RunSummary,
    requests: () => number,
  ) => Effect.Effect<PassResult, never, R>,
): Effect.Effect<PassResult, never, R> =>
  Effect.gen(function* () {
    const started = Date.now();
    const summary = (over: Partial<RunSummary>) => summarize(cfg, started, dryRun, over);
    const connected = yield* Effect.result(forges.connect(cfg));
    if (Result.isFailure(connected)) {
      return {
        run: summary({ status: "failed", errors: [connected.failure.message] }),
        error: connected.failure,
      };
    }
    const forge = connected.success;
    const before = forge.stats.requests;
    return yield* body(forge, summary, () => forge.stats.requests - before);
  });

/**
 * Runs one pass over a configured repository while `lease` holds it. Never fails: problems are
 * reported in the result (`status: "failed"`, `errors`, and `error` when the pass could not start).
 */
export const reconcile = (
  db: Db["Service"],
  forges: Forges["Service"],
  cfg: RepoConfig,
  lease: Lease,
  probe: PassProbe = {},
): Effect.Effect<PassResult> =>
  withForge(forges, cfg, false, (forge, summary, requests) =>
    Effect.gen(function* () {
      const flushes: FlushResult[] = [];
      const sent = (over: Partial<RunSummary>, error?: AppError): PassResult => {
        const all = flushes.reduce((a, f) => ({
          created: a.created + f.created,
          pushed: a.pushed + f.pushed,
          failed: a.failed + f.failed,
          pending: a.pending + f.pending,
          lost: a.lost || f.lost,
          errors: [...a.errors, ...f.errors],
          failures: [],
        }), emptyFlush());
        const errors = [...all.errors, ...(over.errors ?? [])];
        const clean = errors.length === 0 && all.pending === 0 && all.failed === 0 && !all.lost;
        return {
          run: summary({
            status: clean ? "completed" : "failed",
            created: all.created,
            pushed: all.pushed,
            failed: all.failed,
            pending: flushes.at(-1)?.pending ?? 0,
            requests: requests(),
            ...over,
            errors,
          }),
          ...(error !== undefined ? { error } : {}),
        };
      };
      const beforeSend = probe.beforeSend;

      // Creates first (nothing to merge yet); queued updates are planned again after the pull.
      flushes.push(yield* flushOutbox(db, forge, lease, { kind: "create", beforeSend }));
      if (flushes[0]!.lost) return sent({});

      const pulled = yield* Effect.result(pull(db, forge));
      if (Result.isFailure(pulled)) {
        const error = toAppError(pulled.failure);
        return sent({ errors: [`pull: ${error.message}`] }, error);
      }
      const ids = yield* Effect.promise(() =>
        selectCandidates(rowsOf(db), cfg, [...pulled.success.changed.keys()])
      );
      if (probe.beforeApply !== undefined) yield* Effect.promise(probe.beforeApply);
      const applied = ids.length === 0 && pulled.success.nextCursor === pulled.success.cursor
        ? Result.succeed({ pulled: 0, conflicts: 0 })
        : yield* Effect.result(apply(db, forge, lease, ids, pulled.success));
      if (Result.isFailure(applied)) {
        const lost = applied.failure instanceof LeaseLost;
        return sent({ errors: [`${lost ? "" : "apply: "}${applied.failure.message}`] }, applied.failure);
      }
      flushes.push(yield* flushOutbox(db, forge, lease, { beforeSend }));
      if (forge.cache !== undefined) yield* forge.cache.flush;
      return sent({ pulled: applied.success.pulled, conflicts: applied.success.conflicts });
    }));

/** Plans a pass without writing anything (`dry_run`): no lease, no sends, no local writes. */
export const planPass = (
  db: Db["Service"],
  forges: Forges["Service"],
  cfg: RepoConfig,
): Effect.Effect<PassResult> =>
  withForge(forges, cfg, true, (forge, summary, requests) =>
    Effect.gen(function* () {
      const pulled = yield* Effect.result(pull(db, forge));
      if (Result.isFailure(pulled)) {
        const error = toAppError(pulled.failure);
        return {
          run: summary({ status: "failed", requests: requests(), errors: [`pull: ${error.message}`] }),
          error,
        };
      }
      const rows = rowsOf(db);
      const ids = yield* Effect.promise(() =>
        selectCandidates(rows, cfg, [...pulled.success.changed.keys()])
      );
      const candidates = yield* Effect.promise(() => loadCandidates(rows, ids, pulled.success.changed));
      const plan: PlannedChange[] = candidates
        .map((c) => ({ c, plan: planCandidate(cfg, forge.plugin, c) }))
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
          requests: requests(),
        }),
        plan,
      };
    }));
