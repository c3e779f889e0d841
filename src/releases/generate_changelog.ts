/**
 * `generate_changelog`: render a release's notes as Markdown, creating nothing.
 *
 * @module
 */
import { Effect } from "effect";
import type { AppError } from "../domain/errors.ts";
import { loadRelease, type ReleaseServices } from "./common.ts";
import { checkNotes, type NotesInput, notesOf } from "./notes.ts";

/** Renders a release's notes as Markdown; creates nothing. */
export const generateChangelog = (
  input: NotesInput,
): Effect.Effect<Record<string, unknown>, AppError, ReleaseServices> =>
  Effect.gen(function* () {
    const template = yield* checkNotes(input);
    const { cfg, release } = yield* loadRelease(input);
    const notes = yield* notesOf(cfg, release, input, template, true);
    return {
      changelog: {
        release_version: input.release_version,
        template,
        markdown: notes.markdown,
        forge_notes: notes.forge_notes,
      },
      ...(notes.warnings.length > 0 ? { warnings: notes.warnings } : {}),
    };
  });
