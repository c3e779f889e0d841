/**
 * Parameters of orchestrator_release_coordinator.
 *
 * @module
 */
import { Schema } from "effect";
import { NOTES_TEMPLATES } from "../../../releases/changelog.ts";
import { DateParam, FeatureId, MAX_TEXT, MAX_TITLE, Text, Title } from "../../params.ts";

// A description annotates a schema's last check, and a custom filter does not show in JSON Schema:
// each schema below ends with a check that does, so that its description is published.

/** Refuses what git does not allow in a ref name (`..`, `//`, `@{`, a trailing `.` `/` or `.lock`). */
const isGitRefName = Schema.makeFilter<string>((s) =>
  !(s.includes("..") || s.includes("//") || s.includes("@{") || /[./]$/.test(s) || s.endsWith(".lock")) ||
  "must be a valid git tag name (no '..', '//' or '@{', and no trailing '.', '/' or '.lock')"
);

/** A release version, also the milestone title and the default tag name. */
export const ReleaseVersion = Schema.String.check(
  isGitRefName,
  Schema.isMaxLength(100, { message: "must be at most 100 characters" }),
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._+\-/]*$/u, {
    message: "must be a version such as v1.2.0 or 2026.07 (letters, digits, . _ + - /, no spaces)",
  }),
).annotate({
  description: "The release's version, e.g. v1.2.0: the milestone's title and the default tag name.",
});

/** A tag name. */
export const TagName = Schema.String.check(
  isGitRefName,
  Schema.isMaxLength(100, { message: "must be at most 100 characters" }),
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._+\-/]*$/u, {
    message: "must be a tag name such as v1.2.0 (letters, digits, . _ + - /, no spaces)",
  }),
);

/** A branch name or commit hash. */
export const GitRef = Schema.String.check(
  isGitRefName,
  Schema.isMaxLength(250, { message: "must be at most 250 characters" }),
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/u, {
    message: "must be a branch name or a commit hash",
  }),
).annotate({
  description:
    "Branch or commit to tag (GitHub and GitLab default to the default branch); on Bitbucket the " +
    "commit hash, required.",
});

/** The features of a release. */
export const IncludedFeatures = Schema.Array(FeatureId).check(
  Schema.isMaxLength(500, { message: "at most 500 features" }),
).annotate({ description: "Feature ids (feat_…) of the release; a later call adds more." });

/** How release notes are made. */
export const NotesTemplateParam = Schema.Literals(NOTES_TEMPLATES).annotate({
  description: "automated (default: from the features and their issues, grouped Features / Fixes / Other; " +
    "with GitHub's generated notes on GitHub), manual (release_notes as given) or hybrid (release_notes, then " +
    "the automated notes).",
});

/** Release notes written by hand. */
export const ReleaseNotes = Text.check(Schema.isMaxLength(MAX_TEXT)).annotate({
  description: "Release notes written by hand (Markdown), for the manual and hybrid templates.",
});

/** A calendar date YYYY-MM-DD, with a description. */
export function dateParam(description: string): Schema.Codec<string> {
  return DateParam.check(Schema.isMaxLength(10)).annotate({ description });
}

/** Text (Markdown), with a description. */
export function textParam(description: string): Schema.Codec<string> {
  return Text.check(Schema.isMaxLength(MAX_TEXT)).annotate({ description });
}

/** A one-line title, with a description. */
export function titleParam(description: string): Schema.Codec<string> {
  return Title.check(Schema.isMaxLength(MAX_TITLE)).annotate({ description });
}
