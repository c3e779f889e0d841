/**
 * Issue actions: create_issue, update_issue, link_task, unlink and import_issues (one file each).
 *
 * @module
 */
import { createIssue } from "./create_issue.ts";
import { updateIssue } from "./update_issue.ts";
import { linkTask, unlink } from "./link.ts";
import { importIssues } from "./import_issues.ts";

/** The issue actions. */
export const issueActions = {
  create_issue: createIssue,
  update_issue: updateIssue,
  link_task: linkTask,
  unlink,
  import_issues: importIssues,
};
