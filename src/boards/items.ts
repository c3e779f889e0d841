/**
 * The linked items boards deal with: finding the link of a feature, task or issue in a repository
 * (with the errors a caller can act on: the item does not exist, it has no issue yet, its issue is
 * still being created), and loading a board's items with their links and local items.
 *
 * @module
 */
import { Effect } from "effect";
import type { Db } from "../store/db.ts";
import { AppError } from "../domain/errors.ts";
import type { Feature } from "../domain/feature.ts";
import type { Task } from "../domain/task.ts";
import type { RepoConfig } from "../store/configs.ts";
import { Features } from "../store/features.ts";
import { Tasks } from "../store/tasks.ts";
import { type BoardItemRecord, boardItems } from "../store/boards_repo.ts";
import { type BoardLink, linksOnBoard, tasksById } from "../store/boards_links.ts";
import { findLink } from "../store/links.ts";
import { featuresById } from "../store/releases_items.ts";
import { reading } from "./records.ts";

export type { BoardLink };

/** A local item that can be on a board. */
export type BoardLocal =
  | { readonly kind: "task"; readonly item: Task }
  | { readonly kind: "feature"; readonly item: Feature };

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
      link = yield* reading(findLink(cfg.config_id, { issue_number: by.issue_number }));
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
      link = yield* reading(findLink(cfg.config_id, { task_id: by.task_id }));
    } else {
      local = { kind: "feature", item: yield* Features.use((f) => f.get(by.feature_id!)) };
      link = yield* reading(findLink(cfg.config_id, { feature_id: by.feature_id! }));
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
export const loadItems = (boardId: number): Effect.Effect<LoadedItem[], AppError, Db> =>
  reading(Effect.gen(function* () {
    const records = yield* boardItems(boardId);
    if (records.length === 0) return [];
    const links = new Map((yield* linksOnBoard(boardId)).map((l) => [l.link_id, l]));
    const locals = yield* localsOf([...links.values()]);
    return records.flatMap((record) => {
      const link = links.get(record.link_id);
      if (link === undefined) return [];
      return [{ record, link, local: locals.get(link.link_id) }];
    });
  }));

/** The local items of links, by link id (a statement: run it with `reading`). */
const localsOf = (links: readonly BoardLink[]) =>
  Effect.gen(function* () {
    const tasks = yield* tasksById(links.flatMap((l) => (l.task_id === null ? [] : [l.task_id])));
    const features = yield* featuresById(
      links.flatMap((l) => (l.task_id === null && l.feature_id !== null ? [l.feature_id] : [])),
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

/** The local items of links, by link id. */
export const loadLocals = (
  links: readonly BoardLink[],
): Effect.Effect<Map<number, BoardLocal>, AppError, Db> => reading(localsOf(links));
