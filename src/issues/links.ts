/**
 * Finding the link an issue action names, and reading it back after the action: shared by the
 * actions of this folder.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import type { RepoConfig } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { findLink as findStored, linkById, type LinkKey, type LinkState } from "../store/links.ts";
import type { RunSummary } from "../sync/run_summary.ts";

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
