/**
 * Parameter schemas shared by the tools. Limits follow what the forges accept, so a value stored
 * locally can always be pushed: titles up to 255 characters (GitLab's limit; GitHub allows 256), bodies up to 65,536.
 *
 * @module
 */
import { Schema } from "effect";
import { FEATURE_STATUSES } from "../domain/feature.ts";
import { PRIORITIES, TASK_STATUSES } from "../domain/task.ts";

/** The longest title a forge accepts. */
export const MAX_TITLE = 255;
/** The longest body a forge accepts. */
export const MAX_TEXT = 65_536;

/**
 * Refuses strings that are not well-formed UTF-16 (a lone surrogate): the database would store
 * U+FFFD instead, so the value read back would differ from the value written.
 */
const isWellFormed = Schema.makeFilter<string>((s) =>
  s.isWellFormed() || "must be valid Unicode text (it contains a lone surrogate)"
);

/** A one-line title: 1–255 characters, not blank, no control characters. */
export const Title = Schema.String.check(
  Schema.isMaxLength(MAX_TITLE, { message: `must be at most ${MAX_TITLE} characters` }),
  Schema.isPattern(/\S/u, { message: "must not be empty or blank" }),
  // deno-lint-ignore no-control-regex -- refusing control characters is the point
  Schema.isPattern(/^[^\u0000-\u001F\u007F]*$/u, { message: "must be one line without control characters" }),
  isWellFormed,
);

/** Free text (Markdown): up to 65,536 characters, no NUL or other binary control characters. */
export const Text = Schema.String.check(
  Schema.isMaxLength(MAX_TEXT, { message: `must be at most ${MAX_TEXT} characters` }),
  // deno-lint-ignore no-control-regex -- refusing control characters is the point
  Schema.isPattern(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/u, {
    message: "must be text without binary control characters",
  }),
  isWellFormed,
);

/** One label name. */
export const Label = Schema.String.check(
  Schema.isMaxLength(100, { message: "must be at most 100 characters" }),
  // deno-lint-ignore no-control-regex -- refusing control characters is the point
  Schema.isPattern(/^[^\u0000-\u001F\u007F,]*[^\s\u0000-\u001F\u007F,][^\u0000-\u001F\u007F,]*$/u, {
    message: "must be a non-blank name without commas or control characters",
  }),
  isWellFormed,
);

/** A set of labels. */
export const Labels = Schema.Array(Label).check(Schema.isMaxLength(100, { message: "at most 100 labels" }));

/** A person's login on the forge. */
export const Login = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9_.@{}:-]{1,100}$/u, { message: "must be a login: letters, digits, _ . @ -" }),
);

/** A task id. */
export const TaskId = Schema.String.check(
  Schema.isMaxLength(100, { message: "must be a task id (task_…)" }),
  Schema.isPattern(/^task_\S+$/u, { message: "must be a task id (task_…)" }),
).annotate({ description: "A task id, task_…" });

/** A feature id. */
export const FeatureId = Schema.String.check(
  Schema.isMaxLength(100, { message: "must be a feature id (feat_…)" }),
  Schema.isPattern(/^feat_\S+$/u, { message: "must be a feature id (feat_…)" }),
).annotate({ description: "A feature id, feat_…" });

/** A task status. */
export const TaskStatusParam = Schema.Literals(TASK_STATUSES);
/** A feature status. */
export const FeatureStatusParam = Schema.Literals(FEATURE_STATUSES);
/** A priority. */
export const PriorityParam = Schema.Literals(PRIORITIES);

/** A calendar date, YYYY-MM-DD. */
export const DateParam = Schema.String.check(
  Schema.isPattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u, {
    message: "must be a date YYYY-MM-DD",
  }),
  Schema.makeFilter<string>((s) => {
    // The pattern lets through day 31 of a 30-day month and 29–31 February: check the calendar.
    const [year, month, day] = s.split("-").map(Number) as [number, number, number];
    const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() -
      (month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 1 : 0);
    return !(day > daysInMonth) || "must be a date that exists on the calendar";
  }),
);

/** Page size. */
export const Limit = Schema.Int.check(
  Schema.isBetween({ minimum: 1, maximum: 200 }, { message: "must be a whole number from 1 to 200" }),
).annotate({ description: "Page size, 1–200 (default 50)." });

/** An opaque paging cursor from a previous result. */
export const Cursor = Schema.String.check(Schema.isMaxLength(500)).annotate({
  description: "The next_cursor of a previous list result.",
});
