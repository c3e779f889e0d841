/**
 * Putting a release's issues in its milestone (plan_release): in batches where the platform has a
 * batch API (`setMilestones`, GitHub: 25 issues a request), else one `updateIssue` per issue.
 *
 * What the forge did is recorded issue by issue: an issue it refused gets the reason (the others
 * of its batch are assigned); a failure that means the forge is out of reach (rate limit, 5xx after
 * the core's retries, no answer) makes that batch and the rest `pending` for the next call. A batch
 * whose request got no answer may still land, so it is never sent again blindly: a call that
 * resumes a plan first reads which of the outstanding issues are in the milestone already
 * (`readMilestones`, one request a batch) and sends only the others.
 *
 * @module
 */
import { Effect, Result } from "effect";
import { chunks } from "../domain/chunks.ts";
import { isRetryable, type PlatformError } from "../platform/errors.ts";
import type { BatchResults, IssueKey, RemoteMilestone } from "../platform/types.ts";
import type { ConnectedForge } from "../forges/forges.ts";
import { attempt, type Progress } from "./common.ts";
import type { LinkedIssue } from "../store/releases_items.ts";

/** What putting issues in the milestone did. */
export interface Assignment {
  /** Issues now in the milestone. */
  readonly assigned: number[];
  /** Why each issue not assigned is not. */
  readonly reasons: Map<number, string>;
  /** Why the forge could not be asked (the rest waits for the next call), if so. */
  readonly pending: string | undefined;
  /** Whether the forge refused some issue. */
  readonly failed: boolean;
}

/** Options of {@link assignIssues}. */
export interface AssignOptions {
  /** Why the forge is out of reach already (nothing is sent), if so. */
  readonly waiting: string | undefined;
  /**
   * Whether an earlier call may have sent some of these issues (the plan is resumed): on the batch
   * path they are read first, and only those not in the milestone are sent.
   */
  readonly resumed: boolean;
  readonly progress: Progress;
}

/** A running tally of an assignment. */
class Tally {
  readonly assigned: number[] = [];
  readonly reasons = new Map<number, string>();
  pending: string | undefined;
  failed = false;
  constructor(waiting: string | undefined) {
    this.pending = waiting;
  }
  /** Records the outcome of one issue: assigned, or why not (a refusal, or the forge out of reach). */
  record(issue: LinkedIssue, outcome: Result.Result<unknown, PlatformError>): void {
    if (Result.isSuccess(outcome)) {
      this.assigned.push(issue.number);
      return;
    }
    this.refuse([issue], outcome.failure);
  }
  /** Records a failure for every issue of `issues`: pending when the forge is out of reach, else refused. */
  refuse(issues: readonly LinkedIssue[], error: PlatformError): void {
    for (const issue of issues) this.reasons.set(issue.number, error.message);
    if (isRetryable(error.reason)) this.pending ??= error.message;
    else this.failed = true;
  }
  /** Marks the issues as waiting for the forge (nothing sent). */
  wait(issues: readonly LinkedIssue[]): void {
    for (const issue of issues) this.reasons.set(issue.number, "waiting for the forge");
  }
  done(): Assignment {
    return { assigned: this.assigned, reasons: this.reasons, pending: this.pending, failed: this.failed };
  }
}

const key = (issue: LinkedIssue): IssueKey => ({ number: issue.number, id: issue.id });

/**
 * The issues of `batch` not in the milestone yet, after reading them (a resumed plan); those in it
 * are recorded as assigned. A read that fails as a whole is recorded for every issue of the batch.
 */
const unsettled = (
  forge: ConnectedForge,
  milestone: RemoteMilestone,
  batch: readonly LinkedIssue[],
  tally: Tally,
) =>
  Effect.gen(function* () {
    const read = yield* attempt(forge.client.readMilestones!(forge.repo, batch.map(key)));
    if (Result.isFailure(read)) {
      tally.refuse(batch, read.failure);
      return [];
    }
    return batch.filter((issue, i) => {
      const now = read.success[i];
      const landed = now !== undefined && Result.isSuccess(now) && now.success === milestone.title;
      if (landed) tally.assigned.push(issue.number);
      return !landed;
    });
  });

/**
 * Sends one batch: one `setMilestones` request where the platform has the batch API, else one
 * `updateIssue` per issue (a batch of one), each outcome on its own.
 */
const sendBatch = (
  forge: ConnectedForge,
  milestone: RemoteMilestone,
  batch: readonly LinkedIssue[],
): Effect.Effect<BatchResults<unknown>, PlatformError> =>
  forge.client.setMilestones !== undefined
    ? forge.client.setMilestones(forge.repo, milestone, batch.map(key))
    : Effect.forEach(
      batch,
      (issue) =>
        Effect.result(forge.client.updateIssue(forge.repo, issue.number, { milestone: milestone.title })),
    );

/**
 * Puts the issues `todo` in `milestone`: in batches where the platform has a batch API (a resumed
 * plan reads each batch first and sends only the issues not in the milestone yet), else one by one.
 * The first failure that means the forge is out of reach makes the rest wait (the next call sends
 * them); a refusal sets `failed`. Issues not put in the milestone get a reason.
 */
export const assignIssues = (
  forge: ConnectedForge,
  milestone: RemoteMilestone,
  todo: readonly LinkedIssue[],
  options: AssignOptions,
): Effect.Effect<Assignment> =>
  Effect.gen(function* () {
    const batched = forge.client.setMilestones !== undefined;
    const tally = new Tally(options.waiting);
    let done = 0;
    for (const batch of chunks(todo, batched ? forge.client.batchSize ?? 1 : 1)) {
      done += batch.length;
      if (tally.pending !== undefined) {
        tally.wait(batch);
        continue;
      }
      const send = batched && options.resumed && forge.client.readMilestones !== undefined
        ? yield* unsettled(forge, milestone, batch, tally)
        : batch;
      if (send.length > 0 && tally.pending === undefined) {
        const sent = yield* attempt(sendBatch(forge, milestone, send));
        if (Result.isSuccess(sent)) send.forEach((issue, i) => tally.record(issue, sent.success[i]!));
        // The whole request failed: nothing is known of any issue of it. One that got no answer may
        // still land; the next call reads these issues before sending them again.
        else tally.refuse(send, sent.failure);
      }
      yield* options.progress(
        done,
        todo.length,
        batched ? `issues #${batch[0]!.number}–#${batch.at(-1)!.number}` : `issue #${batch[0]!.number}`,
      );
    }
    return tally.done();
  });

/**
 * The milestone a resumed plan assigns to, from what the release recorded. Where more than one
 * batch is to be sent, it is read from the forge once (one request), so that no batch has to look
 * up its global id; a failed read falls back to the record (each batch then looks it up).
 */
export const recordedMilestone = (
  forge: ConnectedForge,
  recorded: { readonly id: string; readonly title: string; readonly url: string | null },
  count: number,
): Effect.Effect<RemoteMilestone> =>
  Effect.gen(function* () {
    const bare: RemoteMilestone = {
      id: recorded.id,
      title: recorded.title,
      state: "open",
      description: "",
      due_on: null,
      url: recorded.url,
    };
    const batchSize = forge.client.batchSize ?? 1;
    if (forge.client.setMilestones === undefined || count <= batchSize) return bare;
    const listed = yield* attempt(forge.client.listMilestones!(forge.repo));
    return Result.isSuccess(listed) ? listed.success.find((m) => m.id === recorded.id) ?? bare : bare;
  });
