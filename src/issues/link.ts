/**
 * `link_task` and `unlink`: tie an existing issue to a task or feature, or untie it (the issue and
 * the item stay as they are).
 *
 * @module
 */
import { Effect, Option } from "effect";
import { AppError } from "../domain/errors.ts";
import type { Snapshot } from "../domain/merge.ts";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { Features } from "../store/features.ts";
import { type Link, linkOut } from "../store/links.ts";
import { deleteLink, insertLink } from "../store/link_writes.ts";
import { saveBase } from "../store/sync_bases.ts";
import { Tasks } from "../store/tasks.ts";
import { Forges } from "../forges/forges.ts";
import { readRepository } from "../platform/repository_input.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { RunSummary } from "../sync/run_summary.ts";
import { Sync } from "../sync/service.ts";
import { type LocalItem, localSnapshot, remoteSnapshot } from "../sync/snapshots.ts";
import { findLink, type LinkSelector, newLink, reloadLink, runOut } from "./links.ts";

const EMPTY: Snapshot = { title: "", body: "", status: "", labels: [], assignees: [] };

/** The issue number in an issue URL (`…/issues/12`, `…/-/issues/12`, `…/issues/12/slug`). */
export function issueNumberFromUrl(url: string): number | undefined {
  const match = /\/issues\/(\d+)(?:[/?#]|$)/.exec(url);
  return match === null ? undefined : Number(match[1]);
}

/** Input of {@link linkTask}. */
export interface LinkTaskInput {
  readonly task_id?: string;
  readonly feature_id?: string;
  readonly issue_number?: number;
  readonly issue_url?: string;
  readonly repository?: string;
  readonly platform?: string;
  /** Which side's values win at first (remote by default). */
  readonly prefer?: "remote" | "local";
}

/** The task or feature a call names (NOT_FOUND naming the id when it does not exist). */
const loadItem = (
  by: { readonly task_id?: string; readonly feature_id?: string },
): Effect.Effect<LocalItem, AppError, Tasks | Features> =>
  by.task_id !== undefined
    ? Tasks.use((t) => t.get(by.task_id!)).pipe(Effect.map((item): LocalItem => ({ kind: "task", item })))
    : Features.use((f) => f.get(by.feature_id!)).pipe(
      Effect.map((item): LocalItem => ({ kind: "feature", item })),
    );

/** The configured repository an issue URL belongs to, if any. */
const repositoryOfUrl = (url: string): Effect.Effect<string | undefined, AppError, Configs | Forges> =>
  Effect.gen(function* () {
    let repository: string | undefined;
    for (const c of yield* Configs.use((configs) => configs.list())) {
      const plugin = yield* Forges.use((f) => f.plugin(c.platform));
      const parsed = readRepository(plugin, url, "issue_url");
      if (parsed.ok && parsed.repo.path.toLowerCase() === c.repository.toLowerCase()) {
        repository = c.repository;
      }
    }
    return repository;
  });

/** Links an existing issue to a task or feature, then runs a pass that brings the preferred side over. */
export const linkTask = (
  input: LinkTaskInput,
): Effect.Effect<
  { link: Link; run: RunSummary },
  AppError,
  Db | Configs | Forges | Sync | Tasks | Features
> =>
  Effect.gen(function* () {
    if ((input.task_id === undefined) === (input.feature_id === undefined)) {
      return yield* Effect.fail(AppError.validation(
        "link_task needs exactly one of task_id or feature_id.",
        `Example: {action:"link_task", task_id:"task_…", issue_number: 12}.`,
      ));
    }
    let repository = input.repository;
    let number = input.issue_number;
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
        repository = yield* repositoryOfUrl(input.issue_url);
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
    const cfg = yield* Configs.use((c) => c.resolve(repository, input.platform));
    const local = yield* loadItem(input);
    const taken = yield* findLink(
      cfg,
      input.task_id !== undefined ? { task_id: input.task_id } : { feature_id: input.feature_id! },
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
    const forge = yield* Forges.use((f) => f.connect(cfg));
    const found = yield* forge.client.getIssue(forge.repo, number).pipe(Effect.mapError(toAppError));
    if (Option.isNone(found)) {
      return yield* Effect.fail(AppError.notFound(
        `Issue #${number} does not exist in ${cfg.platform}:${cfg.repository}.`,
        'Check the number, or create the issue with {action:"create_issue"}.',
      ));
    }
    const issue = found.value;
    const snapshot = localSnapshot(local);
    const prefer = input.prefer ?? "remote";
    const linkId = yield* Db.use((db) =>
      db.transaction(Effect.gen(function* () {
        const linkId = yield* insertLink(
          newLink(cfg, local, { number: issue.number, url: issue.url, id: issue.id }),
        );
        // The preferred side looks changed against an empty base, so the first pass copies it over.
        yield* saveBase(
          linkId,
          prefer === "remote"
            ? { local: snapshot, remote: EMPTY }
            : { local: EMPTY, remote: remoteSnapshot(issue) },
          -1,
          issue.updated_at,
        );
        return linkId;
      }))
    );
    const result = yield* Sync.use((s) => s.pass(cfg.config_id));
    const after = yield* reloadLink(linkId);
    return { link: linkOut(after), run: runOut(result.run) };
  });

/** Input of {@link unlink}. */
export interface UnlinkInput extends LinkSelector {
  readonly repository?: string;
  readonly platform?: string;
}

/** Removes a link with what the sync keeps for it; the issue and the item stay as they are. */
export const unlink = (input: UnlinkInput): Effect.Effect<{ unlinked: Link }, AppError, Db | Configs> =>
  Effect.gen(function* () {
    const cfg = yield* Configs.use((c) => c.resolve(input.repository, input.platform));
    const link = yield* findLink(cfg, input);
    yield* Db.use((db) => db.transaction(deleteLink(link.link_id)));
    return { unlinked: linkOut(link) };
  });
