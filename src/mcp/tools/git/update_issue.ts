/**
 * `update_issue`: push a linked item to its issue now, after applying issue_config to it.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Db } from "../../../store/db.ts";
import { Configs } from "../../../store/configs.ts";
import { updateFeatureInTx } from "../../../store/features.ts";
import { updateInTx } from "../../../store/tasks.ts";
import { Sync } from "../../../sync/service.ts";
import { enqueue, queuedUpdate, unpark } from "../../../sync/state.ts";
import { type LocalItem, localSnapshot } from "../../../sync/snapshots.ts";
import { action } from "../../tool.ts";
import { findLink, linkOut, reloadLink, runOut } from "./common.ts";
import { IssueConfig, LinkSelector } from "./params.ts";

const opt = Schema.optionalKey;
type IssueFields = typeof IssueConfig.Type;

const updateIssue = action({
  destructive: true,
  description: "Push a linked item to its issue now (after applying issue_config to the item, if given), " +
    "sending again a write the forge refused before; returns the pass that sent it.",
  params: Schema.Struct({ ...LinkSelector, issue_config: opt(IssueConfig) }),
  run: (input) =>
    Effect.gen(function* () {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const link = yield* findLink(cfg, input);
      const fields: IssueFields = input.issue_config ?? {};
      const db = yield* Db;
      // The item's change, the milestone to send and the retry of a parked write: one transaction.
      yield* db.write(async (tx) => {
        const item: LocalItem = link.task_id !== null
          ? {
            kind: "task",
            item: await updateInTx(tx, link.task_id, {
              ...(fields.title !== undefined ? { title: fields.title } : {}),
              ...(fields.body !== undefined ? { description: fields.body } : {}),
              ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
              ...(fields.assignees !== undefined ? { assignee: fields.assignees[0] ?? null } : {}),
            }, {}),
          }
          : {
            kind: "feature",
            item: await updateFeatureInTx(tx, link.feature_id!, {
              ...(fields.title !== undefined ? { title: fields.title } : {}),
              ...(fields.body !== undefined ? { specification: fields.body } : {}),
              ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
            }, {}),
          };
        await unpark(tx, cfg.config_id, link.link_id);
        if (fields.milestone !== undefined && link.issue_number !== null) {
          // Added to the queued update, if there is one (a new revision: a send of the old one in
          // flight records nothing over it); the pass plans the rest again.
          const queued = await queuedUpdate(tx, link.link_id);
          await enqueue(tx, cfg.config_id, link.link_id, "update", {
            patch: { ...(queued?.patch ?? {}), milestone: fields.milestone },
            fields: queued?.fields ?? [],
            local: queued?.local ?? localSnapshot(item),
            local_version: queued?.local_version ?? item.item.version,
          });
        }
      });
      const result = yield* Sync.use((s) => s.pass(cfg.config_id));
      if (result.error !== undefined) return yield* Effect.fail(result.error);
      const after = (yield* reloadLink(link.link_id))!;
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
    }),
});

/** The update_issue action. */
export { updateIssue };
