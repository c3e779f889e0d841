/**
 * The notes of a release: the parameters that choose them, the changelog entries of its features
 * and tasks, and the Markdown rendered from them, with the forge's generated notes where it offers
 * them.
 *
 * @module
 */
import { Effect, Result } from "effect";
import type { RepoConfig } from "../store/configs.ts";
import type { Db } from "../store/db.ts";
import { AppError } from "../domain/errors.ts";
import { type ConnectedForge, Forges } from "../forges/forges.ts";
import { attempt, reading, type Where } from "./common.ts";
import { type ChangelogEntry, type NotesTemplate, renderChangelog } from "./changelog.ts";
import type { Release } from "../store/releases_repo.ts";
import { type LinkedIssue, type ReleaseItem, releaseItems } from "../store/releases_items.ts";

/** Parameters of the notes of a release. */
export interface NotesInput extends Where {
  readonly release_version: string;
  readonly release_notes_template?: NotesTemplate;
  readonly release_notes?: string;
  readonly tag_name?: string;
  readonly previous_tag?: string;
  readonly ref?: string;
}

/** Checks that the text matches the template (before anything else runs). */
export function checkNotes(input: NotesInput): Effect.Effect<NotesTemplate, AppError> {
  const template = input.release_notes_template ?? "automated";
  if (template !== "automated" && (input.release_notes ?? "").trim() === "") {
    return Effect.fail(AppError.validation(
      `release_notes_template "${template}" needs release_notes, the text written by hand.`,
      'Pass release_notes, or use release_notes_template "automated".',
    ));
  }
  if (template === "automated" && input.release_notes !== undefined) {
    return Effect.fail(AppError.validation(
      'release_notes was given, but release_notes_template "automated" does not use it.',
      'Use release_notes_template "manual" (the text only) or "hybrid" (the text, then the automated notes).',
    ));
  }
  return Effect.succeed(template);
}

/** The changelog entries of a release: its features, and the tasks of theirs that have an issue. */
export function entriesOf(items: readonly ReleaseItem[]): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  const ref = (i: LinkedIssue | undefined) => (i === undefined ? null : { number: i.number, url: i.url });
  for (const item of items) {
    entries.push({
      kind: "feature",
      id: item.feature.feature_id,
      title: item.feature.title,
      labels: item.feature.labels,
      issue: ref(item.issues.find((i) => i.task_id === null)),
    });
    for (const task of item.tasks) {
      const issue = item.issues.find((i) => i.task_id === task.task_id);
      if (issue !== undefined) {
        entries.push({
          kind: "task",
          id: task.task_id,
          title: task.title,
          labels: task.labels,
          issue: ref(issue),
        });
      }
    }
  }
  return entries;
}

/**
 * The notes of a release, with the forge's generated notes where it offers them (connecting to
 * the forge unless `connected` is given); what was left out, and why, is in `warnings`.
 */
export const notesOf = (
  cfg: RepoConfig,
  release: Release,
  input: NotesInput,
  template: NotesTemplate,
  heading: boolean,
  connected?: ConnectedForge,
): Effect.Effect<{ markdown: string; forge_notes: boolean; warnings: string[] }, AppError, Db | Forges> =>
  Effect.gen(function* () {
    const { items } = yield* reading(releaseItems(cfg, release.included_features));
    const warnings: string[] = [];
    let forgeNotes: string | undefined;
    if (template !== "manual") {
      const forge = connected ?? (yield* Forges.use((f) => f.connect(cfg)).pipe(
        Effect.catch((e: AppError) => {
          warnings.push(`The forge's generated notes are left out: ${e.message}`);
          return Effect.succeed(undefined);
        }),
      ));
      if (forge !== undefined) {
        const tag = input.tag_name ?? release.tag_name ?? release.release_version ?? release.milestone_name;
        const generated = yield* attempt(forge.client.generateNotes!(forge.repo, {
          tag,
          ...(input.previous_tag !== undefined ? { previous_tag: input.previous_tag } : {}),
          ...(input.ref !== undefined ? { ref: input.ref } : {}),
        }));
        if (Result.isSuccess(generated)) forgeNotes = generated.success;
        else if (generated.failure.reason !== "Unsupported") {
          warnings.push(`${forge.plugin.name}'s generated notes are left out: ${generated.failure.message}`);
        }
      }
    }
    const markdown = renderChangelog({
      version: release.release_version ?? release.milestone_name,
      date: release.target_date,
      template,
      entries: entriesOf(items),
      ...(input.release_notes !== undefined ? { manual: input.release_notes } : {}),
      ...(forgeNotes !== undefined ? { forgeNotes } : {}),
      heading,
    });
    return { markdown, forge_notes: forgeNotes !== undefined, warnings };
  });
