/**
 * Helpers shared by the Git integration actions: finding links and their items.
 *
 * @module
 */
import { Effect } from "effect";
import { Features } from "../../../store/features.ts";
import { Tasks } from "../../../store/tasks.ts";
import type { LocalItem } from "../../../sync/snapshots.ts";
import { Db } from "../../../store/db.ts";
import { AppError } from "../../../domain/errors.ts";
import type { RepoConfig } from "../../../store/configs.ts";
import { type LinkState, rowToLinkState } from "../../../sync/state.ts";
import type { Link } from "../../../store/links.ts";
import type { RunSummary } from "../../../sync/run_summary.ts";

/** How a call names a link. */
export interface LinkSelector {
  readonly link_id?: number;
  readonly task_id?: string;
  readonly feature_id?: string;
  readonly issue_number?: number;
}

/** The link a call names within a configuration, or NOT_FOUND naming what was looked for. */
export const findLink = (cfg: RepoConfig, by: LinkSelector): Effect.Effect<LinkState, AppError, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const [where, arg, what] = by.link_id !== undefined
      ? ["id = ?", by.link_id, `link ${by.link_id}`]
      : by.task_id !== undefined
      ? ["task_id = ?", by.task_id, `task "${by.task_id}"`]
      : by.feature_id !== undefined
      ? ["feature_id = ? AND task_id IS NULL", by.feature_id, `feature "${by.feature_id}"`]
      : by.issue_number !== undefined
      ? ["issue_number = ?", by.issue_number, `issue #${by.issue_number}`]
      : ["0", 0, "nothing"];
    if (what === "nothing") {
      return yield* Effect.fail(AppError.validation(
        "No link was named.",
        "Pass one of link_id, task_id, feature_id or issue_number.",
      ));
    }
    const rows = yield* db.query(`SELECT * FROM feature_issue_links WHERE config_id = ? AND ${where}`, [
      cfg.config_id,
      arg as string | number,
    ]);
    if (rows.length === 0) {
      return yield* Effect.fail(AppError.notFound(
        `No link for ${what} in ${cfg.platform}:${cfg.repository}.`,
        `Create one with {action:"create_issue"} or {action:"link_task"}; {action:"status"} lists links.`,
      ));
    }
    return rowToLinkState(rows[0]!);
  });

/** The link as tools return it. */
export function linkOut(link: LinkState): Link {
  return {
    link_id: link.link_id,
    feature_id: link.feature_id,
    task_id: link.task_id,
    platform: link.platform,
    repository: link.repository,
    issue_number: link.issue_number,
    issue_url: link.issue_url,
    sync_status: link.sync_status,
    last_synced: link.last_synced,
  };
}

/** A link re-read after changes. */
export const reloadLink = (linkId: number): Effect.Effect<LinkState | undefined, never, Db> =>
  Db.use((db) => db.query("SELECT * FROM feature_issue_links WHERE id = ?", [linkId])).pipe(
    Effect.map((rows) => (rows[0] === undefined ? undefined : rowToLinkState(rows[0]))),
  );

/** Plain JSON of a run summary. */
export function runOut(run: RunSummary): RunSummary & { errors: string[] } {
  return { ...run, errors: [...run.errors] };
}

/** The task or feature a call names (NOT_FOUND naming the id when it does not exist). */
export const loadLocalItem = (
  by: { readonly task_id?: string; readonly feature_id?: string },
): Effect.Effect<LocalItem, AppError, Tasks | Features> =>
  Effect.gen(function* () {
    if (by.task_id !== undefined) {
      return { kind: "task", item: yield* Tasks.use((t) => t.get(by.task_id!)) } as LocalItem;
    }
    return { kind: "feature", item: yield* Features.use((f) => f.get(by.feature_id!)) } as LocalItem;
  });
