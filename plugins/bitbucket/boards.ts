/**
 * Boards on Bitbucket Cloud: there are none it can drive — Bitbucket's boards live in Jira
 * Software. The client's `boards` member says so, and what to do instead; the core answers every
 * board action with it.
 *
 * @module
 */
import type { NoBoards } from "../../src/platform/mod.ts";

/** Why Bitbucket has no boards, and what to do instead (every board action answers this). */
export const NO_BOARDS: NoBoards = {
  unsupported: {
    message: "Bitbucket Cloud issues have no project boards: Bitbucket's boards live in Jira Software.",
    hint:
      "Plan on a Jira board linked to the repository (Repository settings → Jira), or configure a GitHub " +
      "or GitLab repository for orchestrator_project_board_manager.",
  },
};
