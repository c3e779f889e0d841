/**
 * `plan_release`: record a release, create (or adopt, by title) its milestone on the forge and
 * put the linked issues of its features in it. With the forge down or rate limited the plan is
 * kept with status `planning` and the result says `pending`: calling `plan_release` again
 * finishes it, sending only what is missing (issues already put in the milestone are recorded).
 * Where the platform has a batch API (GitHub) the issues go 25 a request (`assign.ts`).
 *
 * @module
 */
import { Effect } from "effect";
import { AppError } from "../domain/errors.ts";
import { Forges } from "../forges/forges.ts";
import type { RemoteMilestone } from "../platform/types.ts";
import { assignIssues, recordedMilestone } from "./assign.ts";
import {
  ensureOpen,
  inRepository,
  type Progress,
  quote,
  reading,
  type ReleaseServices,
  type RemoteOutcome,
  unique,
  type Where,
} from "./common.ts";
import { findOrCreateMilestone } from "./milestones.ts";
import { planChanged, type PlanFields, savePlan } from "./save_plan.ts";
import { findRelease, type Release } from "../store/releases_repo.ts";
import { type ReleaseItem, releaseItems } from "../store/releases_items.ts";

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

/** Fails when a feature named does not exist or was rejected. */
function checkFeatures(
  found: { items: readonly ReleaseItem[]; missing: readonly string[] },
  version: string,
): Effect.Effect<void, AppError> {
  if (found.missing.length > 0) {
    return Effect.fail(AppError.notFound(
      `No feature has feature_id ${found.missing.map(quote).join(", ")}; release ${
        quote(version)
      } was not planned.`,
      'Pass ids of existing features (orchestrator_feature {action:"list"} shows them).',
    ));
  }
  const rejected = found.items.filter((i) => i.feature.status === "rejected");
  if (rejected.length > 0) {
    return Effect.fail(AppError.conflict(
      `Feature ${rejected.map((i) => quote(i.feature.feature_id)).join(", ")} was rejected and cannot ` +
        `be part of release ${quote(version)}.`,
      "Leave it out of included_features, or move it back to proposed with orchestrator_feature set_status.",
    ));
  }
  return Effect.void;
}

/** Fails when the release was tagged or cancelled, or is planned for another date. */
const checkExisting = (existing: Release | undefined, input: PlanInput): Effect.Effect<void, AppError> =>
  Effect.gen(function* () {
    if (existing !== undefined) yield* ensureOpen(existing, "planning it");
    if (
      existing !== undefined && input.target_date !== undefined && existing.target_date !== null &&
      existing.target_date !== input.target_date
    ) {
      return yield* Effect.fail(AppError.conflict(
        `Release ${
          quote(input.release_version)
        } is planned for ${existing.target_date}, not ${input.target_date}.`,
        "Omit target_date to keep the planned date (change the milestone's due date on the forge if it moved).",
      ));
    }
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
  inRepository(input, (cfg) =>
    Effect.gen(function* () {
      const version = input.release_version;
      const wanted = unique(input.included_features ?? []);
      const found = yield* reading(releaseItems(cfg, wanted));
      yield* checkFeatures(found, version);
      const existing = yield* reading(findRelease(cfg, version));
      yield* checkExisting(existing, input);
      const forge = yield* Forges.use((f) => f.connect(cfg));
      let milestone: RemoteMilestone | undefined;
      let pending: string | undefined;
      if ((existing?.platform_milestone_id ?? null) === null) {
        const outcome = yield* findOrCreateMilestone(forge, {
          title: version,
          due_on: input.target_date ?? existing?.target_date ?? undefined,
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
      const all = wanted.length === items.length ? found : yield* reading(releaseItems(cfg, items));
      const issues = all.items.flatMap((i) => i.issues);
      const done = new Set(existing?.assigned_issues ?? []);
      let reasons = new Map<number, string>();
      let failed = false;
      if (milestoneId !== null) {
        const todo = issues.filter((i) => !done.has(i.number));
        const target = milestone ?? (yield* recordedMilestone(
          forge,
          { id: milestoneId, title, url: existing?.milestone_url ?? null },
          todo.length,
        ));
        // A plan recorded before may have had writes that got no answer: read before sending again.
        const sent = yield* assignIssues(forge, target, todo, {
          waiting: pending,
          resumed: existing !== undefined,
          progress,
        });
        for (const number of sent.assigned) done.add(number);
        ({ reasons, pending, failed } = sent);
      } else {
        for (const issue of issues) reasons.set(issue.number, "waiting for the milestone");
      }
      const fields: PlanFields = {
        milestone_name: title,
        target_date: input.target_date ?? existing?.target_date ?? milestone?.due_on ?? null,
        platform_milestone_id: milestoneId,
        milestone_url: milestone?.url ?? existing?.milestone_url ?? null,
        description: input.description ?? existing?.description ?? null,
        included_features: JSON.stringify(items),
        assigned_issues: JSON.stringify([...done].sort((a, b) => a - b)),
        status: milestoneId === null ? "planning" : "active",
      };
      if (planChanged(existing, fields)) yield* savePlan(cfg, version, existing, fields);
      const release = (yield* reading(findRelease(cfg, version)))!;
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
    }));
