/**
 * A release's milestone on the forge: found by title or created (plan_release), and closed where
 * the platform allows it (tag_release, cancel_release).
 *
 * @module
 */
import { Effect, Result } from "effect";
import { AppError } from "../domain/errors.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { isRetryable, type PlatformError } from "../platform/errors.ts";
import { toAppError } from "../platform/to_app_error.ts";
import type { RemoteMilestone } from "../platform/types.ts";
import { attempt, quote } from "./common.ts";
import type { Release } from "../store/releases_repo.ts";

/** The milestone a release wants: its title (the version), description and due date. */
export interface WantedMilestone {
  readonly title: string;
  readonly description?: string | undefined;
  readonly due_on?: string | undefined;
}

/** The milestone found or made, or why the forge could not be asked now. */
export type MilestoneOutcome = { milestone?: RemoteMilestone; pending?: string };

/** A failure that means the forge is out of reach becomes `pending` (with its message); others fail. */
const pendingOrFail = (e: PlatformError): Effect.Effect<MilestoneOutcome, AppError> =>
  isRetryable(e.reason) ? Effect.succeed({ pending: e.message }) : Effect.fail(toAppError(e));

/** The milestone of a release on the forge: found by title, else created where the platform can. */
export const findOrCreateMilestone = (
  forge: ConnectedForge,
  wanted: WantedMilestone,
): Effect.Effect<MilestoneOutcome, AppError> =>
  Effect.gen(function* () {
    const { client, repo, plugin } = forge;
    const listed = yield* attempt(client.listMilestones!(repo));
    if (Result.isFailure(listed)) return yield* pendingOrFail(listed.failure);
    const title = wanted.title;
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
      description: wanted.description ?? "",
      due_on: wanted.due_on ?? null,
    }));
    if (Result.isSuccess(created)) return { milestone: created.success };
    if (created.failure.reason === "Invalid") {
      // Refused: perhaps because an earlier create whose answer was lost landed meanwhile (forges
      // keep one milestone per title). Read the list again and adopt it rather than fail.
      const again = yield* attempt(client.listMilestones!(repo));
      const landed = Result.isSuccess(again) ? again.success.find((m) => m.title === title) : undefined;
      if (landed !== undefined) return { milestone: landed };
    }
    return yield* pendingOrFail(created.failure);
  });

/** Whether a release's milestone was closed, and why not. */
export interface Closed {
  readonly closed: boolean;
  readonly reason?: string;
}

/** Closes the release's milestone where the platform can; says why not otherwise. */
export const closeMilestone = (forge: ConnectedForge, release: Release): Effect.Effect<Closed> =>
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

/** The answer's fields of a {@link Closed}: `milestone_closed`, and `milestone_reason` when there is one. */
export function closedOut(milestone: Closed): { milestone_closed: boolean; milestone_reason?: string } {
  return {
    milestone_closed: milestone.closed,
    ...(milestone.reason !== undefined ? { milestone_reason: milestone.reason } : {}),
  };
}
