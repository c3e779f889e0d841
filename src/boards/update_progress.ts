/**
 * `update_progress`: push every card's column from its item's local status (release-planning
 * boards: its issue's milestone), sending the moves kept pending before.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import { type Progress, push } from "./push.ts";
import {
  type BoardSelector,
  type BoardServices,
  onBoard,
  selectBoard,
  type SelectedBoard,
} from "./select.ts";

/** Input of {@link updateProgress}. */
export interface ProgressInput extends BoardSelector {
  readonly dry_run?: boolean;
}

/**
 * Pushes every card's column from its item's local status (release boards: its milestone), and logs
 * it as a `status_update` (a dry run sends nothing and is not logged).
 */
export const updateProgress = (
  input: ProgressInput,
  progress: Progress,
): Effect.Effect<Record<string, unknown>, AppError, BoardServices> => {
  const run = (s: SelectedBoard) => push(s, { dryRun: input.dry_run === true, progress });
  return input.dry_run === true ? selectBoard(input).pipe(Effect.flatMap(run)) : onBoard(input, run);
};
