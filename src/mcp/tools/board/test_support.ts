/**
 * Shared support of the board tool's tests: the real MCP SDK client against the real server (temp
 * libSQL database, tier `project`) on a sandbox forge with its repository configured, helpers to
 * make features and tasks with issues, and a dump of every table a board action may write.
 *
 * @module
 */
import type { Layer } from "effect";
import { assert, assertEquals } from "../../../testing/assert.ts";
import type { ForgeSettings } from "../../../forges/forges.ts";
import { connectTestClient, DUMPED_TABLES, type TestClient } from "../../../testing/mcp_client.ts";
import {
  type PlatformId,
  quickSettings,
  SANDBOX_FACTORIES,
  sandboxEnv,
  type Sandboxes,
} from "../../../testing/platforms.ts";

export type { PlatformId, Sandboxes };

/** The tool under test. */
export const B = "orchestrator_project_board_manager";
/** The Git integration tool. */
export const G = "orchestrator_git_integration";

// deno-lint-ignore no-explicit-any
type Json = any;

/** What a test gets. */
export interface Ctx<P extends PlatformId> {
  readonly sb: Sandboxes[P];
  readonly c: TestClient;
  /** Calls a tool and returns `structuredContent`, failing the test on an error result. */
  ok(tool: string, args: Record<string, unknown>): Promise<Json>;
  /** Calls a tool that must fail with `code`, and returns `structuredContent.error`. */
  fails(tool: string, args: Record<string, unknown>, code: string): Promise<Json>;
  /** A task with an issue. */
  task(title: string): Promise<{ id: string; issue: number }>;
  /** An approved feature with an issue. */
  feature(title: string): Promise<{ id: string; issue: number }>;
  /** Sets a task's status through orchestrator_task (transitions allowed by the tool). */
  setTask(id: string, status: string): Promise<void>;
  /** Every row of every table a board action may write. */
  dump(): Promise<Record<string, unknown[]>>;
}

/** Quick retries: a forge that stays down fails fast. */
export const FAST = quickSettings({ maxAttempts: 2, maxDelayMs: 2, maxWaitSeconds: 0 });

const TABLES = [...DUMPED_TABLES, "boards", "board_items", "sync_outbox"];

/**
 * Runs `fn` against a fresh sandbox of `platform` with its repository configured (forge settings
 * `settings`, quick retries by default); closes both.
 */
export async function withBoards<P extends PlatformId>(
  platform: P,
  fn: (ctx: Ctx<P>) => Promise<void>,
  settings: Layer.Layer<ForgeSettings> = FAST,
): Promise<void> {
  const sb = await SANDBOX_FACTORIES[platform]() as Sandboxes[P];
  let c: TestClient | undefined;
  try {
    c = await connectTestClient(
      { ...sandboxEnv(sb), MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION_TIER: "project" },
      { settings },
    );
    const client = c;
    const ok = async (tool: string, args: Record<string, unknown>) => {
      const r = await client.call(tool, args);
      assert(!r.isError, `${tool} ${JSON.stringify(args)} failed: ${r.text}`);
      assertEquals(JSON.parse(r.text), r.structured);
      return r.structured;
    };
    const fails = async (tool: string, args: Record<string, unknown>, code: string) => {
      const r = await client.call(tool, args);
      assert(r.isError, `${tool} ${JSON.stringify(args)} was accepted: ${r.text}`);
      assertEquals(r.structured.error.code, code, r.text);
      return r.structured.error;
    };
    await ok(G, { action: "configure", platform, repository: sb.repository });
    const ctx: Ctx<P> = {
      sb,
      c: client,
      ok,
      fails,
      task: async (title) => {
        const { task } = await ok("orchestrator_task", { action: "create", title });
        const { link } = await ok(G, { action: "create_issue", task_id: task.task_id });
        return { id: task.task_id, issue: link.issue_number };
      },
      feature: async (title) => {
        const { feature } = await ok("orchestrator_feature", { action: "propose", title });
        await ok("orchestrator_feature", { action: "approve", feature_id: feature.feature_id });
        const { link } = await ok(G, { action: "create_issue", feature_id: feature.feature_id });
        return { id: feature.feature_id, issue: link.issue_number };
      },
      setTask: async (id, status) => {
        await ok("orchestrator_task", { action: "update", task_id: id, status });
      },
      dump: () => client.dump(TABLES),
    };
    await fn(ctx);
  } finally {
    await c?.close();
    await sb.close();
  }
}

/** The cards of a `view` result as [column, issue number, item id] rows. */
export function layout(view: Json): Array<[string | null, number, string | null]> {
  return view.columns.flatMap((col: Json) =>
    col.cards.map((card: Json) => [col.name, card.issue_number, card.item?.id ?? null])
  );
}
