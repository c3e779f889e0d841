/**
 * Result shapes of orchestrator_git_integration.
 *
 * @module
 */
import { Schema } from "effect";
import { LinkShape, TaskShape } from "../../shapes.ts";
import { ConflictRecord } from "../../../store/conflicts.ts";
import { ParkedWrite } from "../../../store/outbox.ts";

const NullableString = Schema.NullOr(Schema.String);

/** A repository configuration (the token variable's NAME only). */
export const ConfigShape = Schema.Struct({
  config_id: Schema.Number,
  platform: Schema.String,
  repository: Schema.String,
  repository_url: Schema.String,
  api_token_name: NullableString,
  default_labels: Schema.Array(Schema.String),
  auto_sync_enabled: Schema.Boolean,
  issue_template: NullableString,
  conflict_policy: Schema.String,
  status_mapping: Schema.NullOr(Schema.Record(Schema.String, Schema.String)),
  webhook_secret_name: NullableString,
  api_url: NullableString,
  created_at: Schema.String,
  updated_at: Schema.String,
});

/** A pass's summary. */
export const RunShape = Schema.Struct({
  repository: Schema.String,
  platform: Schema.String,
  status: Schema.Literals(["completed", "failed", "busy"]),
  pulled: Schema.Number,
  pushed: Schema.Number,
  created: Schema.Number,
  conflicts: Schema.Number,
  failed: Schema.Number,
  pending: Schema.Number,
  requests: Schema.Number,
  duration_ms: Schema.Number,
  errors: Schema.Array(Schema.String),
  dry_run: Schema.Boolean,
});

/** A recorded conflict (as the store records it). */
export const ConflictShape = ConflictRecord;

/** The remote issue a call touched. */
export const IssueShape = Schema.Struct({
  number: Schema.Number,
  url: Schema.String,
  title: Schema.String,
  status: Schema.String,
});

/** A write the forge refused for good (as the store keeps it), until its item changes or it is sent again. */
export const ParkedShape = ParkedWrite;

/** The state of one configured repository. */
export const RepositoryStatusShape = Schema.Struct({
  config: ConfigShape,
  links: Schema.Struct({
    synced: Schema.Number,
    pending: Schema.Number,
    failed: Schema.Number,
    manual: Schema.Number,
  }),
  outbox: Schema.Struct({ pending: Schema.Number, parked: Schema.Number }),
  /** The newest parked writes (at most 20; `outbox.parked` counts them all). */
  parked: Schema.Array(ParkedShape),
  /** How many conflicts are open; `open_conflicts` holds the newest of them. */
  open_conflict_count: Schema.Number,
  open_conflicts: Schema.Array(ConflictShape),
  /** The cursor to the next (older) open conflicts, or null when none are left. */
  conflicts_next_cursor: Schema.NullOr(Schema.String),
  last_runs: Schema.Array(Schema.Unknown),
  rate_limit: Schema.NullOr(Schema.Unknown),
  requests: Schema.NullOr(Schema.Number),
  capabilities: Schema.NullOr(Schema.Record(Schema.String, Schema.Boolean)),
});

/** A milestone. */
export const MilestoneShape = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  state: Schema.String,
  description: Schema.String,
  due_on: NullableString,
  url: NullableString,
});

/** The success shape of the tool: one object, every key optional. */
export const GitOutput = Schema.Struct({
  config: Schema.optionalKey(ConfigShape),
  verification: Schema.optionalKey(
    Schema.Struct({ ok: Schema.Boolean, url: Schema.String, can_write: Schema.Boolean }),
  ),
  link: Schema.optionalKey(LinkShape),
  links: Schema.optionalKey(Schema.Array(LinkShape)),
  unlinked: Schema.optionalKey(LinkShape),
  issue: Schema.optionalKey(IssueShape),
  sync_status: Schema.optionalKey(Schema.Literals(["synced", "pending", "failed"])),
  reason: Schema.optionalKey(Schema.String),
  already_linked: Schema.optionalKey(Schema.Boolean),
  task: Schema.optionalKey(TaskShape),
  run: Schema.optionalKey(RunShape),
  runs: Schema.optionalKey(Schema.Array(RunShape)),
  plan: Schema.optionalKey(Schema.Array(Schema.Unknown)),
  imported: Schema.optionalKey(Schema.Struct({
    created: Schema.Number,
    skipped: Schema.Number,
    tasks: Schema.Array(TaskShape),
  })),
  repositories: Schema.optionalKey(Schema.Array(RepositoryStatusShape)),
  conflict: Schema.optionalKey(ConflictShape),
  milestone: Schema.optionalKey(MilestoneShape),
});
