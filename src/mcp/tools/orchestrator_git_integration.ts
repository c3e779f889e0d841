/**
 * `orchestrator_git_integration` (tier basic+): configure repositories, turn features and tasks
 * into issues, link existing issues, import issues, reconcile both sides, inspect and resolve
 * conflicts, create milestones.
 *
 * @module
 */
import type { Tool } from "../tool.ts";
import { configure } from "./git/configure.ts";
import { issueActions } from "./git/issues.ts";
import { syncActions } from "./git/sync.ts";
import { GitOutput } from "./git/shapes.ts";
import type { Configs } from "../../store/configs.ts";
import type { Db } from "../../store/db.ts";
import type { Features } from "../../store/features.ts";
import type { Tasks } from "../../store/tasks.ts";
import type { Links } from "../../store/links.ts";
import type { Forges } from "../../forges/forges.ts";
import type { Sync } from "../../sync/service.ts";
import type { Config } from "../../config.ts";

/** The Git integration tool. */
export const orchestratorGitIntegration: Tool<
  Db | Configs | Forges | Sync | Tasks | Features | Links | Config
> = {
  name: "orchestrator_git_integration",
  description: "Link features and tasks to GitHub, GitLab or Bitbucket issues and keep both sides in step. " +
    "Start with configure (platform, repository, api_token_name: the NAME of the token variable). " +
    "create_issue turns an approved feature or a task into an issue; link_task links an existing one; sync_status " +
    "reconciles now (two-way: titles, bodies, status, labels, assignees) and dry_run shows the plan; status shows " +
    "links, queued writes, conflicts and the rate-limit budget. Local changes are never lost: when the forge is " +
    'unreachable the write is queued and the result says sync_status "pending".',
  tier: "basic",
  annotations: {
    title: "Git integration",
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
  actions: { configure, ...issueActions, ...syncActions },
  output: GitOutput,
};
