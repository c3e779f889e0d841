/**
 * Release coordination (SPEC §5, `orchestrator_release_coordinator`): plan a release as a platform
 * milestone holding the issues of its features, follow its progress, render its notes, tag it
 * (a release on GitHub and GitLab, a tag on Bitbucket) and close its milestone, or cancel it.
 *
 * What is local and what is remote:
 * - the plan (`release_milestones`), progress and notes are local and answer offline;
 * - `plan_release` creates (or adopts, by title) the milestone and puts each linked issue in it
 *   through the platform client. With the forge down or rate limited, the plan is kept with status
 *   `planning` and the result says `pending`: calling `plan_release` again finishes it, sending only
 *   what is missing (issues already put in the milestone are recorded);
 * - `tag_release` records the tag as soon as the forge has it, so that a second call after a
 *   failure later on does not tag twice; then it closes the milestone where the platform allows,
 *   marks the features completed and runs a sync pass, which closes their issues.
 *
 * @module
 */
import { Effect, Result } from "effect";
import { Db, type Tx } from "../store/db.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import { rowToFeature, updateFeatureInTx } from "../store/features.ts";
import { canTransitionFeature } from "../domain/feature.ts";
import { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import { type ConnectedForge, Forges } from "../sync/forges.ts";
import { Sync } from "../sync/service.ts";
import type { RunSummary } from "../sync/reconcile.ts";
import { isRetryable, type PlatformError } from "../platform/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { RemoteMilestone } from "../platform/types.ts";
import { type ChangelogEntry, type NotesTemplate, renderChangelog } from "./changelog.ts";
import { type FeatureProgress, featureProgress, type ReleaseProgress, releaseProgress } from "./progress.ts";
import {
  findRelease,
  getRelease,
  type LinkedIssue,
  listReleases,
  loadItems,
  type Release,
  type ReleaseItem,
} from "./store.ts";

/** The services release coordination uses. */
export type ReleaseServices = Db | Configs | Forges | Sync;

/** Reports progress (a no-op unless the caller asked for notifications). */
export type Progress = (done: number, total: number, message?: string) => Effect.Effect<void>;

/** Which repository a call is about (optional when only one is configured). */
export interface Where {
  readonly repository?: string;
  readonly platform?: string;
}

const resolve = (where: Where) => Configs.use((c) => c.resolve(where.repository, where.platform));

const quote = (s: string) => `"${s.slice(0, 100)}"`;

/** The platform call as an Effect that always succeeds with its Result. */
const attempt = <A>(effect: Effect.Effect<A, PlatformError>) => Effect.result(effect);

// ---------------------------------------------------------------------------------------------
// plan_release

/** Parameters of {@link planRelease}. */
export interface PlanInput extends Where {
  readonly release_version: string;
  readonly target_date?: string;
  readonly included_features?: readonly string[];
  readonly description?: string;
}

/** An issue of a release and whether it is in the release's milestone. */
export interface IssueAssignment {
  readonly issue_number: number;
  readonly issue_url: string | null;
  readonly feature_id: string;
  readonly task_id: string | null;
  readonly assigned: boolean;
  /** Why it is not assigned yet. */
  readonly reason?: string;
}

/** The outcome of a call that wrote to the forge: done, waiting for the forge, or refused. */
export type RemoteOutcome = "synced" | "pending" | "failed";

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function ensureOpen(release: Release, action: string): Effect.Effect<void, AppError> {
  if (release.status === "completed") {
    return Effect.fail(AppError.conflict(
      `Release ${quote(release.release_version ?? release.milestone_name)} was already tagged as ${
        quote(release.tag_name ?? "")
      }${release.release_url ? ` (${release.release_url})` : ""}; ${action} is not possible any more.`,
      'Plan the next version with {action:"plan_release", release_version:"…"}.',
    ));
  }
  if (release.status === "cancelled") {
    return Effect.fail(AppError.conflict(
      `Release ${quote(release.release_version ?? release.milestone_name)} was cancelled on ${
        release.cancelled_at ?? "an earlier call"
      }; ${action} is not possible any more.`,
      'Plan it under another version with {action:"plan_release", release_version:"…"}.',
    ));
  }
  return Effect.void;
}

/** The milestone of a release on the forge: found by title, else created where the platform can. */
const findOrCreateMilestone = (
  forge: ConnectedForge,
  input: PlanInput,
): Effect.Effect<{ milestone?: RemoteMilestone; pending?: string }, AppError> =>
  Effect.gen(function* () {
    const { client, repo, plugin } = forge;
    const listed = yield* attempt(client.listMilestones!(repo));
    if (Result.isFailure(listed)) {
      if (isRetryable(listed.failure.reason)) return { pending: listed.failure.message };
      return yield* Effect.fail(toAppError(listed.failure));
    }
    const title = input.release_version;
    const hit = listed.success.find((m) => m.title === title) ??
      listed.success.find((m) => m.title.toLowerCase() === title.toLowerCase());
    if (hit !== undefined) return { milestone: hit };
    if (!plugin.capabilities.milestones_write) {
      const known = listed.success.map((m) => quote(m.title)).slice(0, 10).join(", ");
      return yield* Effect.fail(AppError.unsupported(
        `${plugin.name} milestones are read-only through its API, and ${forge.config.repository} has no milestone ${
          quote(title)
        }${known === "" ? "" : ` (it has ${known})`}.`,
        `Create the milestone ${quote(title)} on the ${plugin.name} website (repository settings → issue ` +
          `tracker → milestones), then call plan_release again: it adopts a milestone of the same title.`,
      ));
    }
    const created = yield* attempt(client.createMilestone!(repo, {
      title,
      description: input.description ?? "",
      due_on: input.target_date ?? null,
    }));
    if (Result.isFailure(created)) {
      if (isRetryable(created.failure.reason)) return { pending: created.failure.message };
      return yield* Effect.fail(toAppError(created.failure));
    }
    return { milestone: created.success };
  });

/**
 * Plans a release: records it, creates (or adopts) its milestone and puts the linked issues of
 * its features in it. Calling it again with the same version is a no-op, or finishes what a
 * previous call could not do; more features are added to the plan.
 */
export const planRelease = (
  input: PlanInput,
  progress: Progress,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const cfg = yield* resolve(input);
    const version = input.release_version;
    const wanted = unique(input.included_features ?? []);
    const found = yield* loadItems(cfg, wanted);
    if (found.missing.length > 0) {
      return yield* Effect.fail(AppError.notFound(
        `No feature has feature_id ${found.missing.map(quote).join(", ")}; release ${
          quote(version)
        } was not planned.`,
        'Pass ids of existing features (orchestrator_feature {action:"list"} shows them).',
      ));
    }
    const rejected = found.items.filter((i) => i.feature.status === "rejected");
    if (rejected.length > 0) {
      return yield* Effect.fail(AppError.conflict(
        `Feature ${rejected.map((i) => quote(i.feature.feature_id)).join(", ")} was rejected and cannot ` +
          `be part of release ${quote(version)}.`,
        "Leave it out of included_features, or move it back to proposed with orchestrator_feature set_status.",
      ));
    }
    const existing = yield* findRelease(cfg, version);
    if (existing !== undefined) yield* ensureOpen(existing, "planning it");
    if (
      existing !== undefined && input.target_date !== undefined && existing.target_date !== null &&
      existing.target_date !== input.target_date
    ) {
      return yield* Effect.fail(AppError.conflict(
        `Release ${quote(version)} is planned for ${existing.target_date}, not ${input.target_date}.`,
        "Omit target_date to keep the planned date (change the milestone's due date on the forge if it moved).",
      ));
    }
    const forge = yield* Forges.use((f) => f.connect(cfg));
    let milestone: RemoteMilestone | undefined;
    let pending: string | undefined;
    if ((existing?.platform_milestone_id ?? null) === null) {
      const outcome = yield* findOrCreateMilestone(forge, {
        ...input,
        target_date: input.target_date ?? existing?.target_date ?? undefined,
        description: input.description ?? existing?.description ?? undefined,
      });
      milestone = outcome.milestone;
      pending = outcome.pending;
    }
    const milestoneId = milestone?.id ?? existing?.platform_milestone_id ?? null;
    const title = milestone?.title ?? existing?.milestone_name ?? version;
    const items = unique([...(existing?.included_features ?? []), ...wanted]);
    // Issues of every feature of the plan, the earlier ones included (a feature may have got its
    // issue since the last call).
    const all = wanted.length === items.length ? found : yield* loadItems(cfg, items);
    const issues = all.items.flatMap((i) => i.issues);
    const done = new Set(existing?.assigned_issues ?? []);
    const reasons = new Map<number, string>();
    let failed = false;
    if (milestoneId !== null) {
      const todo = issues.filter((i) => !done.has(i.number));
      for (const [n, issue] of todo.entries()) {
        if (pending !== undefined) {
          reasons.set(issue.number, "waiting for the forge");
          continue;
        }
        const sent = yield* attempt(forge.client.updateIssue(forge.repo, issue.number, { milestone: title }));
        if (Result.isSuccess(sent)) done.add(issue.number);
        else {
          reasons.set(issue.number, sent.failure.message);
          // The forge down or rate limited: stop here, the next call sends the rest.
          if (isRetryable(sent.failure.reason)) pending = sent.failure.message;
          else failed = true;
        }
        yield* progress(n + 1, todo.length, `issue #${issue.number}`);
      }
    } else {
      for (const issue of issues) reasons.set(issue.number, "waiting for the milestone");
    }
    const now = nowIso();
    const fields = {
      milestone_name: title,
      target_date: input.target_date ?? existing?.target_date ?? milestone?.due_on ?? null,
      platform_milestone_id: milestoneId,
      milestone_url: milestone?.url ?? existing?.milestone_url ?? null,
      description: input.description ?? existing?.description ?? null,
      included_features: JSON.stringify(items),
      assigned_issues: JSON.stringify([...done].sort((a, b) => a - b)),
      status: milestoneId === null ? "planning" : "active",
    };
    const db = yield* Db;
    const changed = existing === undefined ||
      fields.milestone_name !== existing.milestone_name || fields.target_date !== existing.target_date ||
      fields.platform_milestone_id !== existing.platform_milestone_id ||
      fields.milestone_url !== existing.milestone_url || fields.description !== existing.description ||
      fields.included_features !== JSON.stringify(existing.included_features) ||
      fields.assigned_issues !== JSON.stringify(existing.assigned_issues) ||
      fields.status !== existing.status;
    if (changed) {
      yield* db.write(async (tx) => {
        const columns = Object.keys(fields);
        const values = Object.values(fields);
        if (existing !== undefined) {
          await tx.execute(
            `UPDATE release_milestones SET ${
              columns.map((c) => `${c} = ?`).join(", ")
            }, updated_at = ? WHERE id = ?`,
            [...values, now, existing.release_id],
          );
          return;
        }
        // A bare milestone recorded by create_milestone becomes this release's.
        const bare = milestoneId === null ? [] : await tx.rows<{ id: number }>(
          `SELECT id FROM release_milestones WHERE config_id = ? AND release_version IS NULL
             AND platform_milestone_id = ? ORDER BY id LIMIT 1`,
          [cfg.config_id, milestoneId],
        );
        if (bare[0] !== undefined) {
          await tx.execute(
            `UPDATE release_milestones SET ${
              columns.map((c) => `${c} = ?`).join(", ")
            }, release_version = ?, updated_at = ? WHERE id = ?`,
            [...values, version, now, Number(bare[0].id)],
          );
          return;
        }
        await tx.execute(
          `INSERT INTO release_milestones (${
            columns.join(", ")
          }, config_id, release_version, created_at, updated_at)
             VALUES (${columns.map(() => "?").join(", ")}, ?, ?, ?, ?)`,
          [...values, cfg.config_id, version, now, now],
        );
      });
    }
    const release = (yield* findRelease(cfg, version))!;
    const assignments: IssueAssignment[] = issues.map((i) => ({
      issue_number: i.number,
      issue_url: i.url,
      feature_id: i.feature_id,
      task_id: i.task_id,
      assigned: done.has(i.number),
      ...(reasons.has(i.number) ? { reason: reasons.get(i.number)! } : {}),
    }));
    const sync_status: RemoteOutcome = pending !== undefined || milestoneId === null
      ? "pending"
      : failed
      ? "failed"
      : "synced";
    return {
      release,
      issues: assignments,
      without_issue: all.items.filter((i) => i.issues.length === 0).map((i) => i.feature.feature_id),
      already_planned: existing !== undefined,
      sync_status,
      ...(sync_status === "pending"
        ? {
          reason:
            `${pending ?? "The milestone is not on the forge yet."} The plan is kept; call plan_release ` +
            "again when the forge answers to finish it.",
        }
        : sync_status === "failed"
        ? { reason: "The forge refused to put some issues in the milestone; see issues[].reason." }
        : {}),
    };
  });

