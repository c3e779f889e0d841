/**
 * Test support: a database worth looking at, made through the tools (as an assistant would) against
 * the GitHub sandbox — imported issues, features (one with a hostile title), local tasks without an
 * issue, a release with progress, a board, open conflicts, a parked write, and a few passes of
 * activity. Shared by the dashboard's page tests and its browser tests.
 *
 * @module
 */
import type { GitHubSandbox } from "../../testing/github_sandbox.ts";

/** Calls a tool and returns its structured result; throws on an error result. */
// deno-lint-ignore no-explicit-any
export type CallTool = (name: string, args: Record<string, unknown>) => Promise<any>;

/** Titles and ids the tests look for. */
export interface Seeded {
  readonly features: { readonly dark: string; readonly offline: string; readonly hostile: string };
  /** A local task linked to no issue, the newest of all. */
  readonly newestTask: string;
  /** Tasks whose title conflicts (local vs remote), with their conflict ids. */
  readonly conflicts: readonly number[];
  readonly releaseId: number;
  readonly issues: number;
}

/** A title that would run a script if it were not escaped. */
export const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** Seeds the dashboard's data; `imported` issues are listed on the forge first. */
export async function seedDashboard(tool: CallTool, forge: GitHubSandbox, imported = 120): Promise<Seeded> {
  const G = "orchestrator_git_integration";
  await tool(G, {
    action: "configure",
    platform: "github",
    repository: forge.repository,
    conflict_policy: "manual",
  });
  await forge.seedIssues(
    imported,
    (i) => ({ title: `Imported issue ${i + 1}`, body: `Body of issue ${i + 1}` }),
  );
  await tool(G, { action: "import_issues" });

  const feature = async (title: string, specification: string) => {
    const { feature } = await tool("orchestrator_feature", { action: "propose", title, specification });
    await tool("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
    return feature.feature_id as string;
  };
  const dark = await feature("Dark mode", "A dark theme that follows the system setting.");
  const offline = await feature("Offline sync", "Edits made offline reach the forge later.");
  const hostile = await feature(HOSTILE, "A title that must stay text.");
  await tool(G, { action: "create_issue", feature_id: dark });

  const task = async (title: string, featureId: string, status?: string) => {
    const { task } = await tool("orchestrator_task", { action: "create", title, feature_id: featureId });
    if (status !== undefined) {
      await tool("orchestrator_task", { action: "update", task_id: task.task_id, status: "in_progress" });
      if (status !== "in_progress") {
        await tool("orchestrator_task", { action: "update", task_id: task.task_id, status });
      }
    }
    return task.task_id as string;
  };
  const palette = await task("Pick the dark palette", dark, "completed");
  await task("Contrast check of every screen", dark, "in_progress");
  const queue = await task("Queue edits while offline", offline, "completed");
  await task("Retry queued edits with backoff", offline);
  await tool(G, { action: "create_issue", task_id: palette });
  await tool(G, { action: "create_issue", task_id: queue });

  await tool("orchestrator_release_coordinator", {
    action: "plan_release",
    release_version: "v1.0.0",
    target_date: "2031-06-30",
    included_features: [dark, offline],
  });

  const board = await tool("orchestrator_project_board_manager", {
    action: "create_board",
    board_type: "feature_development",
  });
  await tool("orchestrator_project_board_manager", { action: "add_to_board", feature_id: dark });
  await tool("orchestrator_project_board_manager", { action: "add_to_board", task_id: palette });
  await tool("orchestrator_project_board_manager", { action: "add_to_board", task_id: queue });
  void board;

  // Both sides change the same titles: conflicts (the policy is manual).
  const { tasks } = await tool("orchestrator_task", { action: "list", limit: 200 });
  const importedTasks = (tasks as { task_id: string; title: string; links: { issue_number: number }[] }[])
    .filter((t) => t.title.startsWith("Imported") && t.links.length === 1);
  const numbers = new Map(importedTasks.map((t) => [t.title, t.links[0]!.issue_number]));
  const numberOf = (title: string) => numbers.get(title)!;
  for (const t of importedTasks.slice(0, 3)) {
    await tool("orchestrator_task", {
      action: "update",
      task_id: t.task_id,
      title: `${t.title} (local edit)`,
    });
    await forge.remoteEdit(numberOf(t.title), { title: `${t.title} (edited on GitHub)` });
  }
  // Passes with some activity each.
  for (let round = 0; round < 4; round++) {
    for (const t of importedTasks.slice(10 + round * 5, 15 + round * 5)) {
      await forge.remoteEdit(numberOf(t.title), { title: `${t.title} — round ${round}` });
    }
    await tool(G, { action: "sync_status" });
  }
  // A write the forge refuses for good: parked.
  const refused = importedTasks[40]!;
  forge.faults.add({
    kind: "status",
    status: 403,
    path: new RegExp(`/issues/${numberOf(refused.title)}$`),
    times: Infinity,
  });
  await tool("orchestrator_task", {
    action: "update",
    task_id: refused.task_id,
    title: "Refused on the forge",
  });
  await tool(G, { action: "sync_status" });

  const status = await tool(G, { action: "status" });
  const conflicts = (status.repositories[0].open_conflicts as { conflict_id: number }[]).map((c) =>
    c.conflict_id
  );
  const newest = await tool("orchestrator_task", {
    action: "create",
    title: "Newest local task, no issue yet",
  });
  const { releases } = await tool("orchestrator_release_coordinator", { action: "status" });
  return {
    features: { dark, offline, hostile },
    newestTask: newest.task.task_id,
    conflicts,
    releaseId: releases[0].release.release_id,
    issues: imported,
  };
}
