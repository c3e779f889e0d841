/**
 * `update_issue`: push a linked item to its issue now, after applying issue_config to it.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Db } from "../../../store/db.ts";
import { Configs } from "../../../store/configs.ts";
import { Features } from "../../../store/features.ts";
import { Tasks } from "../../../store/tasks.ts";
import { Sync } from "../../../sync/service.ts";
import { enqueue } from "../../../sync/state.ts";
import { localSnapshot } from "../../../sync/snapshots.ts";
import { action } from "../../tool.ts";
import { findLink, linkOut, loadLocalItem as loadItem, reloadLink, runOut } from "./common.ts";
import { IssueConfig, LinkSelector } from "./params.ts";

const opt = Schema.optionalKey;
type IssueFields = typeof IssueConfig.Type;

const updateIssue = action({
  destructive: true,
  description: "Push a linked item to its issue now (after applying issue_config to the item, if given); " +
    "returns the pass that sent it.",
  params: Schema.Struct({ ...LinkSelector, issue_config: opt(IssueConfig) }),
  run: (input) =>
    Effect.gen(function* () {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const link = yield* findLink(cfg, input);
      const fields: IssueFields = input.issue_config ?? {};
      const item = yield* loadItem(
        link.task_id !== null ? { task_id: link.task_id } : { feature_id: link.feature_id! },
      );
      if (item.kind === "task") {
        const patch = {
          ...(fields.title !== undefined ? { title: fields.title } : {}),
          ...(fields.body !== undefined ? { description: fields.body } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
          ...(fields.assignees !== undefined ? { assignee: fields.assignees[0] ?? null } : {}),
        };
        if (Object.keys(patch).length > 0) yield* Tasks.use((t) => t.update(item.item.task_id, patch));
      } else {
        const patch = {
          ...(fields.title !== undefined ? { title: fields.title } : {}),
          ...(fields.body !== undefined ? { specification: fields.body } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
        };
        if (Object.keys(patch).length > 0) yield* Features.use((f) => f.update(item.item.feature_id, patch));
      }
      if (fields.milestone !== undefined && link.issue_number !== null) {
        const db = yield* Db;
        const snapshot = localSnapshot(item);
        yield* db.write((tx) =>
          enqueue(tx, cfg.config_id, link.link_id, "update", {
            patch: { milestone: fields.milestone },
            fields: [],
            local: snapshot,
            local_version: item.item.version,
          })
        );
      }
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
