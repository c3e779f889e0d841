/**
 * Issue actions of orchestrator_git_integration — create_issue, update_issue, link_task, unlink and
 * import_issues: their parameters and the calls. The logic lives in `src/issues/`.
 *
 * @module
 */
import { Schema } from "effect";
import { createIssue, importIssues, linkTask, unlink, updateIssue } from "../../../issues/service.ts";
import { FeatureId, TaskId } from "../../params.ts";
import { action } from "../../tool.ts";
import {
  Force,
  ImportIssuesParams,
  IssueConfig,
  IssueNumber,
  LinkSelector,
  Platform,
  Repository,
  Url,
} from "./params.ts";

const opt = Schema.optionalKey;

const createIssueAction = action({
  description:
    "Create the issue of an approved feature (feature_id), of a task (task_id), or of new raw fields " +
    "(issue_config, which also creates a local task to track it); returns the existing link when already linked.",
  params: Schema.Struct({
    feature_id: opt(FeatureId),
    task_id: opt(TaskId),
    issue_config: opt(IssueConfig),
    repository: opt(Repository),
    platform: opt(Platform),
    force: opt(Force),
  }),
  run: (input) => createIssue(input),
});

const updateIssueAction = action({
  destructive: true,
  description: "Push a linked item to its issue now (after applying issue_config to the item, if given), " +
    "sending again a write the forge refused before; returns the pass that sent it.",
  params: Schema.Struct({ ...LinkSelector, issue_config: opt(IssueConfig) }),
  run: (input) => updateIssue(input),
});

const linkTaskAction = action({
  description:
    "Link an existing issue (issue_number or issue_url) to a task or feature; prefer says which side's " +
    "values win at first (remote by default).",
  params: Schema.Struct({
    task_id: opt(TaskId),
    feature_id: opt(FeatureId),
    issue_number: opt(IssueNumber),
    issue_url: opt(Url),
    repository: opt(Repository),
    platform: opt(Platform),
    prefer: opt(Schema.Literals(["remote", "local"])),
  }),
  run: (input) => linkTask(input),
});

const unlinkAction = action({
  destructive: true,
  description:
    "Remove a link (by link_id, task_id, feature_id or issue_number); the issue and the item stay as they are.",
  params: Schema.Struct(LinkSelector),
  run: (input) => unlink(input),
});

const importIssuesAction = action({
  reads: (params) => params.dry_run === true,
  description:
    "Create local tasks for the repository's issues not linked yet (filter by state and labels; limit " +
    "caps how many); dry_run counts without writing.",
  params: ImportIssuesParams,
  run: (input, context) => importIssues(input, context.progress),
});

/** The issue actions. */
export const issueActions = {
  create_issue: createIssueAction,
  update_issue: updateIssueAction,
  link_task: linkTaskAction,
  unlink: unlinkAction,
  import_issues: importIssuesAction,
};
