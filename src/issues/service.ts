/**
 * The Git integration as a service (SPEC §5 `orchestrator_git_integration`): configure a repository,
 * turn a feature or a task into an issue, link and unlink existing issues, import issues as tasks,
 * reconcile now, show the state of each repository and settle conflicts. One action a file; each
 * writes in one transaction of the store (`../store/`), and sends through the outbox and the passes
 * of `../sync/` — never to the forge on its own, but for reads (`link_task`, `import_issues`) and
 * the access check of `configure`.
 *
 * The MCP tool (`../mcp/tools/orchestrator_git_integration.ts`) holds only parameters, result
 * shapes and the calls; the CLI's `status` and `import` call these functions too.
 *
 * @module
 */
export type { Progress } from "./links.ts";
export { configure, type ConfigureInput, type ConfigureResult, DEFAULT_PLATFORM } from "./configure.ts";
export {
  createIssue,
  type CreateIssueInput,
  type CreateIssueResult,
  type IssueFields,
} from "./create_issue.ts";
export { updateIssue, type UpdateIssueInput, type UpdateIssueResult } from "./update_issue.ts";
export { issueNumberFromUrl, linkTask, type LinkTaskInput, unlink, type UnlinkInput } from "./link.ts";
export { importIssues, type ImportIssuesInput, type ImportIssuesResult } from "./import_issues.ts";
export {
  resolveConflict,
  type ResolveConflictInput,
  type ResolveConflictResult,
} from "./resolve_conflict.ts";
export {
  type ConflictPage,
  type RepositoryStatus,
  repositoryStatus,
  status,
  type StatusInput,
} from "./status.ts";
export { passOutcome, syncNow, type SyncNowInput, type SyncNowResult } from "./sync_now.ts";
