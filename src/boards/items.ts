/**
 * The linked items boards deal with: finding the link of a feature, task or issue in a repository
 * (with the errors a caller can act on: the item does not exist, it has no issue yet, its issue is
 * still being created), and loading a board's items with their links and local items.
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { AppError } from "../domain/errors.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import type { RepoConfig } from "../store/configs.ts";
import { Features, rowToFeature } from "../store/features.ts";
import { type Link, rowToLink } from "../store/links.ts";
import { rowToTask, Tasks } from "../store/tasks.ts";
import type { BoardItemRecord } from "./store.ts";
import { boardItems } from "./store.ts";

/** A local item that can be on a board. */
export type BoardLocal =
  | { readonly kind: "task"; readonly item: Task }
  | { readonly kind: "feature"; readonly item: Feature };

/** A link with the forge's id of its issue. */
export interface BoardLink extends Link {
  readonly issue_id: string | null;
}

/** How a call names an item. */
export interface ItemSelector {
  readonly feature_id?: string;
  readonly task_id?: string;
  readonly issue_number?: number;
}

/** The id, title and status of a local item. */
export function describe(
  local: BoardLocal,
): { kind: "feature" | "task"; id: string; title: string; status: string } {
  return local.kind === "task"
    ? { kind: "task", id: local.item.task_id, title: local.item.title, status: local.item.status }
    : { kind: "feature", id: local.item.feature_id, title: local.item.title, status: local.item.status };
}

function rowToBoardLink(row: Record<string, unknown>): BoardLink {
  return {
    ...rowToLink(row),
    issue_id: row.issue_id === null || row.issue_id === undefined ? null : String(row.issue_id),
  };
}

const linkQuery = (cfg: RepoConfig, where: string, arg: string | number) =>
  Db.use((db) =>
    db.query(`SELECT * FROM feature_issue_links WHERE config_id = ? AND ${where} ORDER BY id`, [
      cfg.config_id,
      arg,
    ])
  ).pipe(Effect.map((rows) => (rows[0] === undefined ? undefined : rowToBoardLink(rows[0]))));

/**
 * The link and local item `by` names in a repository. Exactly one of `feature_id`, `task_id` and
 * (when `allowIssue`) `issue_number` must be given.
 */
export const resolveItem = (
  cfg: RepoConfig,
  by: ItemSelector,
  action: string,
  allowIssue: boolean,
): Effect.Effect<{ link: BoardLink; local: BoardLocal }, AppError, Db | Tasks | Features> =>
  Effect.gen(function* () {
    const names = allowIssue ? "feature_id, task_id or issue_number" : "feature_id or task_id";
    const given = [by.feature_id, by.task_id, allowIssue ? by.issue_number : undefined].filter((v) =>
      v !== undefined
    );
    if (given.length !== 1 || (!allowIssue && by.issue_number !== undefined)) {
      return yield* Effect.fail(AppError.validation(
        `${action} needs exactly one of ${names}${
          given.length > 1 ? `, but ${given.length} were given` : ""
        }.`,
        `Example: {action:"${action}", task_id:"task_…"}.`,
      ));
    }
    const where = `${cfg.platform}:${cfg.repository}`;
    let link: BoardLink | undefined;
    let local: BoardLocal;
    if (by.issue_number !== undefined) {
      link = yield* linkQuery(cfg, "issue_number = ?", by.issue_number);
      if (link === undefined) {
        return yield* Effect.fail(AppError.notFound(
          `Issue #${by.issue_number} of ${where} is linked to no feature or task.`,
          `Link it with orchestrator_git_integration {action:"link_task", task_id, issue_number:${by.issue_number}}, ` +
            "or name the item by feature_id or task_id.",
        ));
      }
      local = link.task_id !== null
        ? { kind: "task", item: yield* Tasks.use((t) => t.get(link!.task_id!)) }
        : { kind: "feature", item: yield* Features.use((f) => f.get(link!.feature_id!)) };
    } else if (by.task_id !== undefined) {
      local = { kind: "task", item: yield* Tasks.use((t) => t.get(by.task_id!)) };
      link = yield* linkQuery(cfg, "task_id = ?", by.task_id);
    } else {
      local = { kind: "feature", item: yield* Features.use((f) => f.get(by.feature_id!)) };
      link = yield* linkQuery(cfg, "feature_id = ? AND task_id IS NULL", by.feature_id!);
    }
    const { kind, id, title } = describe(local);
    if (link === undefined) {
      return yield* Effect.fail(AppError.notFound(
        `${kind === "task" ? "Task" : "Feature"} "${id}" ("${
          title.slice(0, 80)
        }") has no issue in ${where}, ` +
          "so it cannot go on a board.",
        `Create its issue first: orchestrator_git_integration {action:"create_issue", ${kind}_id:"${id}"} ` +
          `(or link an existing one with {action:"link_task"}), then call ${action} again.`,
      ));
    }
    if (link.issue_number === null) {
      return yield* Effect.fail(AppError.conflict(
        `The issue of ${kind} "${id}" is still being created in ${where} (sync_status ${link.sync_status}).`,
        `Run orchestrator_git_integration {action:"sync_status"} so that the issue is made, then call ${action} again.`,
      ));
    }
    return { link, local };
  });

