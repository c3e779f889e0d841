/**
 * The GitHub sandbox forge (SPEC §9): the GitHub REST subset forgesync uses, served in-process on
 * 127.0.0.1 for tests, the demo, the conformance kit and the benchmarks. The implementation lives
 * in `./github/`.
 *
 * @example
 * ```ts ignore
 * import { createGitHubSandbox } from "./github_sandbox.ts";
 * const gh = await createGitHubSandbox();
 * await gh.seedIssues(250);
 * // give a plugin GITHUB_API_URL = gh.apiUrl and GITHUB_TOKEN = gh.token
 * await gh.close();
 * ```
 *
 * @module
 */
export { createGitHubSandbox, githubStatus, SANDBOX_STATUS_LABELS, statusOf } from "./github/sandbox.ts";
export type { GitHubSandbox, GitHubSandboxOptions, GitHubSandboxTokens } from "./github/sandbox.ts";
export { ApiError, GitHubState } from "./github/state.ts";
export type { IssueFields, IssueQuery } from "./github/state.ts";
export type { IssueRec, LabelRec, MilestoneRec, ReleaseRec, RepoRec, UserRec } from "./github/model.ts";
