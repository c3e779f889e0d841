/**
 * `orchestrator_release_coordinator` (tier full): plan releases as platform milestones holding the
 * issues of their features, follow their progress, render release notes, tag them (GitHub and
 * GitLab releases, Bitbucket tags) and cancel them. The logic lives in `src/releases/`.
 *
 * @module
 */
import { Schema } from "effect";
import { action, type Tool } from "../tool.ts";
import { Platform, Repository } from "./git/params.ts";
import {
  dateParam,
  GitRef,
  IncludedFeatures,
  NotesTemplateParam,
  ReleaseNotes,
  ReleaseVersion,
  TagName,
  textParam,
  titleParam,
} from "./release/params.ts";
import { ReleaseOutput } from "./release/shapes.ts";
import {
  cancelRelease,
  createMilestone,
  generateChangelog,
  planRelease,
  type ReleaseServices,
  releaseStatus,
  tagRelease,
} from "../../releases/coordinator.ts";

const opt = Schema.optionalKey;

const where = { repository: opt(Repository), platform: opt(Platform) };

const notes = {
  release_notes_template: opt(NotesTemplateParam),
  release_notes: opt(ReleaseNotes),
  previous_tag: opt(TagName.annotate({
    description: "The previous release's tag, for GitHub's generated notes (default: the latest release).",
  })),
};

const plan = action({
  description: "Plan a release (release_version, target_date, included_features, description): records it, " +
    "creates or adopts the platform milestone titled release_version and puts the linked issues of the " +
    "features (and of their tasks) in it. Idempotent: calling it again sends only what is missing and adds " +
    "new features.",
  params: Schema.Struct({
    release_version: ReleaseVersion,
    target_date: opt(dateParam("Target date YYYY-MM-DD (the milestone's due date).")),
    included_features: opt(IncludedFeatures),
    description: opt(textParam("Description of the milestone (Markdown).")),
    ...where,
  }),
  run: (input, context) => planRelease(input, context.progress),
});

const milestone = action({
  description:
    "Create a milestone on the forge (title, description, due_on) and record it; plan_release with the " +
    "same title adopts it. Bitbucket milestones are read-only: UNSUPPORTED there.",
  params: Schema.Struct({
    title: titleParam("The milestone's title."),
    description: opt(textParam("Description of the milestone (Markdown).")),
    due_on: opt(dateParam("Due date YYYY-MM-DD.")),
    ...where,
  }),
  run: (input) => createMilestone(input),
});

const status = action({
  reads: true,
  description: "Progress of a release (release_version): per feature, from its status and its tasks, and " +
    "overall; without release_version, every release of the repository.",
  params: Schema.Struct({ release_version: opt(ReleaseVersion), ...where }),
  run: (input) => releaseStatus(input),
});

const changelog = action({
  reads: true,
  description:
    "Render the release notes of a release as Markdown (release_notes_template automated, manual " +
    "or hybrid); creates nothing.",
  params: Schema.Struct({
    release_version: ReleaseVersion,
    ...notes,
    tag_name: opt(TagName.annotate({ description: "Tag name (default: release_version)." })),
    ref: opt(GitRef),
    ...where,
  }),
  run: (input) => generateChangelog(input),
});

const tag = action({
  destructive: true,
  description: "Tag a release: a release with its notes on GitHub and GitLab, a tag on the commit ref on " +
    "Bitbucket; then close its milestone where the platform allows, mark its features completed and sync " +
    "them (their issues close).",
  params: Schema.Struct({
    release_version: ReleaseVersion,
    tag_name: opt(TagName.annotate({ description: "Tag name (default: release_version)." })),
    name: opt(titleParam("The release's title (default: release_version).")),
    ref: opt(GitRef),
    ...notes,
    ...where,
  }),
  run: (input) => tagRelease(input),
});

const cancel = action({
  destructive: true,
  description: "Cancel a release: status cancelled, its milestone closed where the platform allows; the " +
    "features are left as they are.",
  params: Schema.Struct({ release_version: ReleaseVersion, ...where }),
  run: (input) => cancelRelease(input),
});

/** The release coordinator tool. */
export const orchestratorReleaseCoordinator: Tool<ReleaseServices> = {
  name: "orchestrator_release_coordinator",
  description:
    "Coordinate releases with the forge's milestones and releases. plan_release records a release " +
    "and puts its features' issues in a milestone of the same title; status shows progress per feature; " +
    "generate_changelog renders release notes (automated, manual or hybrid); tag_release creates the release " +
    "(GitHub, GitLab) or tag (Bitbucket: pass ref, the commit hash), closes the milestone and completes the " +
    "features; cancel_release cancels. Needs a configured repository (orchestrator_git_integration configure).",
  tier: "full",
  annotations: {
    title: "Release coordinator",
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
  actions: {
    plan_release: plan,
    create_milestone: milestone,
    status,
    generate_changelog: changelog,
    tag_release: tag,
    cancel_release: cancel,
  },
  output: ReleaseOutput,
};
