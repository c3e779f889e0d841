/**
 * Release coordination (SPEC §5, `orchestrator_release_coordinator`): plan a release as a platform
 * milestone holding the issues of its features, follow its progress, render its notes, tag it
 * (a release on GitHub and GitLab, a tag on Bitbucket) and close its milestone, or cancel it. One
 * action a file; this module gathers them for the tool.
 *
 * What is local and what is remote:
 * - the plan (`release_milestones`), progress and notes are local and answer offline;
 * - `plan_release` creates (or adopts, by title) the milestone and puts each linked issue in it
 *   through the platform client. With the forge down or rate limited, the plan is kept with status
 *   `planning` and the result says `pending`: calling `plan_release` again finishes it, sending only
 *   what is missing (issues already put in the milestone are recorded);
 * - `tag_release` records the tag as soon as the forge has it, so that a second call after a
 *   failure later on does not tag twice; then it closes the milestone where the platform allows,
 *   marks the features completed and runs a sync pass, which closes their issues.
 *
 * Each action that writes to the forge (`plan_release`, `create_milestone`, `tag_release`,
 * `cancel_release`) is logged as a `milestone_sync` row of `sync_status_logs`
 * (`../sync/operation_log.ts`).
 *
 * @module
 */
export type { Progress, ReleaseServices, RemoteOutcome, Where } from "./common.ts";
export { type IssueAssignment, type PlanInput, planRelease } from "./plan_release.ts";
export { createMilestone, type MilestoneInput } from "./create_milestone.ts";
export { type FeatureStatusOut, releaseStatus } from "./release_status.ts";
export { entriesOf, type NotesInput } from "./notes.ts";
export { generateChangelog } from "./generate_changelog.ts";
export { type TagInput, tagRelease } from "./tag_release.ts";
export { cancelRelease } from "./cancel_release.ts";
