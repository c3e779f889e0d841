/**
 * `link_task` and `unlink`: tie an existing issue to a task or feature, or untie it.
 *
 * @module
 */
import { Effect, Option, Schema } from "effect";
import { Db } from "../../../store/db.ts";
import { Configs } from "../../../store/configs.ts";
import { AppError } from "../../../domain/errors.ts";
import { nowIso } from "../../../domain/ids.ts";
import type { Snapshot } from "../../../domain/merge.ts";
import { Forges } from "../../../forges/forges.ts";
import { Sync } from "../../../sync/service.ts";
import { saveBase } from "../../../sync/state.ts";
import { localSnapshot, remoteSnapshot } from "../../../sync/snapshots.ts";
import { toAppError } from "../../../platform/to_app_error.ts";
import { readRepository } from "../../../platform/repository_input.ts";
import { FeatureId, TaskId } from "../../params.ts";
import { action } from "../../tool.ts";
import { findLink, linkOut, loadLocalItem as loadItem, reloadLink, runOut } from "./common.ts";
import { IssueNumber, LinkSelector, Platform, Repository, Url } from "./params.ts";

const opt = Schema.optionalKey;

const EMPTY: Snapshot = { title: "", body: "", status: "", labels: [], assignees: [] };

/** The issue number in an issue URL (`…/issues/12`, `…/-/issues/12`, `…/issues/12/slug`). */
export function issueNumberFromUrl(url: string): number | undefined {
  const match = /\/issues\/(\d+)(?:[/?#]|$)/.exec(url);
  return match === null ? undefined : Number(match[1]);
}

const linkTask = action({
  description:
    "Link an existing issue (issue_number or issue_url) to a task or feature; prefer says which side's " +
    "values win at first (remote by default).",
  params: Schema.Struct({
    task_id: opt(TaskId),
    feature_id: opt(FeatureId),
    issue_number: opt(IssueNumber),
    issue_url: opt(Url),
    repository: opt(Repository),
    platform: opt(Platform),
    prefer: opt(Schema.Literals(["remote", "local"])),
  }),
  run: (input) =>
    Effect.gen(function* () {
      if ((input.task_id === undefined) === (input.feature_id === undefined)) {
        return yield* Effect.fail(AppError.validation(
          "link_task needs exactly one of task_id or feature_id.",
          `Example: {action:"link_task", task_id:"task_…", issue_number: 12}.`,
        ));
      }
      let repository = input.repository;
      let number = input.issue_number;
      const forges = yield* Forges;
      const configs = yield* Configs;
      if (input.issue_url !== undefined) {
        const fromUrl = issueNumberFromUrl(input.issue_url);
        if (fromUrl === undefined) {
          return yield* Effect.fail(AppError.validation(
            `issue_url "${input.issue_url.slice(0, 200)}" does not name an issue.`,
            "Give the issue's web address, e.g. https://github.com/owner/repo/issues/12, or issue_number.",
          ));
        }
        if (number !== undefined && number !== fromUrl) {
          return yield* Effect.fail(AppError.validation(
            `issue_number ${number} and issue_url (issue ${fromUrl}) disagree.`,
            "Pass one of them.",
          ));
        }
        number = fromUrl;
        if (repository === undefined) {
          for (const c of yield* configs.list()) {
            const plugin = yield* forges.plugin(c.platform);
            const parsed = readRepository(plugin, input.issue_url, "issue_url");
            if (parsed.ok && parsed.repo.path.toLowerCase() === c.repository.toLowerCase()) {
              repository = c.repository;
            }
          }
          if (repository === undefined) {
            return yield* Effect.fail(AppError.notConfigured(
              `issue_url "${input.issue_url.slice(0, 200)}" belongs to no configured repository.`,
              `Configure its repository first with {action:"configure"}.`,
            ));
          }
        }
      }
      if (number === undefined) {
        return yield* Effect.fail(AppError.validation(
          "link_task needs issue_number or issue_url.",
          `Example: {action:"link_task", task_id:"task_…", issue_number: 12}.`,
        ));
      }
      const cfg = yield* configs.resolve(repository, input.platform);
      const local = yield* loadItem(input);
      const taken = yield* findLink(
        cfg,
        input.task_id !== undefined ? { task_id: input.task_id } : {
          feature_id: input.feature_id!,
        },
      ).pipe(Effect.option);
      if (Option.isSome(taken)) {
        return yield* Effect.fail(AppError.conflict(
          `${
            local.kind === "task" ? "Task" : "Feature"
          } is already linked to issue #${taken.value.issue_number} ` +
            `in ${cfg.repository}.`,
          `Unlink it first with {action:"unlink"}.`,
        ));
      }
      const other = yield* findLink(cfg, { issue_number: number }).pipe(Effect.option);
      if (Option.isSome(other)) {
        return yield* Effect.fail(AppError.conflict(
          `Issue #${number} of ${cfg.repository} is already linked to ${
            other.value.task_id ?? other.value.feature_id
          }.`,
          `Unlink it first with {action:"unlink", issue_number:${number}}.`,
        ));
      }
      const forge = yield* forges.connect(cfg);
      const found = yield* forge.client.getIssue(forge.repo, number).pipe(Effect.mapError(toAppError));
      if (Option.isNone(found)) {
        return yield* Effect.fail(AppError.notFound(
          `Issue #${number} does not exist in ${cfg.platform}:${cfg.repository}.`,
          'Check the number, or create the issue with {action:"create_issue"}.',
        ));
      }
      const issue = found.value;
      const db = yield* Db;
      const snapshot = localSnapshot(local);
      const prefer = input.prefer ?? "remote";
      const linkId = yield* db.write(async (tx) => {
        const inserted = await tx.execute(
          `INSERT INTO feature_issue_links (feature_id, task_id, platform, repository, issue_number, issue_url,
             issue_id, sync_status, config_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          [
            local.kind === "feature" ? local.item.feature_id : null,
            local.kind === "task" ? local.item.task_id : null,
            cfg.platform,
            cfg.repository,
            issue.number,
            issue.url,
            issue.id,
            cfg.config_id,
            nowIso(),
          ],
        );
        const linkId = Number(inserted.lastInsertRowid);
        // The preferred side looks changed against an empty base, so the first pass copies it over.
        await saveBase(
          tx,
          linkId,
          prefer === "remote"
            ? { local: snapshot, remote: EMPTY }
            : { local: EMPTY, remote: remoteSnapshot(issue) },
          -1,
          issue.updated_at,
        );
        return linkId;
      });
      const result = yield* Sync.use((s) => s.pass(cfg.config_id));
      const after = (yield* reloadLink(linkId))!;
      return { link: linkOut(after), run: runOut(result.run) };
    }),
});

const unlink = action({
  destructive: true,
  description:
    "Remove a link (by link_id, task_id, feature_id or issue_number); the issue and the item stay as they are.",
  params: Schema.Struct(LinkSelector),
  run: (input) =>
    Effect.gen(function* () {
      const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
      const link = yield* findLink(cfg, input);
      const db = yield* Db;
      yield* db.batch([
        { sql: "DELETE FROM sync_outbox WHERE link_id = ?", args: [link.link_id] },
        { sql: "DELETE FROM sync_conflicts WHERE link_id = ?", args: [link.link_id] },
        { sql: "DELETE FROM sync_bases WHERE link_id = ?", args: [link.link_id] },
        { sql: "DELETE FROM feature_issue_links WHERE id = ?", args: [link.link_id] },
      ]);
      return { unlinked: linkOut(link) };
    }),
});

/** The link_task and unlink actions. */
export { linkTask, unlink };