// ---------------------------------------------------------------------------------------------
// create_milestone

/** Parameters of {@link createMilestone}. */
export interface MilestoneInput extends Where {
  readonly title: string;
  readonly description?: string;
  readonly due_on?: string;
}

/** Creates a milestone on the forge and records it (a later plan_release of that title adopts it). */
export const createMilestone = (
  input: MilestoneInput,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const cfg = yield* resolve(input);
    const forge = yield* Forges.use((f) => f.connect(cfg));
    const milestone = yield* forge.client.createMilestone!(forge.repo, {
      title: input.title,
      description: input.description ?? "",
      due_on: input.due_on ?? null,
    }).pipe(Effect.mapError(toAppError));
    const now = nowIso();
    yield* Db.use((db) =>
      db.batch([{
        sql:
          `INSERT INTO release_milestones (milestone_name, target_date, platform_milestone_id, milestone_url,
                description, included_features, assigned_issues, status, config_id, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, '[]', '[]', 'planning', ?, ?, ?)`,
        args: [
          milestone.title,
          input.due_on ?? milestone.due_on,
          milestone.id,
          milestone.url,
          input.description ?? null,
          cfg.config_id,
          now,
          now,
        ],
      }])
    );
    return { milestone: { ...milestone } };
  });

// ---------------------------------------------------------------------------------------------
// status

