/**
 * Parameters of orchestrator_project_board_manager.
 *
 * @module
 */
import { Schema } from "effect";
import { BOARD_TYPES } from "../../../boards/mapping.ts";
import { Label } from "../../params.ts";

const opt = Schema.optionalKey;

/** A board type. */
export const BoardTypeParam = Schema.Literals(BOARD_TYPES).annotate({
  description: "feature_development (features and tasks by status), sprint_board (tasks by status) or " +
    "release_planning (cards by milestone: one column per open milestone). Default feature_development.",
});

/** A column, by name (what a person sees on the board; never an id). */
export const ColumnName = Label.annotate({
  description: 'A column by its name, e.g. "In Progress" (matched exactly, else case-insensitively).',
});

/** The local board id. */
export const BoardId = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 2_147_483_647 }, {
    message: "must be a board_id from create_board or view",
  }),
).annotate({
  description: "The board (board_id from create_board or view); optional when the repository has one board.",
});

/** The number of an existing board to adopt. */
export const BoardNumber = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 2_147_483_647 }, { message: "must be a positive whole number" }),
).annotate({
  description: "Adopt an existing board: the GitHub project number, or the GitLab board id.",
});

/** The account owning a GitHub project. */
export const Owner = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/u, {
    message: "must be a GitHub organization or user login",
  }),
).annotate({
  description:
    "With board_number on GitHub: the organization or user owning the project (default: the repository's owner).",
});

const FeatureColumns = Schema.Struct({
  proposed: opt(ColumnName),
  approved: opt(ColumnName),
  in_progress: opt(ColumnName),
  completed: opt(ColumnName),
  rejected: opt(ColumnName),
});

const TaskColumns = Schema.Struct({
  pending: opt(ColumnName),
  active: opt(ColumnName),
  in_progress: opt(ColumnName),
  blocked: opt(ColumnName),
  completed: opt(ColumnName),
  failed: opt(ColumnName),
  cancelled: opt(ColumnName),
  archived: opt(ColumnName),
});

/** Status → column overrides of the default mapping. */
export const BoardStatusMapping = Schema.Struct({
  features: opt(FeatureColumns),
  tasks: opt(TaskColumns),
}).annotate({
  description: "Column per status, overriding the defaults: features proposed→Backlog, approved→To Do, " +
    "in_progress→In Progress, completed→Done; tasks pending→To Do, in_progress (and active)→In Progress, " +
    "blocked→Blocked, completed→Done. A status without a column leaves its card where it is.",
});
