/**
 * The links a pass looks at, and their rows. Selection and loading are separate: a pass selects
 * before its apply transaction (cheap), and loads the rows of the selected links inside it, so that
 * it plans against exactly the state it writes — a local edit committed while the pass pulled is
 * planned with, never overwritten nor forgotten. (An item edited after the selection that was not
 * selected stays changed, and the next pass takes it.)
 *
 * @module
 */
import type { RepoConfig } from "../store/configs.ts";
import type { Tx } from "../store/db.ts";
import { rowToTask } from "../store/tasks.ts";
import { rowToFeature } from "../store/features.ts";
import type { RemoteIssue } from "../platform/types.ts";
import type { LocalItem } from "./snapshots.ts";
import type { Candidate } from "./plan.ts";
import { type Rows, rowToBase, rowToLinkState, type UpdatePayload } from "./state.ts";

/**
 * The links of a configuration a pass must plan: those whose item changed locally (marked in
 * `sync_dirty` by triggers on every version change), whose issue was listed (`listed` issue
 * numbers), or whose update is queued — each found by an index, so a pass costs what changed, not
 * what is linked. Links without an issue or a base are left out; so are archived tasks, when loaded.
 */
export async function selectCandidates(
  rows: Rows,
  cfg: RepoConfig,
  listed: readonly number[],
): Promise<number[]> {
  const found = await rows<{ id: number }>(
    `SELECT l.id FROM feature_issue_links l JOIN sync_bases b ON b.link_id = l.id
      WHERE l.config_id = ? AND l.issue_number IS NOT NULL AND l.id IN (
        SELECT link_id FROM sync_dirty
        UNION SELECT id FROM feature_issue_links
               WHERE config_id = ? AND issue_number IN (SELECT value FROM json_each(?))
        UNION SELECT link_id FROM sync_outbox WHERE config_id = ? AND status = 'pending' AND kind = 'update')`,
    [cfg.config_id, cfg.config_id, JSON.stringify(listed), cfg.config_id],
  );
  return found.map((r) => Number(r.id));
}

/** The issue numbers among `numbers` that are linked in a configuration. */
export async function linkedAmong(
  rows: Rows,
  configId: number,
  numbers: readonly number[],
): Promise<Set<number>> {
  if (numbers.length === 0) return new Set();
  const found = await rows<{ n: number }>(
    `SELECT issue_number AS n FROM feature_issue_links
      WHERE config_id = ? AND issue_number IN (SELECT value FROM json_each(?))`,
    [configId, JSON.stringify(numbers)],
  );
  return new Set(found.map((r) => Number(r.n)));
}

/**
 * Inside the apply transaction: the selected links whose base has caught up with their item (or
 * whose task is archived) are no longer changed locally.
 */
export async function clearDirty(tx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(
    `DELETE FROM sync_dirty WHERE link_id IN (
       SELECT l.id FROM feature_issue_links l JOIN sync_bases b ON b.link_id = l.id
         LEFT JOIN tasks t ON t.task_id = l.task_id
         LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
        WHERE l.id IN (SELECT value FROM json_each(?))
          AND (COALESCE(t.version, f.version) = b.local_version OR t.status = 'archived'))`,
    [JSON.stringify(ids)],
  );
}

/**
 * The rows of the given links as candidates: link, merge base, local item, the listed issue (when
 * `changed` has it, and it is not older than what the base already records) and the queued update.
 */
export async function loadCandidates(
  rows: Rows,
  ids: readonly number[],
  changed: ReadonlyMap<number, RemoteIssue>,
): Promise<Candidate[]> {
  if (ids.length === 0) return [];
  const idList = JSON.stringify(ids);
  const found = await rows(
    `SELECT l.*, b.local_version, b.local, b.remote, b.remote_updated_at
       FROM feature_issue_links l JOIN sync_bases b ON b.link_id = l.id
      WHERE l.id IN (SELECT value FROM json_each(?)) AND l.issue_number IS NOT NULL`,
    [idList],
  );
  const queued = new Map(
    (await rows(
      `SELECT link_id, payload, not_before, status FROM sync_outbox
        WHERE link_id IN (SELECT value FROM json_each(?)) AND kind = 'update' AND status IN ('pending', 'parked')`,
      [idList],
    )).map((r) => [Number(r.link_id), {
      payload: JSON.parse(String(r.payload)) as UpdatePayload,
      notBefore: r.not_before === null ? undefined : String(r.not_before),
      parked: r.status === "parked",
    }]),
  );
  const links = found.map((r) => ({ link: rowToLinkState(r), base: rowToBase({ ...r, link_id: r.id }) }));
  const taskIds = links.map((l) => l.link.task_id).filter((x): x is string => x !== null);
  const featureIds = links.filter((l) => l.link.task_id === null).map((l) => l.link.feature_id!);
  const tasks = new Map(
    (taskIds.length === 0
      ? []
      : await rows("SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))", [
        JSON.stringify(taskIds),
      ]))
      .map((r) => [String(r.task_id), rowToTask(r)]),
  );
  const features = new Map(
    (featureIds.length === 0 ? [] : await rows(
      "SELECT * FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
      [JSON.stringify(featureIds)],
    )).map((r) => [String(r.feature_id), rowToFeature(r)]),
  );
  return links.flatMap(({ link, base }) => {
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
      ...(write?.notBefore !== undefined ? { inFlightUntil: write.notBefore } : {}),
      ...(write?.parked ? { parked: true } : {}),
    }];
  });
}
