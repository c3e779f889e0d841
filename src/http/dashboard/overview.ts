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
import type { AppError } from "../../domain/errors.ts";
import type { Db } from "../../store/db.ts";
import type { SqlRead } from "../../store/sql.ts";
import { Configs } from "../../store/configs.ts";
import { type DeliveryRow, recentDeliveries } from "../../store/deliveries.ts";
import type { Tier } from "../../config.ts";
import { boardItems, listBoards } from "../../store/boards_repo.ts";
import { listTasks } from "../../store/dashboard_lists.ts";
import { FIRST_PAGE } from "../../store/dashboard_filters.ts";
import type { TaskRow } from "../../store/dashboard_rows.ts";
import { cardLinks, counts, type RepoSummary, repoSummary } from "../../store/dashboard_overview.ts";
import { listReleases, type ReleaseRow } from "./releases.ts";

export type { ParkedWrite, RepoSummary } from "../../store/dashboard_overview.ts";

/** How many boards, and cards per board, the overview draws at most. */
export const BOARD_LIMIT = 200;

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

/** Reads the overview. */
export function overview(
  tier: Tier,
  version: string,
): Effect.Effect<Overview, AppError, SqlRead | Db | Configs> {
  return Effect.gen(function* () {
    const tasks = yield* listTasks(FIRST_PAGE);
    const base = {
      tier,
      version,
      generated_at: new Date().toISOString(),
      counts: { tasks: tasks.total, ...(yield* counts) },
      tasks: tasks.rows.slice(0, 10),
    };
    if (tier === "disabled") return { ...base, git: null };
    const configs = yield* Configs.use((c) => c.list());
    const repositories = yield* Effect.forEach(configs, repoSummary);
    const releases = (yield* listReleases(10)).rows;
    const deliveries = yield* recentDeliveries(20);
    const boards = yield* dashboardBoards(configs);
    return { ...base, git: { repositories, releases, deliveries, boards } };
  });
}

/** The boards of the local record with their cards grouped by the column forgesync decided. */
function dashboardBoards(
  configs: readonly { readonly config_id: number; readonly platform: string; readonly repository: string }[],
): Effect.Effect<DashboardBoard[], AppError, SqlRead> {
  return Effect.gen(function* () {
    const records = (yield* listBoards()).slice(0, BOARD_LIMIT);
    if (records.length === 0) return [];
    const repos = new Map(configs.map((c) => [c.config_id, c]));
    const links = yield* cardLinks;
    return yield* Effect.forEach(records, (board) =>
      Effect.gen(function* () {
        const cards = (yield* boardItems(board.board_id)).flatMap((item) => {
          const link = links.get(item.link_id);
          if (link === undefined) return []; // its link was removed: the next board action drops it
          const card: DashboardCard = {
            link_id: item.link_id,
            kind: link.task_id === null ? "feature" : "task",
            item_id: (link.task_id ?? link.feature_id)!,
            item_title: link.item_title,
            issue_number: link.issue_number,
            issue_url: link.issue_url,
            issue_title: link.issue_title,
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
