/**
 * `status`: the state of each configured repository — links by sync status, pending and parked
 * writes, open conflicts (the newest, with a cursor to the rest), the last runs and the forge's
 * rate-limit budget. Local only: no request is sent.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { type ConflictRecord, openConflictCount, openConflicts } from "../store/conflicts.ts";
import { type StoredBudget, storedRateLimit } from "../store/cursors.ts";
import { Db } from "../store/db.ts";
import { linkCounts } from "../store/links.ts";
import { outboxCounts, type ParkedWrite, parkedWrites } from "../store/outbox.ts";
import { decodeCursor, encodeCursor } from "../store/rows.ts";
import { type LastRun, lastRuns } from "../store/run_logs.ts";
import { Forges } from "../forges/forges.ts";
import type { RateBudget } from "../platform/forge_fetch.ts";

/** Which open conflicts a status shows: the newest `limit`, before `before` (a conflict id). */
export interface ConflictPage {
  readonly limit: number;
  readonly before?: number;
}

/** The newest twenty open conflicts. */
const FIRST_CONFLICTS: ConflictPage = { limit: 20 };

/** The state of one configured repository. */
export interface RepositoryStatus {
  readonly config: RepoConfig;
  readonly links: { synced: number; pending: number; failed: number; manual: number };
  readonly outbox: { pending: number; parked: number };
  /** The newest parked writes (at most 20; `outbox.parked` counts them all). */
  readonly parked: readonly ParkedWrite[];
  /** How many conflicts are open; `open_conflicts` holds the newest of them. */
  readonly open_conflict_count: number;
  readonly open_conflicts: readonly ConflictRecord[];
  /** The cursor to the next (older) open conflicts, or null when none are left. */
  readonly conflicts_next_cursor: string | null;
  readonly last_runs: readonly LastRun[];
  readonly rate_limit: RateBudget | StoredBudget | null;
  readonly requests: number | null;
  readonly capabilities: Record<string, boolean> | null;
}

/**
 * The state of one configured repository (links, outbox, conflicts, runs, budget), bounded in size:
 * counts, and the newest of the open conflicts and parked writes, with a cursor to the rest.
 */
export const repositoryStatus = (
  cfg: RepoConfig,
  page: ConflictPage = FIRST_CONFLICTS,
): Effect.Effect<RepositoryStatus, AppError, Db | Forges> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const forges = yield* Forges;
    const id = cfg.config_id;
    const stored = yield* db.reading(Effect.all({
      links: linkCounts(id),
      outbox: outboxCounts(id),
      parked: parkedWrites(id, 20),
      count: openConflictCount(id),
      found: openConflicts(id, page.limit + 1, page.before),
      runs: lastRuns(id, 5),
      rateLimit: storedRateLimit(id),
    }));
    const conflicts = stored.found.slice(0, page.limit);
    const stats = forges.stats(id);
    const plugin = yield* forges.plugin(cfg.platform).pipe(Effect.option);
    return {
      config: cfg,
      links: stored.links,
      outbox: stored.outbox,
      parked: stored.parked,
      open_conflict_count: stored.count,
      open_conflicts: conflicts,
      conflicts_next_cursor: stored.found.length > page.limit
        ? encodeCursor(String(conflicts.at(-1)!.conflict_id))
        : null,
      last_runs: stored.runs,
      rate_limit: stats?.rate_limit ?? stored.rateLimit,
      requests: stats?.requests ?? null,
      capabilities: plugin._tag === "Some" ? { ...plugin.value.capabilities } : null,
    };
  });

/** Input of {@link status}. */
export interface StatusInput {
  readonly repository?: string;
  readonly platform?: string;
  readonly limit?: number;
  /** The `conflicts_next_cursor` of an earlier status of one repository. */
  readonly cursor?: string;
}

/** The state of the repository named, or of every configured one. */
export const status = (
  input: StatusInput,
): Effect.Effect<{ repositories: RepositoryStatus[] }, AppError, Db | Configs | Forges> =>
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
  });
