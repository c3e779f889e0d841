/**
 * The dashboard's overview, from the local database only (no request to any forge): counts, the
 * newest tasks, and — with the Git integration enabled — each configured repository (links by sync
 * state, queued and parked writes, open conflicts, its last passes and their activity over time,
 * rate-limit budget), the newest releases with their progress, recent webhook deliveries, and the
 * boards with their columns and cards as forgesync last recorded them. Every part is bounded.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../../store/db.ts";
import { Configs, type RepoConfig } from "../../store/configs.ts";
import { type DeliveryRow, recentDeliveries } from "../../store/deliveries.ts";
import type { Tier } from "../../config.ts";
import { boardItems, listBoards } from "../../store/boards_repo.ts";
import { listTasks, type TaskRow } from "./lists.ts";
import { listReleases, type ReleaseRow } from "./items.ts";
import type { PassPoint } from "./charts.tsx";

/** How many boards, and cards per board, the overview draws at most. */
export const BOARD_LIMIT = 200;

/** A parked write: refused for good by the forge, kept and reported. */
export interface ParkedWrite {
  readonly link_id: number;
  readonly kind: string;
  readonly issue_number: number | null;
  readonly item_id: string;
  readonly kind_of_item: "task" | "feature";
  readonly error: string;
  readonly since: string;
}

/** A configured repository's state. */
export interface RepoSummary {
  readonly config: RepoConfig;
  readonly links: { synced: number; pending: number; failed: number; manual: number };
  readonly outbox: { pending: number; parked: number };
  readonly open_conflicts: number;
  /** The newest parked writes (at most 20). */
  readonly parked: readonly ParkedWrite[];
  /** The last passes, oldest first (at most 60). */
  readonly passes: readonly PassPoint[];
  readonly rate_limit: { remaining: number; limit: number; reset_at: string | null } | null;
}

/** A card on a board: the linked issue and item, and whether the forge has its column yet. */
export interface DashboardCard {
  readonly link_id: number;
  readonly kind: "task" | "feature";
  readonly item_id: string;
  /** The local item's title (null when the item is gone). */
  readonly item_title: string | null;
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  /** The issue's title as last synced (null before the first sync). */
  readonly issue_title: string | null;
  /** The column the forge last confirmed (null when it never did). */
  readonly synced_column: string | null;
  /** A move kept locally that the forge has not taken yet. */
  readonly pending: boolean;
  /** Why the pending move has not reached the forge. */
  readonly last_error: string | null;
}

/** A column of a board with the cards forgesync put in it. */
export interface DashboardColumn {
  /** Null for the cards whose recorded column the board no longer has. */
  readonly name: string | null;
  readonly cards: readonly DashboardCard[];
}

/** A board recorded locally, with its columns and cards. */
export interface DashboardBoard {
  readonly board_id: number;
  readonly platform: string;
  readonly repository: string;
  readonly board_type: string;
  readonly title: string;
  readonly number: number;
  readonly url: string | null;
  readonly adopted: boolean;
  readonly columns: readonly DashboardColumn[];
  /** Cards on the board (the columns hold at most {@link BOARD_LIMIT} of them). */
  readonly card_count: number;
  /** Cards with a pending move. */
  readonly pending_count: number;
}

/** Everything the overview shows. */
export interface Overview {
  readonly tier: Tier;
  readonly version: string;
  readonly generated_at: string;
  readonly counts: {
    readonly tasks: number;
    readonly features: number;
    readonly links: number;
    readonly open_conflicts: number;
    readonly parked: number;
    readonly releases: number;
  };
  /** The ten newest tasks. */
  readonly tasks: readonly TaskRow[];
  /** Null when the Git integration is disabled. */
  readonly git: {
    readonly repositories: readonly RepoSummary[];
    readonly releases: readonly ReleaseRow[];
    readonly deliveries: readonly DeliveryRow[];
    readonly boards: readonly DashboardBoard[];
  } | null;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const count = (db: Db["Service"], sql: string, args: (string | number)[] = []) =>
  db.query<{ n: number }>(sql, args).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)));

