/**
 * The local side of a link as a {@link LocalItem}: read by id or by link, and changed — a task or a
 * feature, whichever the item is. These run inside the caller's transaction (a pass's apply, an
 * issue action), so that the item read is the item written.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import type { Snapshot } from "../domain/merge.ts";
import { findFeature, readFeature, updateFeature } from "../store/features.ts";
import { findTask, readTask, updateTask } from "../store/tasks.ts";
import type { SqlRead, SqlWrite } from "../store/sql.ts";
import { itemId, type LocalItem } from "./snapshots.ts";

/** The item a call names by `task_id` or else `feature_id` (NOT_FOUND naming the id). */
export const readItem = (
  by: { readonly task_id?: string; readonly feature_id?: string },
): Effect.Effect<LocalItem, AppError, SqlRead> =>
  by.task_id !== undefined
    ? readTask(by.task_id).pipe(Effect.map((item): LocalItem => ({ kind: "task", item })))
    : readFeature(by.feature_id!).pipe(Effect.map((item): LocalItem => ({ kind: "feature", item })));

/** The local item a link belongs to, or undefined when it no longer exists. */
export const linkedItem = (
  link: { readonly task_id: string | null; readonly feature_id: string | null },
): Effect.Effect<LocalItem | undefined, AppError, SqlRead> => {
  if (link.task_id !== null) {
    return findTask(link.task_id).pipe(
      Effect.map((item): LocalItem | undefined => item === undefined ? undefined : { kind: "task", item }),
    );
  }
  if (link.feature_id !== null) {
    return findFeature(link.feature_id).pipe(
      Effect.map((item): LocalItem | undefined => item === undefined ? undefined : { kind: "feature", item }),
    );
  }
  return Effect.succeed(undefined);
};

/** The change of an item of `kind` for values in snapshot terms (its own field names). */
export function localPatch(kind: LocalItem["kind"], values: Partial<Snapshot>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (values.title !== undefined) patch.title = values.title;
  if (values.body !== undefined) patch[kind === "task" ? "description" : "specification"] = values.body;
  if (values.status !== undefined) patch.status = values.status;
  if (values.labels !== undefined) patch.labels = values.labels;
  if (values.assignees !== undefined && kind === "task") patch.assignee = values.assignees[0] ?? null;
  return patch;
}

/** Which item: a task or a feature, by id. */
export type ItemRef = { readonly kind: LocalItem["kind"]; readonly id: string };

/** The reference of a local item. */
export const refOf = (local: LocalItem): ItemRef => ({ kind: local.kind, id: itemId(local) });

/**
 * Changes a local item by values in snapshot terms: a remote-driven change (`bySync`, past the
 * transition rules), or a person's (`bySync` false: the rules hold). Returns the item as written
 * (unchanged, with its version, when the values change nothing).
 */
export const updateItem = (
  ref: ItemRef,
  values: Partial<Snapshot>,
  options: { readonly bySync: boolean },
): Effect.Effect<LocalItem, AppError, SqlRead | SqlWrite> => {
  const patch = localPatch(ref.kind, values);
  return ref.kind === "task"
    ? updateTask(ref.id, patch, options).pipe(Effect.map((item): LocalItem => ({ kind: "task", item })))
    : updateFeature(ref.id, patch, options).pipe(
      Effect.map((item): LocalItem => ({ kind: "feature", item })),
    );
};
