/**
 * The links a pass looks at, and their rows. Selection and loading are separate: a pass selects
 * before its apply transaction (cheap), and loads the rows of the selected links inside it, so that
 * it plans against exactly the state it writes — a local edit committed while the pass pulled is
 * planned with, never overwritten nor forgotten. (An item edited after the selection that was not
 * selected stays changed, and the next pass takes it.)
 *
 * @module
 */

import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { RepoConfig } from "../store/configs.ts";
import { featuresByIds } from "../store/features.ts";
import { queuedUpdatesOf } from "../store/outbox.ts";
import type { SqlRead } from "../store/sql.ts";
import { linksWithBases, selectLinkIds } from "../store/sync_selection.ts";
import { tasksByIds } from "../store/tasks.ts";
import type { RemoteIssue } from "../platform/types.ts";
import type { LocalItem } from "./snapshots.ts";
import type { Candidate } from "./plan.ts";

/**
 * The links of a configuration a pass must plan: those whose item changed locally (marked in
 * `sync_dirty` by triggers on every version change), whose issue was listed (`listed` issue
 * numbers), or whose update is queued — each found by an index, so a pass costs what changed, not
 * what is linked. Links without an issue or a base are left out; so are archived tasks, when loaded.
 */
export const selectCandidates = (
  cfg: RepoConfig,
  listed: readonly number[],
): Effect.Effect<number[], AppError, SqlRead> => selectLinkIds(cfg.config_id, listed);

/**
 * The rows of the given links as candidates: link, merge base, local item, the listed issue (when
 * `changed` has it, and it is not older than what the base already records) and the queued update.
 */
export const loadCandidates = (
  ids: readonly number[],
  changed: ReadonlyMap<number, RemoteIssue>,
): Effect.Effect<Candidate[], AppError, SqlRead> =>
  Effect.gen(function* () {
    if (ids.length === 0) return [];
    const links = yield* linksWithBases(ids);
    const queued = new Map((yield* queuedUpdatesOf(ids)).map((q) => [q.link_id, q]));
    const taskIds = links.map((l) => l.link.task_id).filter((x): x is string => x !== null);
    const featureIds = links.filter((l) => l.link.task_id === null).map((l) => l.link.feature_id!);
    const tasks = new Map((yield* tasksByIds(taskIds)).map((t) => [t.task_id, t]));
    const features = new Map((yield* featuresByIds(featureIds)).map((f) => [f.feature_id, f]));
    return links.flatMap(({ link, base }): Candidate[] => {
      const local: LocalItem | undefined = link.task_id !== null
        ? (tasks.has(link.task_id) ? { kind: "task", item: tasks.get(link.task_id)! } : undefined)
        : (features.has(link.feature_id!)
          ? { kind: "feature", item: features.get(link.feature_id!)! }
          : undefined);
      if (local === undefined || (local.kind === "task" && local.item.status === "archived")) return [];
      const listed = changed.get(link.issue_number!);
      // A listing older than the base (another pass recorded a newer state) tells nothing new.
      const stale = listed !== undefined && base.remote_updated_at !== null &&
        Date.parse(listed.updated_at) < Date.parse(base.remote_updated_at);
      const write = queued.get(link.link_id);
      return [{
        link,
        base,
        local,
        remote: stale ? undefined : listed,
        ...(write !== undefined ? { queued: write.payload } : {}),
        ...(write !== undefined && write.not_before !== null ? { inFlightUntil: write.not_before } : {}),
        ...(write?.status === "parked" ? { parked: true } : {}),
      }];
    });
  });
