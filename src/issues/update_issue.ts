/**
 * `update_issue`: push a linked item to its issue now, after applying issue fields to it. The
 * item's change, the milestone to send and the retry of a parked write are one transaction; then a
 * pass sends them, planned against the issue as it is.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { type Link, linkOut } from "../store/links.ts";
import { enqueue, queuedUpdate, unpark } from "../store/outbox.ts";
import { updateItem } from "../sync/items.ts";
import type { RunSummary } from "../sync/run_summary.ts";
import { Sync } from "../sync/service.ts";
import { localSnapshot } from "../sync/snapshots.ts";
import type { IssueFields } from "./create_issue.ts";
import { findLink, type LinkSelector, reloadLink, runOut, type SyncOutcome } from "./links.ts";

/** Input of {@link updateIssue}. */
export interface UpdateIssueInput extends LinkSelector {
  readonly repository?: string;
  readonly platform?: string;
  readonly issue_config?: IssueFields;
}

/** What {@link updateIssue} answers. */
export type UpdateIssueResult = {
  readonly link: Link;
  readonly run: RunSummary;
} & SyncOutcome;

/** Applies issue fields to a linked item and sends it now (see the module documentation). */
export const updateIssue = (
  input: UpdateIssueInput,
): Effect.Effect<UpdateIssueResult, AppError, Db | Configs | Sync> =>
  Effect.gen(function* () {
    const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
    const link = yield* findLink(cfg, input);
    const fields: IssueFields = input.issue_config ?? {};
    const db = yield* Db;
    yield* db.transaction(Effect.gen(function* () {
      const item = yield* updateItem(
        link.task_id !== null
          ? { kind: "task", id: link.task_id }
          : { kind: "feature", id: link.feature_id! },
        {
          ...(fields.title !== undefined ? { title: fields.title } : {}),
          ...(fields.body !== undefined ? { body: fields.body } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
          ...(fields.assignees !== undefined ? { assignees: fields.assignees } : {}),
        },
        { bySync: false },
      );
      yield* unpark(cfg.config_id, link.link_id);
      if (fields.milestone !== undefined && link.issue_number !== null) {
        // Added to the queued update, if there is one (a new revision: a send of the old one in
        // flight records nothing over it); the pass plans the rest again.
        const queued = yield* queuedUpdate(link.link_id);
        yield* enqueue(cfg.config_id, link.link_id, {
          kind: "update",
          payload: {
            patch: { ...(queued?.patch ?? {}), milestone: fields.milestone },
            fields: queued?.fields ?? [],
            local: queued?.local ?? localSnapshot(item),
            local_version: queued?.local_version ?? item.item.version,
          },
        });
      }
    }));
    const result = yield* Sync.use((s) => s.pass(cfg.config_id));
    if (result.error !== undefined) return yield* Effect.fail(result.error);
    const after = yield* reloadLink(link.link_id);
    return {
      link: linkOut(after),
      run: runOut(result.run),
      sync_status: after.sync_status === "synced"
        ? "synced" as const
        : after.sync_status === "failed"
        ? "failed" as const
        : "pending" as const,
      ...(result.run.errors.length > 0 ? { reason: result.run.errors.join(" ") } : {}),
    };
  });