/** A repository's state for the overview. */
export function repoSummary(cfg: RepoConfig): Effect.Effect<RepoSummary, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const links = { synced: 0, pending: 0, failed: 0, manual: 0 };
    for (
      const r of yield* db.query<{ s: string; n: number }>(
        "SELECT sync_status AS s, COUNT(*) AS n FROM feature_issue_links WHERE config_id = ? GROUP BY sync_status",
        [cfg.config_id],
      )
    ) if (r.s in links) links[r.s as keyof typeof links] = Number(r.n);
    const outbox = { pending: 0, parked: 0 };
    for (
      const r of yield* db.query<{ s: string; n: number }>(
        "SELECT status AS s, COUNT(*) AS n FROM sync_outbox WHERE config_id = ? AND status <> 'done' GROUP BY status",
        [cfg.config_id],
      )
    ) if (r.s in outbox) outbox[r.s as keyof typeof outbox] = Number(r.n);
    const open_conflicts = yield* count(
      db,
      `SELECT COUNT(*) AS n FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
        WHERE l.config_id = ? AND c.status = 'open'`,
      [cfg.config_id],
    );
    const parked = (yield* db.query<Record<string, unknown>>(
      `SELECT o.link_id, o.kind, o.last_error, o.updated_at, l.issue_number, l.task_id, l.feature_id
         FROM sync_outbox o JOIN feature_issue_links l ON l.id = o.link_id
        WHERE o.config_id = ? AND o.status = 'parked' ORDER BY o.updated_at DESC, o.id DESC LIMIT 20`,
      [cfg.config_id],
    )).map((r): ParkedWrite => ({
      link_id: Number(r.link_id),
      kind: String(r.kind),
      issue_number: r.issue_number === null ? null : Number(r.issue_number),
      item_id: String(r.task_id ?? r.feature_id),
      kind_of_item: r.task_id === null ? "feature" : "task",
      error: String(r.last_error ?? ""),
      since: String(r.updated_at),
    }));
    const passes = (yield* db.query<Record<string, unknown>>(
      `SELECT id, operation_status, pulled, pushed, created, conflicts, failed, requests, errors, finished_at,
              started_at, duration_ms, budget_remaining, budget_limit
         FROM sync_status_logs WHERE config_id = ? AND operation_type = 'issue_sync' ORDER BY id DESC LIMIT 60`,
      [cfg.config_id],
    )).reverse().map((r): PassPoint => ({
      at: String(r.finished_at ?? r.started_at),
      ok: r.operation_status === "completed",
      requests: Number(r.requests ?? 0),
      pulled: Number(r.pulled ?? 0),
      pushed: Number(r.pushed ?? 0),
      created: Number(r.created ?? 0),
      conflicts: Number(r.conflicts ?? 0),
      duration_ms: Number(r.duration_ms ?? 0),
      budget_remaining: r.budget_remaining === null ? null : Number(r.budget_remaining),
      budget_limit: r.budget_limit === null ? null : Number(r.budget_limit),
      errors: r.errors === null ? [] : (JSON.parse(String(r.errors)) as string[]),
    }));
    const stored = (yield* db.query<{ rate_limit: string | null }>(
      "SELECT rate_limit FROM sync_cursors WHERE config_id = ?",
      [cfg.config_id],
    ))[0]?.rate_limit;
    // The budget the newest pass ended with, else the last one stored with the cursor.
    const lastPass = [...passes].reverse().find((p) =>
      p.budget_remaining !== null && p.budget_limit !== null
    );
    const budget = lastPass !== undefined
      ? { remaining: lastPass.budget_remaining!, limit: lastPass.budget_limit!, reset_at: null }
      : stored
      ? JSON.parse(stored) as { remaining: number; limit: number; reset_at?: string | null }
      : null;
    return {
      config: cfg,
      links,
      outbox,
      open_conflicts,
      parked,
      passes,
      rate_limit: budget === null
        ? null
        : { remaining: budget.remaining, limit: budget.limit, reset_at: budget.reset_at ?? null },
    };
  });
}