/** A feature of a release with its progress and issues. */
export interface FeatureStatusOut extends FeatureProgress {
  readonly title: string;
  readonly issues: readonly { issue_number: number; issue_url: string | null; task_id: string | null }[];
}

function featureOut(item: ReleaseItem): FeatureStatusOut {
  return {
    ...featureProgress(item.feature.feature_id, item.feature.status, item.tasks.map((t) => t.status)),
    title: item.feature.title,
    issues: item.issues.map((i) => ({ issue_number: i.number, issue_url: i.url, task_id: i.task_id })),
  };
}

const progressOf = (cfg: RepoConfig, release: Release) =>
  loadItems(cfg, release.included_features).pipe(Effect.map(({ items }) => {
    const features = items.map(featureOut);
    return { features, progress: releaseProgress(features) as ReleaseProgress, items };
  }));

/** Progress per feature and overall of one release, or of every release of the repository. */
export const releaseStatus = (
  input: Where & { readonly release_version?: string },
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const cfg = yield* resolve(input);
    if (input.release_version === undefined) {
      const releases = yield* listReleases(cfg);
      const out = [];
      for (const release of releases) {
        out.push({ release, progress: (yield* progressOf(cfg, release)).progress });
      }
      return { releases: out };
    }
    const release = yield* getRelease(cfg, input.release_version);
    const { features, progress, items } = yield* progressOf(cfg, release);
    return {
      release,
      features,
      progress,
      without_issue: items.filter((i) => i.issues.length === 0).map((i) => i.feature.feature_id),
    };
  });

