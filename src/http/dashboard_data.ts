/**
 * What the dashboard shows, read from the local database only (no request to any forge): tasks
 * (not archived), features, and — with the Git integration enabled — each configured repository's
 * state (links by sync state, queued writes, open conflicts, last passes, rate-limit budget), the
 * links with their last error, recent webhook deliveries, release milestones and the boards recorded
 * by orchestrator_project_board_manager with their columns and cards (as forgesync last recorded them).
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { Tasks } from "../store/tasks.ts";
import { Features } from "../store/features.ts";
import { Configs } from "../store/configs.ts";
import { type DeliveryRow, recentDeliveries } from "../store/deliveries.ts";
import type { Task } from "../domain/task.ts";
import type { Feature } from "../domain/feature.ts";
import type { Tier } from "../config.ts";
import type { Forges } from "../sync/forges.ts";
import { repositoryStatus } from "../mcp/tools/git/sync.ts";
import { boardItems, listBoards } from "../boards/store.ts";

/** How many rows each table shows at most. */
export const DASHBOARD_LIMIT = 200;

/** The state of one configured repository, as `orchestrator_git_integration {action:"status"}` reports it. */
export type RepositoryView = Effect.Success<ReturnType<typeof repositoryStatus>>;

/** A link with the title of its item and its last error. */
export interface LinkView {
  readonly link_id: number;
  readonly kind: "task" | "feature";
  readonly item_id: string;
  readonly title: string | null;
  readonly platform: string;
  readonly repository: string;
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  readonly sync_status: string;
  readonly last_synced: string | null;
  readonly last_error: string | null;
}

/** A release milestone row. */
export interface ReleaseView {
  readonly name: string;
  readonly target_date: string | null;
  readonly status: string | null;
  readonly features: number;
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
  /** Cards on the board (the columns hold at most {@link DASHBOARD_LIMIT} of them). */
  readonly card_count: number;
  /** Cards with a pending move. */
  readonly pending_count: number;
}

/** Everything the page renders. */
export interface DashboardData {
  readonly tier: Tier;
  readonly version: string;
  readonly generated_at: string;
  readonly tasks: readonly Task[];
  readonly task_count: number;
  readonly features: readonly Feature[];
  readonly feature_count: number;
  /** Null when the Git integration is disabled. */
  readonly git: {
    readonly repositories: readonly RepositoryView[];
    readonly links: readonly LinkView[];
    readonly link_count: number;
    readonly deliveries: readonly DeliveryRow[];
    readonly releases: readonly ReleaseView[];
    /** Boards, oldest first; empty when none was made or adopted. */
    readonly boards: readonly DashboardBoard[];
  } | null;
}

const count = (db: Db["Service"], sql: string) =>
  db.query<{ n: number }>(sql).pipe(Effect.map((rows) => Number(rows[0]?.n ?? 0)));

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Reads the dashboard's data. */
export function dashboardData(
  tier: Tier,
  version: string,
): Effect.Effect<DashboardData, never, Db | Tasks | Features | Configs | Forges> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const tasks = yield* Tasks.use((t) => t.list({ limit: DASHBOARD_LIMIT })).pipe(Effect.orDie);
    const features = yield* Features.use((f) => f.list({ limit: DASHBOARD_LIMIT })).pipe(Effect.orDie);
    const task_count = yield* count(db, "SELECT COUNT(*) AS n FROM tasks WHERE status <> 'archived'");
    const feature_count = yield* count(db, "SELECT COUNT(*) AS n FROM features");
    const base = {
      tier,
      version,
      generated_at: new Date().toISOString(),
      tasks: tasks.tasks,
      task_count,
      features: features.features,
      feature_count,
    };
    if (tier === "disabled") return { ...base, git: null };
    const configs = yield* Configs.use((c) => c.list());
    const repositories = yield* Effect.forEach(configs, (c) => repositoryStatus(c));
    const links = (yield* db.query<Record<string, unknown>>(
      `SELECT l.id, l.feature_id, l.task_id, l.platform, l.repository, l.issue_number, l.issue_url, l.sync_status,
              l.last_synced, l.last_error, COALESCE(t.title, f.title) AS title
         FROM feature_issue_links l
         LEFT JOIN tasks t ON t.task_id = l.task_id
         LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
        ORDER BY l.id DESC LIMIT ?`,
      [DASHBOARD_LIMIT],
    )).map((r): LinkView => ({
      link_id: Number(r.id),
      kind: r.task_id === null ? "feature" : "task",
      item_id: String(r.task_id ?? r.feature_id),
      title: str(r.title),
      platform: String(r.platform),
      repository: String(r.repository),
      issue_number: r.issue_number === null ? null : Number(r.issue_number),
      issue_url: str(r.issue_url),
      sync_status: String(r.sync_status ?? "pending"),
      last_synced: str(r.last_synced),
      last_error: str(r.last_error),
    }));
    const link_count = yield* count(db, "SELECT COUNT(*) AS n FROM feature_issue_links");
    const deliveries = yield* recentDeliveries(20);
    const releases = (yield* db.query<Record<string, unknown>>(
      `SELECT milestone_name, target_date, status, included_features FROM release_milestones
        ORDER BY id DESC LIMIT ?`,
      [DASHBOARD_LIMIT],
    )).map((r): ReleaseView => {
      let features = 0;
      try {
        const parsed = JSON.parse(String(r.included_features ?? "[]"));
        features = Array.isArray(parsed) ? parsed.length : 0;
      } catch {
        features = 0;
      }
      return {
        name: String(r.milestone_name),
        target_date: str(r.target_date),
        status: str(r.status),
        features,
      };
    });
    const boards = yield* dashboardBoards(db, configs);
    return { ...base, git: { repositories, links, link_count, deliveries, releases, boards } };
  });
}

/** The boards of the local record with their cards grouped by the column forgesync decided. */
function dashboardBoards(
  db: Db["Service"],
  configs: readonly { readonly config_id: number; readonly platform: string; readonly repository: string }[],
): Effect.Effect<DashboardBoard[], never, Db> {
  return Effect.gen(function* () {
    const records = (yield* listBoards()).slice(0, DASHBOARD_LIMIT);
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
        const cards = (yield* boardItems(board.board_id)).flatMap((item) => {
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
        const shown = cards.slice(0, DASHBOARD_LIMIT);
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
