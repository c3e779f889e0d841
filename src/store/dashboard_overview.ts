/**
 * What the dashboard's overview reads besides the lists: counts, each configured repository's
 * state (links by sync state, queued and parked writes, open conflicts, its last passes, the
 * rate-limit budget) and the links of the cards on boards. Every read is bounded.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { RepoConfig } from "./configs.ts";
import { decodeRow, decodeRows, type SqlRead } from "./sql.ts";

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

/** One pass of a repository, as the overview's charts draw it. */
export interface PassPoint {
  /** ISO time the pass finished. */
  readonly at: string;
  readonly ok: boolean;
  readonly requests: number;
  readonly pulled: number;
  readonly pushed: number;
  readonly created: number;
  readonly conflicts: number;
  readonly duration_ms: number;
  readonly budget_remaining: number | null;
  readonly budget_limit: number | null;
  readonly errors: readonly string[];
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

const Text = Schema.NullOr(Schema.String);
const Count = Schema.NullOr(Schema.Number);

const count = decodeRow(Schema.Struct({ n: Schema.Number }));
const n = (sql: string, args: (string | number)[] = []) =>
  count(sql, args).pipe(Effect.map((row) => row?.n ?? 0));

/** How many rows each state has, as `{state: count}` from `SELECT <state> AS s, COUNT(*) AS n … GROUP BY`. */
const byState = <K extends string>(
  states: Record<K, number>,
  sql: string,
  args: (string | number)[],
): Effect.Effect<Record<K, number>, AppError, SqlRead> =>
  decodeRows(Schema.Struct({ s: Text, n: Schema.Number }))(sql, args).pipe(Effect.map((found) => {
    const out = { ...states };
    for (const r of found) if (r.s !== null && r.s in out) out[r.s as K] = r.n;
    return out;
  }));

const parkedRows = decodeRows(Schema.Struct({
  link_id: Schema.Number,
  kind: Schema.String,
  last_error: Text,
  updated_at: Schema.String,
  issue_number: Count,
  task_id: Text,
  feature_id: Text,
}));

const passRows = decodeRows(Schema.Struct({
  operation_status: Schema.String,
  pulled: Count,
  pushed: Count,
  created: Count,
  conflicts: Count,
  requests: Count,
  errors: Schema.NullOr(Schema.fromJsonString(Schema.Array(Schema.String))),
  finished_at: Text,
  started_at: Schema.String,
  duration_ms: Count,
  budget_remaining: Count,
  budget_limit: Count,
}));

const storedBudget = decodeRow(Schema.Struct({
  rate_limit: Schema.NullOr(Schema.fromJsonString(Schema.Struct({
    remaining: Schema.Number,
    limit: Schema.Number,
    reset_at: Schema.optionalKey(Text),
  }))),
}));

/** A repository's state for the overview. */
export const repoSummary = (cfg: RepoConfig): Effect.Effect<RepoSummary, AppError, SqlRead> =>
  Effect.gen(function* () {
    const id = cfg.config_id;
    const links = yield* byState(
      { synced: 0, pending: 0, failed: 0, manual: 0 },
      "SELECT sync_status AS s, COUNT(*) AS n FROM feature_issue_links WHERE config_id = ? GROUP BY sync_status",
      [id],
    );
    const outbox = yield* byState(
      { pending: 0, parked: 0 },
      "SELECT status AS s, COUNT(*) AS n FROM sync_outbox WHERE config_id = ? AND status <> 'done' GROUP BY status",
      [id],
    );
    const open_conflicts = yield* n(
      `SELECT COUNT(*) AS n FROM sync_conflicts c JOIN feature_issue_links l ON l.id = c.link_id
        WHERE l.config_id = ? AND c.status = 'open'`,
      [id],
    );
    const parked = (yield* parkedRows(
      `SELECT o.link_id, o.kind, o.last_error, o.updated_at, l.issue_number, l.task_id, l.feature_id
         FROM sync_outbox o JOIN feature_issue_links l ON l.id = o.link_id
        WHERE o.config_id = ? AND o.status = 'parked' ORDER BY o.updated_at DESC, o.id DESC LIMIT 20`,
      [id],
    )).map((r): ParkedWrite => ({
      link_id: r.link_id,
      kind: r.kind,
      issue_number: r.issue_number,
      item_id: (r.task_id ?? r.feature_id)!,
      kind_of_item: r.task_id === null ? "feature" : "task",
      error: r.last_error ?? "",
      since: r.updated_at,
    }));
    const passes = (yield* passRows(
      `SELECT id, operation_status, pulled, pushed, created, conflicts, failed, requests, errors, finished_at,
              started_at, duration_ms, budget_remaining, budget_limit
         FROM sync_status_logs WHERE config_id = ? AND operation_type = 'issue_sync' ORDER BY id DESC LIMIT 60`,
      [id],
    )).toReversed().map((r): PassPoint => ({
      at: r.finished_at ?? r.started_at,
      ok: r.operation_status === "completed",
      requests: r.requests ?? 0,
      pulled: r.pulled ?? 0,
      pushed: r.pushed ?? 0,
      created: r.created ?? 0,
      conflicts: r.conflicts ?? 0,
      duration_ms: r.duration_ms ?? 0,
      budget_remaining: r.budget_remaining,
      budget_limit: r.budget_limit,
      errors: r.errors ?? [],
    }));
    const stored = (yield* storedBudget("SELECT rate_limit FROM sync_cursors WHERE config_id = ?", [id]))
      ?.rate_limit;
    // The budget the newest pass ended with, else the last one stored with the cursor.
    const lastPass = passes.findLast((p) => p.budget_remaining !== null && p.budget_limit !== null);
    const rate_limit = lastPass !== undefined
      ? { remaining: lastPass.budget_remaining!, limit: lastPass.budget_limit!, reset_at: null }
      : stored
      ? { remaining: stored.remaining, limit: stored.limit, reset_at: stored.reset_at ?? null }
      : null;
    return { config: cfg, links, outbox, open_conflicts, parked, passes, rate_limit };
  });

/** The overview's counts besides tasks. */
export interface Counts {
  readonly features: number;
  readonly links: number;
  readonly open_conflicts: number;
  readonly parked: number;
  readonly releases: number;
}

/** Counts of features, links, open conflicts, parked writes and releases. */
export const counts: Effect.Effect<Counts, AppError, SqlRead> = Effect.all({
  features: n("SELECT COUNT(*) AS n FROM features"),
  links: n("SELECT COUNT(*) AS n FROM feature_issue_links"),
  open_conflicts: n("SELECT COUNT(*) AS n FROM sync_conflicts WHERE status = 'open'"),
  parked: n("SELECT COUNT(*) AS n FROM sync_outbox WHERE status = 'parked'"),
  releases: n("SELECT COUNT(*) AS n FROM release_milestones"),
});

/** The link of a card on a board: its item and issue, and the issue's title as last synced. */
export interface CardLink {
  readonly task_id: string | null;
  readonly feature_id: string | null;
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  /** The local item's title (null when the item is gone). */
  readonly item_title: string | null;
  /** The issue's title as last synced (null before the first sync). */
  readonly issue_title: string | null;
}

const cardLinkRows = decodeRows(Schema.Struct({
  id: Schema.Number,
  task_id: Text,
  feature_id: Text,
  issue_number: Count,
  issue_url: Text,
  item_title: Text,
  issue_title: Text,
}));

/** The links of every card on a board, by link id. */
export const cardLinks: Effect.Effect<Map<number, CardLink>, AppError, SqlRead> = cardLinkRows(
  `SELECT l.id, l.task_id, l.feature_id, l.issue_number, l.issue_url, COALESCE(t.title, f.title) AS item_title,
          json_extract(b.remote, '$.title') AS issue_title
     FROM feature_issue_links l
     LEFT JOIN tasks t ON t.task_id = l.task_id
     LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
     LEFT JOIN sync_bases b ON b.link_id = l.id
    WHERE l.id IN (SELECT link_id FROM board_items)`,
).pipe(Effect.map((found) => new Map(found.map(({ id, ...link }) => [id, link]))));
