/**
 * Sync actions of orchestrator_git_integration — sync_status, status, resolve_conflict and
 * create_milestone: their parameters and the calls. The logic lives in `src/issues/` (and, for
 * milestones, `src/releases/`).
 *
 * @module
 */
import { Schema } from "effect";
import { resolveConflict, status, syncNow } from "../../../issues/service.ts";
import { createMilestone as createReleaseMilestone } from "../../../releases/create_milestone.ts";
import { Cursor, DateParam, Limit, Text, Title } from "../../params.ts";
import { action } from "../../tool.ts";
import { Force, Platform, Repository } from "./params.ts";

const opt = Schema.optionalKey;

const syncStatus = action({
  reads: (params) => params.dry_run === true,
  destructive: true,
  description: "Reconcile now (the repository given, or every configured one) and return when the pass has " +
    "finished; dry_run: true returns the plan without applying it. With a progress token, each page pulled " +
    "and write sent is reported.",
  params: Schema.Struct({
    repository: opt(Repository),
    platform: opt(Platform),
    dry_run: opt(Schema.Boolean),
    force: opt(Force),
  }),
  run: (input, context) => syncNow(input, context.progress),
});

const statusAction = action({
  reads: true,
  description:
    "Show each configured repository: links by sync status, pending and parked writes, open conflicts " +
    "(the newest; limit and cursor page through the rest), the last runs and the forge's rate-limit " +
    "budget. Local only.",
  params: Schema.Struct({
    repository: opt(Repository),
    platform: opt(Platform),
    limit: opt(Limit),
    cursor: opt(Cursor),
  }),
  run: (input) => status(input),
});

const resolveConflictAction = action({
  destructive: true,
  description: 'Settle a recorded conflict: resolution "local" (push the local value), "remote" (take the ' +
    'issue\'s value) or "value" (set both to value).',
  params: Schema.Struct({
    conflict_id: Schema.Int,
    resolution: Schema.Literals(["local", "remote", "value"]),
    value: opt(Schema.String.check(Schema.isMaxLength(65_536))),
  }),
  run: (input) => resolveConflict(input),
});

const createMilestone = action({
  description: "Create a milestone on the forge (title, description, due_on) and record it locally.",
  params: Schema.Struct({
    title: Title,
    description: opt(Text),
    due_on: opt(DateParam),
    repository: opt(Repository),
    platform: opt(Platform),
  }),
  // The same action as orchestrator_release_coordinator's: one record, adoptable by plan_release.
  run: (input) => createReleaseMilestone(input),
});

/** The sync actions. */
export const syncActions = {
  sync_status: syncStatus,
  status: statusAction,
  resolve_conflict: resolveConflictAction,
  create_milestone: createMilestone,
};
