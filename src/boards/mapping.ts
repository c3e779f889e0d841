/**
 * Board rules, pure: board types, the default status → column mapping and its per-board overrides,
 * the columns a new board gets, the column an item belongs in, and finding a column by name.
 *
 * - `feature_development` boards hold features and tasks; their columns come from both mappings.
 * - `sprint_board` boards hold tasks; their columns come from the task mapping.
 * - `release_planning` boards hold both; their columns are {@link NO_MILESTONE} and one per open
 *   milestone, and a card's column is its issue's milestone (`sync_milestones`).
 *
 * @module
 */
import { FEATURE_STATUSES, type FeatureStatus } from "../domain/feature.ts";
import { TASK_STATUSES, type TaskStatus } from "../domain/task.ts";
import { BOARD_TYPES, type BoardType, type StatusMapping } from "../store/boards_repo.ts";

// The kinds of board and the mapping's shape are what the store keeps (`boards` table).
export { BOARD_TYPES, type BoardType, type StatusMapping };

/** The column of release-planning cards whose issue has no open milestone. */
export const NO_MILESTONE = "No milestone";

/** An override of the default mapping, as a tool takes it. */
export interface StatusMappingInput {
  readonly features?: Readonly<Partial<Record<FeatureStatus, string>>>;
  readonly tasks?: Readonly<Partial<Record<TaskStatus, string>>>;
}

/**
 * The default mapping (SPEC §5): features proposed→Backlog, approved→To Do, in_progress→In Progress,
 * completed→Done; tasks pending→To Do, in_progress→In Progress (and `active`, which follows it),
 * blocked→Blocked, completed→Done.
 */
export const DEFAULT_STATUS_MAPPING: StatusMapping = {
  features: { proposed: "Backlog", approved: "To Do", in_progress: "In Progress", completed: "Done" },
  tasks: {
    pending: "To Do",
    active: "In Progress",
    in_progress: "In Progress",
    blocked: "Blocked",
    completed: "Done",
  },
};

/**
 * The default mapping with `override` applied, status by status. A task override of `in_progress`
 * also moves `active` (which follows it) unless `active` is given too.
 *
 * @example
 * ```ts
 * import { mergeMapping } from "./mapping.ts";
 * mergeMapping({ tasks: { blocked: "On hold" } }).tasks.blocked; // "On hold"
 * ```
 */
export function mergeMapping(override: StatusMappingInput | undefined): StatusMapping {
  const tasks = { ...DEFAULT_STATUS_MAPPING.tasks, ...(override?.tasks ?? {}) };
  if (override?.tasks?.in_progress !== undefined && override.tasks.active === undefined) {
    tasks.active = override.tasks.in_progress;
  }
  return { features: { ...DEFAULT_STATUS_MAPPING.features, ...(override?.features ?? {}) }, tasks };
}

/** How far along a status is: columns are ordered by the earliest status that maps to them. */
const RANK: Readonly<Record<string, number>> = {
  "feature:proposed": 0,
  "feature:approved": 1,
  "feature:in_progress": 2,
  "feature:completed": 4,
  "feature:rejected": 5,
  "task:pending": 1,
  "task:active": 2,
  "task:in_progress": 2,
  "task:blocked": 3,
  "task:completed": 4,
  "task:failed": 5,
  "task:cancelled": 5,
  "task:archived": 6,
};

/** The kinds of item a board type holds. */
export function kindsOf(type: BoardType): ReadonlyArray<"feature" | "task"> {
  return type === "sprint_board" ? ["task"] : ["feature", "task"];
}

/**
 * The columns of a new status board (`feature_development`, `sprint_board`), in workflow order; or,
 * for `release_planning`, {@link NO_MILESTONE} then the given milestone titles.
 */
export function columnsFor(
  type: BoardType,
  mapping: StatusMapping,
  milestones: readonly string[] = [],
): string[] {
  if (type === "release_planning") return unique([NO_MILESTONE, ...milestones]);
  const entries: Array<{ column: string; rank: number; order: number }> = [];
  const add = (
    kind: "feature" | "task",
    statuses: readonly string[],
    map: Readonly<Record<string, string>>,
  ) => {
    for (const status of statuses) {
      const column = map[status];
      if (column !== undefined) {
        entries.push({ column, rank: RANK[`${kind}:${status}`] ?? 9, order: entries.length });
      }
    }
  };
  for (const kind of kindsOf(type)) {
    if (kind === "feature") add("feature", FEATURE_STATUSES, mapping.features as Record<string, string>);
    else add("task", TASK_STATUSES, mapping.tasks as Record<string, string>);
  }
  const first = new Map<string, { rank: number; order: number }>();
  for (const e of entries) {
    const key = e.column.toLowerCase();
    const known = first.get(key);
    if (known === undefined || e.rank < known.rank) {
      first.set(key, { rank: e.rank, order: known?.order ?? e.order });
    }
  }
  const names = new Map<string, string>();
  for (const e of entries) {
    if (!names.has(e.column.toLowerCase())) names.set(e.column.toLowerCase(), e.column);
  }
  return [...first.entries()]
    .sort(([, a], [, b]) => a.rank - b.rank || a.order - b.order)
    .map(([key]) => names.get(key)!);
}

function unique(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The titles of the open milestones in column order: by due date (none last), then by title with
 * numbers compared as numbers (v1.10 after v1.9).
 *
 * @example
 * ```ts
 * import { openMilestoneColumns } from "./mapping.ts";
 * openMilestoneColumns([
 *   { title: "v1.10", state: "open", due_on: null },
 *   { title: "v1.9", state: "open", due_on: null },
 *   { title: "v1.0", state: "closed", due_on: null },
 * ]); // ["v1.9", "v1.10"]
 * ```
 */
export function openMilestoneColumns(
  milestones: ReadonlyArray<
    { readonly title: string; readonly state: string; readonly due_on: string | null }
  >,
): string[] {
  return milestones
    .filter((m) => m.state === "open")
    .sort((a, b) =>
      (a.due_on ?? "9999") < (b.due_on ?? "9999")
        ? -1
        : (a.due_on ?? "9999") > (b.due_on ?? "9999")
        ? 1
        : a.title.localeCompare(b.title, "en", { numeric: true })
    )
    .map((m) => m.title);
}

/** The column a status maps to, or undefined when the mapping gives it none. */
export function columnForStatus(
  mapping: StatusMapping,
  kind: "feature" | "task",
  status: string,
): string | undefined {
  return kind === "feature" ? mapping.features[status as FeatureStatus] : mapping.tasks[status as TaskStatus];
}

/** The column of a release-planning card: its milestone's column, else {@link NO_MILESTONE}. */
export function columnForMilestone(columns: readonly string[], milestone: string | null): string {
  if (milestone !== null) {
    const found = findColumn(columns, milestone);
    if (found !== undefined) return found;
  }
  return findColumn(columns, NO_MILESTONE) ?? NO_MILESTONE;
}

/**
 * The column named `name`: an exact match, else the only case-insensitive one (after trimming).
 *
 * @example
 * ```ts
 * import { findColumn } from "./mapping.ts";
 * findColumn(["To Do", "Done"], "done"); // "Done"
 * findColumn(["To Do", "Done"], "Doing"); // undefined
 * ```
 */
export function findColumn(columns: readonly string[], name: string): string | undefined {
  if (columns.includes(name)) return name;
  const wanted = name.trim().toLowerCase();
  const matches = columns.filter((c) => c.trim().toLowerCase() === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}
