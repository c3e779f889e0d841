/**
 * Result shapes of orchestrator_project_board_manager.
 *
 * @module
 */
import { Schema } from "effect";
import { BOARD_TYPES } from "../../../boards/mapping.ts";

const NullableString = Schema.NullOr(Schema.String);

/** A board. */
export const BoardShape = Schema.Struct({
  board_id: Schema.Int,
  board_type: Schema.Literals(BOARD_TYPES),
  title: Schema.String,
  platform: Schema.String,
  repository: Schema.String,
  number: Schema.Int,
  url: NullableString,
  owner: NullableString,
  columns: Schema.Array(Schema.String),
  status_mapping: Schema.Struct({
    features: Schema.Record(Schema.String, Schema.String),
    tasks: Schema.Record(Schema.String, Schema.String),
  }),
  adopted: Schema.Boolean,
  created_at: Schema.String,
  updated_at: Schema.String,
});

/** The linked feature or task of a card. */
export const ItemShape = Schema.Struct({
  kind: Schema.Literals(["feature", "task"]),
  id: Schema.String,
  title: Schema.String,
  status: Schema.String,
});

/** A card. */
export const CardShape = Schema.Struct({
  issue_number: Schema.Int,
  title: Schema.String,
  url: NullableString,
  column: NullableString,
  item: Schema.NullOr(ItemShape),
  link_id: Schema.NullOr(Schema.Int),
  sync_status: Schema.NullOr(Schema.Literals(["synced", "pending"])),
});

/** A card moved (or to move, in a dry run). */
export const MoveShape = Schema.Struct({
  issue_number: Schema.Int,
  item: Schema.NullOr(ItemShape),
  from: NullableString,
  to: Schema.String,
});

/** An item left where it was, and why. */
export const SkipShape = Schema.Struct({
  issue_number: Schema.NullOr(Schema.Int),
  item: Schema.NullOr(ItemShape),
  reason: Schema.String,
});

/** The success shape of the tool: one object, every key optional. */
export const BoardOutput = Schema.Struct({
  board: Schema.optionalKey(BoardShape),
  boards: Schema.optionalKey(Schema.Array(BoardShape)),
  created: Schema.optionalKey(Schema.Boolean),
  already_exists: Schema.optionalKey(Schema.Boolean),
  columns_added: Schema.optionalKey(Schema.Array(Schema.String)),
  card: Schema.optionalKey(CardShape),
  already_on_board: Schema.optionalKey(Schema.Boolean),
  columns: Schema.optionalKey(
    Schema.Array(Schema.Struct({ name: NullableString, cards: Schema.Array(CardShape) })),
  ),
  source: Schema.optionalKey(Schema.Literals(["forge", "local"])),
  moved: Schema.optionalKey(Schema.Array(MoveShape)),
  unchanged: Schema.optionalKey(Schema.Int),
  skipped: Schema.optionalKey(Schema.Array(SkipShape)),
  pending: Schema.optionalKey(Schema.Int),
  dry_run: Schema.optionalKey(Schema.Boolean),
  sync_status: Schema.optionalKey(Schema.Literals(["synced", "pending"])),
  reason: Schema.optionalKey(Schema.String),
});