/** A board item with its link and local item (undefined when the link is gone). */
export interface LoadedItem {
  readonly record: BoardItemRecord;
  readonly link: BoardLink;
  readonly local: BoardLocal | undefined;
}

/** Every item of a board whose link still exists, with its local item. */
export const loadItems = (boardId: number): Effect.Effect<LoadedItem[], never, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const records = yield* boardItems(boardId);
    if (records.length === 0) return [];
    const links = new Map(
      (yield* db.query(
        "SELECT * FROM feature_issue_links WHERE id IN (SELECT link_id FROM board_items WHERE board_id = ?)",
        [boardId],
      )).map((row) => [Number(row.id), rowToBoardLink(row)]),
    );
    const locals = yield* loadLocals([...links.values()]);
    return records.flatMap((record) => {
      const link = links.get(record.link_id);
      if (link === undefined) return [];
      return [{ record, link, local: locals.get(link.link_id) }];
    });
  });

/** The local items of links, by link id. */
export const loadLocals = (links: readonly BoardLink[]): Effect.Effect<Map<number, BoardLocal>, never, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const taskIds = links.flatMap((l) => (l.task_id === null ? [] : [l.task_id]));
    const featureIds = links.flatMap((
      l,
    ) => (l.task_id === null && l.feature_id !== null ? [l.feature_id] : []));
    const tasks = new Map(
      taskIds.length === 0 ? [] : (yield* db.query(
        "SELECT * FROM tasks WHERE task_id IN (SELECT value FROM json_each(?))",
        [JSON.stringify(taskIds)],
      )).map((row) => [String(row.task_id), rowToTask(row)]),
    );
    const features = new Map(
      featureIds.length === 0 ? [] : (yield* db.query(
        "SELECT * FROM features WHERE feature_id IN (SELECT value FROM json_each(?))",
        [JSON.stringify(featureIds)],
      )).map((row) => [String(row.feature_id), rowToFeature(row)]),
    );
    const out = new Map<number, BoardLocal>();
    for (const link of links) {
      if (link.task_id !== null) {
        const task = tasks.get(link.task_id);
        if (task !== undefined) out.set(link.link_id, { kind: "task", item: task });
      } else if (link.feature_id !== null) {
        const feature = features.get(link.feature_id);
        if (feature !== undefined) out.set(link.link_id, { kind: "feature", item: feature });
      }
    }
    return out;
  });

/** The links of a repository by issue number. */
export const linksByIssue = (cfg: RepoConfig): Effect.Effect<Map<number, BoardLink>, never, Db> =>
  Db.use((db) =>
    db.query("SELECT * FROM feature_issue_links WHERE config_id = ? AND issue_number IS NOT NULL", [
      cfg.config_id,
    ])
  ).pipe(Effect.map((rows) => new Map(rows.map((r) => [Number(r.issue_number), rowToBoardLink(r)]))));