/** Reads the overview. */
export function overview(tier: Tier, version: string): Effect.Effect<Overview, never, Db | Configs> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const tasks = yield* listTasks({
      status: undefined,
      repository: undefined,
      feature: undefined,
      q: undefined,
      sort: "newest",
      page: 1,
    });
    const counts = {
      tasks: tasks.total,
      features: yield* count(db, "SELECT COUNT(*) AS n FROM features"),
      links: yield* count(db, "SELECT COUNT(*) AS n FROM feature_issue_links"),
      open_conflicts: yield* count(db, "SELECT COUNT(*) AS n FROM sync_conflicts WHERE status = 'open'"),
      parked: yield* count(db, "SELECT COUNT(*) AS n FROM sync_outbox WHERE status = 'parked'"),
      releases: yield* count(db, "SELECT COUNT(*) AS n FROM release_milestones"),
    };
    const base = {
      tier,
      version,
      generated_at: new Date().toISOString(),
      counts,
      tasks: tasks.rows.slice(0, 10),
    };
    if (tier === "disabled") return { ...base, git: null };
    const configs = yield* Configs.use((c) => c.list()).pipe(Effect.orDie);
    const repositories = yield* Effect.forEach(configs, repoSummary);
    const releases = (yield* listReleases(10)).rows;
    const deliveries = yield* recentDeliveries(20);
    const boards = yield* dashboardBoards(db, configs);
    return { ...base, git: { repositories, releases, deliveries, boards } };
  });
}

/** The boards of the local record with their cards grouped by the column forgesync decided. */
function dashboardBoards(
  db: Db["Service"],
  configs: readonly { readonly config_id: number; readonly platform: string; readonly repository: string }[],
): Effect.Effect<DashboardBoard[], never, Db> {
  return Effect.gen(function* () {
    const records = (yield* db.reading(listBoards()).pipe(Effect.orDie)).slice(0, BOARD_LIMIT);
    if (records.length === 0) return [];
    const repos = new Map(configs.map((c) => [c.config_id, c]));
    const links = new Map(
      (yield* db.query<Record<string, unknown>>(
        `SELECT l.id, l.task_id, l.feature_id, l.issue_number, l.issue_url, COALESCE(t.title, f.title) AS item_title,
                json_extract(b.remote, '$.title') AS issue_title
           FROM feature_issue_links l
           LEFT JOIN tasks t ON t.task_id = l.task_id
           LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
           LEFT JOIN sync_bases b ON b.link_id = l.id
          WHERE l.id IN (SELECT link_id FROM board_items)`,
      )).map((r) => [Number(r.id), r]),
    );
    return yield* Effect.forEach(records, (board) =>
      Effect.gen(function* () {
        const cards = (yield* db.reading(boardItems(board.board_id)).pipe(Effect.orDie)).flatMap((item) => {
          const r = links.get(item.link_id);
          if (r === undefined) return []; // its link was removed: the next board action drops it
          const card: DashboardCard = {
            link_id: item.link_id,
            kind: r.task_id === null ? "feature" : "task",
            item_id: String(r.task_id ?? r.feature_id),
            item_title: str(r.item_title),
            issue_number: r.issue_number === null ? null : Number(r.issue_number),
            issue_url: str(r.issue_url),
            issue_title: str(r.issue_title),
            synced_column: item.synced_column,
            pending: item.sync_status === "pending",
            last_error: item.last_error,
          };
          return [{ column: item.column, card }];
        });
        const shown = cards.slice(0, BOARD_LIMIT);
        const names = board.remote.columns.map((c) => c.name);
        const columns: DashboardColumn[] = names.map((name) => ({
          name,
          cards: shown.filter((c) => c.column === name).map((c) => c.card),
        }));
        const elsewhere = shown.filter((c) => !names.includes(c.column)).map((c) => c.card);
        if (elsewhere.length > 0) columns.push({ name: null, cards: elsewhere });
        const repo = repos.get(board.config_id);
        return {
          board_id: board.board_id,
          platform: repo?.platform ?? "unknown",
          repository: repo?.repository ?? `configuration ${board.config_id}`,
          board_type: board.board_type,
          title: board.remote.title,
          number: board.remote.number,
          url: board.remote.url,
          adopted: board.adopted,
          columns,
          card_count: cards.length,
          pending_count: cards.filter((c) => c.card.pending).length,
        };
      }));
  });
}
