/**
 * Shared support of the release coordinator's tests: an MCP client (the real SDK client against
 * the real server, temp libSQL database) on a sandbox forge with a configured repository, and
 * helpers to make features with issues.
 *
 * @module
 */
import { connectTestClient, type TestClient } from "../../../testing/mcp_client.ts";
import {
  type PlatformId,
  quickSettings,
  SANDBOX_FACTORIES,
  sandboxEnv,
  type Sandboxes,
} from "../../../testing/platforms.ts";

export type { PlatformId, Sandboxes };

/** The tool under test. */
export const R = "orchestrator_release_coordinator";
/** The Git integration tool. */
export const G = "orchestrator_git_integration";

/** What a test gets. */
export interface Ctx<P extends PlatformId> {
  readonly sb: Sandboxes[P];
  readonly c: TestClient;
  /** Calls a tool and returns `structuredContent`, throwing on an error result. */
  // deno-lint-ignore no-explicit-any
  ok(tool: string, args: Record<string, unknown>): Promise<any>;
  /** Calls a tool that must fail, and returns `structuredContent.error`. */
  // deno-lint-ignore no-explicit-any
  fails(tool: string, args: Record<string, unknown>): Promise<any>;
  /** Proposes and approves a feature, optionally with its issue; returns its id and issue number. */
  feature(
    title: string,
    options?: { labels?: string[]; issue?: boolean },
  ): Promise<{ id: string; issue: number | null }>;
  /** Creates a task of a feature with its own issue; returns its id and issue number. */
  taskWithIssue(featureId: string, title: string, labels?: string[]): Promise<{ id: string; issue: number }>;
}

/** Quick retries: a forge that stays down fails fast. */
const settings = quickSettings({ maxAttempts: 2, maxDelayMs: 2, maxWaitSeconds: 0 });

/** Runs `fn` against a fresh sandbox of `platform` with its repository configured; closes both. */
export async function withRelease<P extends PlatformId>(
  platform: P,
  fn: (ctx: Ctx<P>) => Promise<void>,
  extraEnv: (sb: Sandboxes[P]) => Record<string, string> = () => ({}),
): Promise<void> {
  const sb = await SANDBOX_FACTORIES[platform]() as Sandboxes[P];
  let c: TestClient | undefined;
  try {
    c = await connectTestClient({ ...sandboxEnv(sb), ...extraEnv(sb) }, { settings });
    const client = c;
    const ok = async (tool: string, args: Record<string, unknown>) => {
      const r = await client.call(tool, args);
      if (r.isError) throw new Error(`${tool} ${JSON.stringify(args)} failed: ${r.text}`);
      return r.structured;
    };
    const fails = async (tool: string, args: Record<string, unknown>) => {
      const r = await client.call(tool, args);
      if (!r.isError) throw new Error(`${tool} ${JSON.stringify(args)} should have failed: ${r.text}`);
      return r.structured.error;
    };
    await ok(G, { action: "configure", platform, repository: sb.repository });
    const feature = async (title: string, options: { labels?: string[]; issue?: boolean } = {}) => {
      const { feature } = await ok("orchestrator_feature", {
        action: "propose",
        title,
        specification: `Specification of ${title}.`,
        ...(options.labels ? { labels: options.labels } : {}),
      });
      await ok("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
      if (options.issue === false) return { id: feature.feature_id as string, issue: null };
      const { link } = await ok(G, { action: "create_issue", feature_id: feature.feature_id });
      return { id: feature.feature_id as string, issue: link.issue_number as number };
    };
    const taskWithIssue = async (featureId: string, title: string, labels?: string[]) => {
      const { task } = await ok("orchestrator_task", {
        action: "create",
        title,
        feature_id: featureId,
        ...(labels ? { labels } : {}),
      });
      const { link } = await ok(G, { action: "create_issue", task_id: task.task_id });
      return { id: task.task_id as string, issue: link.issue_number as number };
    };
    await fn({ sb, c, ok, fails, feature, taskWithIssue });
  } finally {
    await c?.close();
    await sb.close();
  }
}

/** The forges with milestones and releases through their API. */
export type Forge = "github" | "gitlab";

/** The milestone titled `title` on the forge, in common terms. */
export function milestoneOn(
  sb: Sandboxes[Forge],
  title: string,
): { open: boolean; due: string | null; count: number } | undefined {
  if ("repoRec" in sb) {
    const m = sb.repoRec.milestones.find((x) => x.title === title);
    return m === undefined ? undefined : {
      open: m.state === "open",
      due: m.due_on === null ? null : new Date(m.due_on).toISOString().slice(0, 10),
      count: sb.repoRec.milestones.filter((x) => x.title === title).length,
    };
  }
  const m = sb.project.milestones.find((x) => x.title === title);
  return m === undefined ? undefined : {
    open: m.state === "active",
    due: m.due_date,
    count: sb.project.milestones.filter((x) => x.title === title).length,
  };
}