// ---------------------------------------------------------------------------------------------
// generate_changelog

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
function checkNotes(input: NotesInput): Effect.Effect<NotesTemplate, AppError> {
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

/** The notes of a release, with the forge's generated notes where it offers them. */
const notesOf = (
  cfg: RepoConfig,
  release: Release,
  input: NotesInput,
  template: NotesTemplate,
  heading: boolean,
  connected?: ConnectedForge,
) =>
  Effect.gen(function* () {
    const { items } = yield* loadItems(cfg, release.included_features);
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

/** Renders a release's notes as Markdown; creates nothing. */
export const generateChangelog = (
  input: NotesInput,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const template = yield* checkNotes(input);
    const cfg = yield* resolve(input);
    const release = yield* getRelease(cfg, input.release_version);
    const notes = yield* notesOf(cfg, release, input, template, true);
    return {
      changelog: {
        release_version: input.release_version,
        template,
        markdown: notes.markdown,
        forge_notes: notes.forge_notes,
      },
      ...(notes.warnings.length > 0 ? { warnings: notes.warnings } : {}),
    };
  });

// ---------------------------------------------------------------------------------------------
// tag_release and cancel_release

/** Parameters of {@link tagRelease}. */
export interface TagInput extends NotesInput {
  /** The release's title (default: the version). */
  readonly name?: string;
}

const HASH = /^[0-9a-f]{7,40}$/i;

/** Closes the release's milestone where the platform can; says why not otherwise. */
const closeMilestone = (forge: ConnectedForge, release: Release) =>
  Effect.gen(function* () {
    if (release.platform_milestone_id === null) {
      return { closed: false, reason: "The release has no milestone on the forge." };
    }
    if (!forge.plugin.capabilities.milestones_write) {
      return {
        closed: false,
        reason: `${forge.plugin.name} milestones are read-only through its API: close ${
          quote(release.milestone_name)
        } on the website if you wish.`,
      };
    }
    const closed = yield* attempt(forge.client.closeMilestone!(forge.repo, release.platform_milestone_id));
    return Result.isSuccess(closed)
      ? { closed: true }
      : { closed: false, reason: `The milestone was left open: ${closed.failure.message}` };
  });

/** How a sync pass after a change went. */
function passOutcome(run: RunSummary): { sync_status: RemoteOutcome; reason?: string } {
  if (run.status === "completed") return { sync_status: "synced" };
  const why = run.errors.join(" ") || "Another process is reconciling this repository.";
  return run.failed > 0
    ? { sync_status: "failed", reason: why }
    : { sync_status: "pending", reason: `${why} The changes are kept and queued; the next sync sends them.` };
}

/**
 * Tags a release: a release with its notes (GitHub, GitLab) or a tag (Bitbucket), then closes its
 * milestone, marks its features completed and syncs them.
 */
export const tagRelease = (
  input: TagInput,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const template = yield* checkNotes(input);
    const cfg = yield* resolve(input);
    const release = yield* getRelease(cfg, input.release_version);
    yield* ensureOpen(release, "tagging it");
    const forge = yield* Forges.use((f) => f.connect(cfg));
    const { plugin } = forge;
    const tagOnly = !plugin.capabilities.releases;
    if (tagOnly && release.tag_name === null && (input.ref === undefined || !HASH.test(input.ref))) {
      return yield* Effect.fail(AppError.validation(
        `${plugin.name} has no releases: tag_release makes a tag there, which needs ref, the hash of the ` +
          `commit to tag${input.ref === undefined ? "" : ` (${quote(input.ref)} is not a commit hash)`}.`,
        'Pass ref: "<commit hash>" (7 to 40 hexadecimal characters).',
      ));
    }
    const tag = release.tag_name ?? input.tag_name ?? release.release_version!;
    const db = yield* Db;
    let url = release.release_url;
    let notes = release.notes ?? "";
    if (release.tag_name === null) {
      notes = (yield* notesOf(cfg, release, input, template, false, forge)).markdown;
      if (tagOnly) {
        const made = yield* forge.client.createTag!(forge.repo, { name: tag, target: input.ref! }).pipe(
          Effect.mapError(toAppError),
        );
        url = made.url;
      } else {
        const made = yield* forge.client.createRelease!(forge.repo, {
          tag,
          name: input.name ?? release.release_version!,
          body: notes,
          ...(input.ref !== undefined ? { ref: input.ref } : {}),
          milestone: release.platform_milestone_id === null ? null : release.milestone_name,
        }).pipe(Effect.mapError(toAppError));
        url = made.url;
      }
      // Recorded at once: a later failure must not lead a second call to tag again.
      yield* db.batch([{
        sql:
          `UPDATE release_milestones SET tag_name = ?, tag_ref = ?, release_url = ?, notes = ?, updated_at = ?
                WHERE id = ?`,
        args: [tag, input.ref ?? null, url, notes, nowIso(), release.release_id],
      }]);
    }
    const milestone = yield* closeMilestone(forge, release);
    const completed: string[] = [];
    const skipped: { feature_id: string; status: string; reason: string }[] = [];
    yield* db.write(async (tx: Tx) => {
      for (const id of release.included_features) {
        const rows = await tx.rows("SELECT * FROM features WHERE feature_id = ?", [id]);
        if (rows[0] === undefined) continue;
        const feature = rowToFeature(rows[0]);
        if (feature.status === "completed") continue;
        if (!canTransitionFeature(feature.status, "completed")) {
          skipped.push({
            feature_id: id,
            status: feature.status,
            reason: `A ${feature.status} feature cannot become completed; it was left ${feature.status}.`,
          });
          continue;
        }
        await updateFeatureInTx(tx, id, { status: "completed" }, {});
        completed.push(id);
      }
      const now = nowIso();
      await tx.execute(
        `UPDATE release_milestones SET status = 'completed', tagged_at = ?, updated_at = ? WHERE id = ?`,
        [now, now, release.release_id],
      );
    });
    // The completed features' issues are closed by a pass, as any local change is.
    const sync = completed.length === 0
      ? { sync_status: "synced" as RemoteOutcome }
      : yield* Sync.use((s) => s.pass(cfg.config_id)).pipe(
        Effect.map((result) => ({
          run: { ...result.run, errors: [...result.run.errors] },
          ...passOutcome(result.run),
        })),
      );
    return {
      release: yield* getRelease(cfg, input.release_version),
      tag: { name: tag, url, kind: tagOnly ? "tag" : "release" },
      milestone_closed: milestone.closed,
      ...(milestone.reason !== undefined ? { milestone_reason: milestone.reason } : {}),
      completed_features: completed,
      skipped_features: skipped,
      ...sync,
    };
  });

/** Cancels a release: status cancelled, its milestone closed where the platform can; features untouched. */
export const cancelRelease = (
  input: Where & { readonly release_version: string },
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const cfg = yield* resolve(input);
    const release = yield* getRelease(cfg, input.release_version);
    yield* ensureOpen(release, "cancelling it");
    const milestone = yield* Forges.use((f) => f.connect(cfg)).pipe(
      Effect.flatMap((forge) => closeMilestone(forge, release)),
      Effect.catch((e: AppError) =>
        Effect.succeed({ closed: false, reason: `The milestone was left open: ${e.message}` })
      ),
    );
    const now = nowIso();
    yield* Db.use((db) =>
      db.batch([{
        sql:
          "UPDATE release_milestones SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?",
        args: [now, now, release.release_id],
      }])
    );
    return {
      release: yield* getRelease(cfg, input.release_version),
      milestone_closed: milestone.closed,
      ...(milestone.reason !== undefined ? { milestone_reason: milestone.reason } : {}),
    };
  });
