/**
 * The board service (SPEC §5 "Project boards"): create or adopt a board on a configured
 * repository's forge, put linked features and tasks on it, move cards by column name, push every
 * card's column from its local status (or, on release-planning boards, its milestone), add a column
 * per open milestone, and show the board. Platform specifics stay in the plugins' `boards` member;
 * this folder decides columns and records boards and their items locally, one action a file.
 *
 * Local-first: when the forge does not answer (5xx after retries, network down, rate limited) a
 * move is kept locally as pending, with the reason, and the next `update_progress` sends it; `view`
 * answers from the local record, saying so. A forge that refuses (401, 403, 404, 422) gets an error
 * and nothing is recorded.
 *
 * Each action that writes to the forge (all but `view` and a dry-run `update_progress`) is logged as a
 * `status_update` row of `sync_status_logs` (`../sync/operation_log.ts`).
 *
 * @module
 */
export type { BoardSelector, BoardServices } from "./select.ts";
export type { BoardView, CardView, ColumnView, ItemView, MoveView, SkipView } from "./views.ts";
export { createBoard, type CreateBoardInput } from "./create_board.ts";
export { type AddInput, addToBoard } from "./add_to_board.ts";
export { moveCard, type MoveInput } from "./move_card.ts";
export { type ProgressInput, updateProgress } from "./update_progress.ts";
export { syncMilestones } from "./sync_milestones.ts";
export { viewBoard } from "./view_board.ts";
