/**
 * Result shapes of orchestrator_release_coordinator.
 *
 * @module
 */
import { Schema } from "effect";
import { FEATURE_STATUSES } from "../../../domain/feature.ts";
import { RELEASE_STATUSES } from "../../../store/releases_repo.ts";
import { MilestoneShape, RunShape } from "../git/shapes.ts";

const NullableString = Schema.NullOr(Schema.String);

/** A release as recorded. */
export const ReleaseShape = Schema.Struct({
  release_id: Schema.Int,
  release_version: NullableString,
  platform: Schema.String,
  repository: Schema.String,
  milestone_name: Schema.String,
  platform_milestone_id: NullableString,
  milestone_url: NullableString,
  target_date: NullableString,
  description: NullableString,
  included_features: Schema.Array(Schema.String),
  assigned_issues: Schema.Array(Schema.Int),
  status: Schema.Literals(RELEASE_STATUSES),
  tag_name: NullableString,
  tag_ref: NullableString,
  release_url: NullableString,
  notes: NullableString,
  created_at: Schema.String,
  updated_at: Schema.String,
  tagged_at: NullableString,
  cancelled_at: NullableString,
});

/** The progress of a release. */
export const ProgressShape = Schema.Struct({
  features_total: Schema.Int,
  features_completed: Schema.Int,
  tasks_total: Schema.Int,
  tasks_completed: Schema.Int,
  progress: Schema.Number,
  percent: Schema.Int,
});

/** A feature of a release with its progress. */
export const FeatureProgressShape = Schema.Struct({
  feature_id: Schema.String,
  title: Schema.String,
  status: Schema.Literals(FEATURE_STATUSES),
  tasks: Schema.Struct({
    total: Schema.Int,
    completed: Schema.Int,
    in_progress: Schema.Int,
    blocked: Schema.Int,
    pending: Schema.Int,
    failed: Schema.Int,
  }),
  progress: Schema.Number,
  done: Schema.Boolean,
  issues: Schema.Array(Schema.Struct({
    issue_number: Schema.Int,
    issue_url: NullableString,
    task_id: NullableString,
  })),
});

/** An issue of a release and whether it is in the milestone. */
export const AssignmentShape = Schema.Struct({
  issue_number: Schema.Int,
  issue_url: NullableString,
  feature_id: Schema.String,
  task_id: NullableString,
  assigned: Schema.Boolean,
  reason: Schema.optionalKey(Schema.String),
});

/** The success shape of the tool: one object, every key optional. */
export const ReleaseOutput = Schema.Struct({
  release: Schema.optionalKey(ReleaseShape),
  releases: Schema.optionalKey(
    Schema.Array(Schema.Struct({ release: ReleaseShape, progress: ProgressShape })),
  ),
  milestone: Schema.optionalKey(MilestoneShape),
  issues: Schema.optionalKey(Schema.Array(AssignmentShape)),
  without_issue: Schema.optionalKey(Schema.Array(Schema.String)),
  already_planned: Schema.optionalKey(Schema.Boolean),
  features: Schema.optionalKey(Schema.Array(FeatureProgressShape)),
  progress: Schema.optionalKey(ProgressShape),
  changelog: Schema.optionalKey(Schema.Struct({
    release_version: Schema.String,
    template: Schema.String,
    markdown: Schema.String,
    forge_notes: Schema.Boolean,
  })),
  warnings: Schema.optionalKey(Schema.Array(Schema.String)),
  tag: Schema.optionalKey(Schema.Struct({
    name: Schema.String,
    url: NullableString,
    kind: Schema.Literals(["release", "tag"]),
  })),
  milestone_closed: Schema.optionalKey(Schema.Boolean),
  milestone_reason: Schema.optionalKey(Schema.String),
  completed_features: Schema.optionalKey(Schema.Array(Schema.String)),
  skipped_features: Schema.optionalKey(Schema.Array(Schema.Struct({
    feature_id: Schema.String,
    status: Schema.String,
    reason: Schema.String,
  }))),
  run: Schema.optionalKey(RunShape),
  sync_status: Schema.optionalKey(Schema.Literals(["synced", "pending", "failed"])),
  reason: Schema.optionalKey(Schema.String),
});
