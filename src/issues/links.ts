/**
 * What the actions of this folder share: finding the link a call names, making a new one, reading
 * it back after the action, and the shapes of their answers.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import type { RepoConfig } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { findLink as findStored, linkById, type LinkKey, type LinkState } from "../store/links.ts";
import type { NewLink } from "../store/link_writes.ts";
import type { RunSummary } from "../sync/run_summary.ts";
import type { LocalItem } from "../sync/snapshots.ts";

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
    const [key, what]: [LinkKey, string] | [undefined, undefined] = by.link_id !== undefined
      ? [{ link_id: by.link_id }, `link ${by.link_id}`]
      : by.task_id !== undefined
      ? [{ task_id: by.task_id }, `task "${by.task_id}"`]
      : by.feature_id !== undefined
      ? [{ feature_id: by.feature_id }, `feature "${by.feature_id}"`]
      : by.issue_number !== undefined
      ? [{ issue_number: by.issue_number }, `issue #${by.issue_number}`]
      : [undefined, undefined];
    if (key === undefined) {
      return yield* Effect.fail(AppError.validation(
        "No link was named.",
        "Pass one of link_id, task_id, feature_id or issue_number.",
      ));
    }
    const found = yield* Db.use((db) => db.reading(findStored(cfg.config_id, key)));
    if (found === undefined) {
      return yield* Effect.fail(AppError.notFound(
        `No link for ${what} in ${cfg.platform}:${cfg.repository}.`,
        `Create one with {action:"create_issue"} or {action:"link_task"}; {action:"status"} lists links.`,
      ));
    }
    return found;
  });

/** A link re-read after changes (it exists: the action made or found it, and nothing deletes it). */
export const reloadLink = (linkId: number): Effect.Effect<LinkState, AppError, Db> =>
  Db.use((db) => db.reading(linkById(linkId))).pipe(
    Effect.flatMap((link) =>
      link === undefined
        ? Effect.die(new Error(`link ${linkId} vanished during the action`))
        : Effect.succeed(link)
    ),
  );

/** Plain JSON of a run summary. */
export function runOut(run: RunSummary): RunSummary & { errors: string[] } {
  return { ...run, errors: [...run.errors] };
}

/** Reports progress of a long action: `done` grows; `total` is left out while it is not known. */
export type Progress = (done: number, total: number | undefined, message?: string) => Effect.Effect<void>;

/** The link of `local` in `cfg`'s repository, to insert (with its issue when that exists already). */
export function newLink(cfg: RepoConfig, local: LocalItem, issue?: NewLink["issue"]): NewLink {
  return {
    config_id: cfg.config_id,
    platform: cfg.platform,
    repository: cfg.repository,
    feature_id: local.kind === "feature" ? local.item.feature_id : null,
    task_id: local.kind === "task" ? local.item.task_id : null,
    ...(issue !== undefined ? { issue } : {}),
  };
}

/** How an action that sent (or queued) remote work went: synced, or pending or failed with why. */
export type SyncOutcome = {
  readonly sync_status: "synced" | "pending" | "failed";
  readonly reason?: string;
};
