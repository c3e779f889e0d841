/**
 * `resolve_conflict`: settle a recorded conflict — "local" pushes the local value, "remote" takes the
 * issue's, "value" sets both to a value. One transaction: the conflict still open, the item as it is
 * now, its change, the new base, the queued push and the resolution — no pass can come between them.
 * The push is then planned again by a pass against the issue as it is.
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import { FEATURE_STATUSES } from "../domain/feature.ts";
import type { ScalarField } from "../domain/merge.ts";
import { TASK_STATUSES } from "../domain/task.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { conflictById, type ConflictRecord, markResolved } from "../store/conflicts.ts";
import { Db } from "../store/db.ts";
import { type Link, linkById, linkOut, type LinkState } from "../store/links.ts";
import { enqueue, hasPendingWrite } from "../store/outbox.ts";
import type { SqlRead, SqlWrite } from "../store/sql.ts";
import { loadBase, saveBase } from "../store/sync_bases.ts";
import { Forges } from "../forges/forges.ts";
import type { PlatformPlugin, RemoteStatus } from "../platform/types.ts";
import { linkedItem, refOf, updateItem } from "../sync/items.ts";
import { Sync } from "../sync/service.ts";
import { conversions, localSnapshot } from "../sync/snapshots.ts";
import { reloadLink, type SyncOutcome } from "./links.ts";

/** Input of {@link resolveConflict}. */
export interface ResolveConflictInput {
  readonly conflict_id: number;
  readonly resolution: "local" | "remote" | "value";
  /** The value both sides take, with resolution "value". */
  readonly value?: string;
}

/** What {@link resolveConflict} answers. */
export type ResolveConflictResult = {
  readonly conflict: ConflictRecord;
  readonly link: Link;
} & SyncOutcome;

const alreadyResolved = (conflict: { conflict_id: number; resolution: string | null | undefined }) =>
  AppError.conflict(
    `Conflict ${conflict.conflict_id} is already resolved (${conflict.resolution}).`,
    "Nothing to do; status lists the open ones.",
  );

/** The transaction of a resolution; true when the chosen value must be pushed to the issue. */
const settle = (
  input: ResolveConflictInput,
  conflict: ConflictRecord,
  link: LinkState,
  cfg: RepoConfig,
  plugin: PlatformPlugin,
): Effect.Effect<boolean, AppError, SqlRead | SqlWrite> =>
  Effect.gen(function* () {
    const open = yield* conflictById(conflict.conflict_id);
    if (open?.status !== "open") {
      return yield* Effect.fail(
        alreadyResolved({ conflict_id: conflict.conflict_id, resolution: open?.resolution }),
      );
    }
    const item = yield* linkedItem(link);
    if (item === undefined) {
      return yield* Effect.fail(
        AppError.notFound("The conflict's item no longer exists.", "Unlink the issue."),
      );
    }
    const field = conflict.field as ScalarField;
    const snapshot = localSnapshot(item);
    const convert = conversions(item, cfg.issue_template, plugin);
    // The local value after resolution.
    const chosen = input.resolution === "local"
      ? snapshot[field]
      : input.resolution === "remote"
      ? convert.toLocal(field, conflict.remote_value, snapshot[field], snapshot)
      : input.value!;
    if (field === "status") {
      const valid: readonly string[] = item.kind === "task" ? TASK_STATUSES : FEATURE_STATUSES;
      if (!valid.includes(chosen)) {
        return yield* Effect.fail(AppError.validation(
          `value "${chosen.slice(0, 50)}" is not a ${item.kind} status.`,
          `Use one of: ${valid.join(", ")}.`,
        ));
      }
    } else if (field === "title" && (chosen.length === 0 || chosen.length > 255)) {
      return yield* Effect.fail(
        AppError.validation("value must be a title of 1–255 characters.", "Shorten it."),
      );
    }
    const updated = yield* updateItem(refOf(item), { [field]: chosen }, { bySync: true });
    const after = localSnapshot(updated);
    const remoteValue = convert.toRemote(field, chosen, after);
    const push = !convert.sameRemote(field, remoteValue, conflict.remote_value);
    const base = yield* loadBase(link.link_id);
    if (base !== undefined) {
      // The issue's value is acknowledged as the base; when the chosen value differs from it, it
      // reads as a local change that the pass below sends (planned against the issue as it is then,
      // so a newer edit on the forge becomes a new conflict instead of being lost).
      const seen = convert.toLocal(field, conflict.remote_value, chosen, after);
      const local = { ...base.local, [field]: push ? seen : chosen };
      const remote = { ...base.remote, [field]: conflict.remote_value };
      yield* saveBase(link.link_id, { local, remote }, updated.item.version, base.remote_updated_at);
    }
    if (push && link.issue_number !== null) {
      yield* enqueue(cfg.config_id, link.link_id, {
        kind: "update",
        payload: {
          patch: field === "status"
            ? {
              status: remoteValue as RemoteStatus,
              ...(plugin.capabilities.labels && base !== undefined ? { labels: base.remote.labels } : {}),
            }
            : { [field]: remoteValue },
          fields: [field],
          local: after,
          local_version: updated.item.version,
        },
      });
    }
    yield* markResolved(conflict.conflict_id, input.resolution);
    return push;
  });

/** Settles a recorded conflict (see the module documentation). */
export const resolveConflict = (
  input: ResolveConflictInput,
): Effect.Effect<ResolveConflictResult, AppError, Db | Configs | Forges | Sync> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const conflict = yield* db.reading(conflictById(input.conflict_id));
    if (conflict === undefined) {
      return yield* Effect.fail(AppError.notFound(
        `No conflict has id ${input.conflict_id}.`,
        `Call orchestrator_git_integration {action:"status"} to see open conflicts.`,
      ));
    }
    if (conflict.status !== "open") return yield* Effect.fail(alreadyResolved(conflict));
    if (input.resolution === "value" && input.value === undefined) {
      return yield* Effect.fail(AppError.validation(
        'resolution "value" needs value.',
        'Pass value, or use resolution "local" or "remote".',
      ));
    }
    const link = (yield* db.reading(linkById(conflict.link_id)))!;
    const cfg = yield* Configs.use((c) => c.get(link.config_id));
    const plugin = yield* Forges.use((f) => f.plugin(cfg.platform));
    const needsPush = yield* db.transaction(settle(input, conflict, link, cfg, plugin));
    // The queued update is planned again by the pass against the issue as it is now.
    const pass = needsPush ? yield* Sync.use((s) => s.pass(cfg.config_id)) : undefined;
    const resolved = (yield* db.reading(conflictById(conflict.conflict_id)))!;
    const linkAfter = yield* reloadLink(link.link_id);
    const queued = yield* db.reading(hasPendingWrite(link.link_id));
    return {
      conflict: resolved,
      link: linkOut(linkAfter),
      sync_status: linkAfter.sync_status === "failed"
        ? "failed" as const
        : queued
        ? "pending" as const
        : "synced" as const,
      ...(pass !== undefined && pass.run.errors.length > 0 ? { reason: pass.run.errors.join(" ") } : {}),
    };
  });
