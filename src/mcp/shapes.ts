/**
 * Result shapes published in each tool's `outputSchema` (Effect Schema, like the inputs).
 *
 * @module
 */
import { Schema } from "effect";
import { FEATURE_STATUSES } from "../domain/feature.ts";
import { PRIORITIES, TASK_STATUSES } from "../domain/task.ts";

const NullableString = Schema.NullOr(Schema.String);

/** A link between a feature or task and an issue. */
export const LinkShape = Schema.Struct({
  link_id: Schema.Int,
  feature_id: NullableString,
  task_id: NullableString,
  platform: Schema.String,
  repository: Schema.String,
  /** Null while the issue of a queued create does not exist yet (`sync_status` pending). */
  issue_number: Schema.NullOr(Schema.Int),
  issue_url: NullableString,
  sync_status: Schema.Literals(["synced", "pending", "failed", "manual"]),
  last_synced: NullableString,
});

/** A task. */
export const TaskShape = Schema.Struct({
  task_id: Schema.String,
  title: Schema.String,
  description: Schema.String,
  status: Schema.Literals(TASK_STATUSES),
  priority: Schema.Literals(PRIORITIES),
  assignee: NullableString,
  labels: Schema.Array(Schema.String),
  feature_id: NullableString,
  parent_task_id: NullableString,
  due_date: NullableString,
  created_at: Schema.String,
  updated_at: Schema.String,
  completed_at: NullableString,
  version: Schema.Int,
  links: Schema.Array(LinkShape),
});

/** A feature. */
export const FeatureShape = Schema.Struct({
  feature_id: Schema.String,
  title: Schema.String,
  specification: Schema.String,
  status: Schema.Literals(FEATURE_STATUSES),
  labels: Schema.Array(Schema.String),
  priority: Schema.Literals(PRIORITIES),
  version: Schema.Int,
  created_at: Schema.String,
  updated_at: Schema.String,
  links: Schema.Array(LinkShape),
});

/** The paging cursor of a list result: null on the last page. */
export const NextCursor = Schema.NullOr(Schema.String);
