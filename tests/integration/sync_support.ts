/**
 * Shared support of the sync scenario, model and economy tests: the table of platforms (sandbox
 * factory, environment, capabilities), an MCP client on a sandbox with short retry waits, a dump
 * of the sync-relevant tables and a count of the writes the sandbox received.
 *
 * @module
 */
import type { Layer } from "effect";
import { connectTestClient, type TestClient } from "../../src/testing/mcp_client.ts";
import type { HarnessFactory, SandboxHarness } from "../../src/testing/harness.ts";
import type { ForgeSettings } from "../../src/forges/forges.ts";
import { quickSettings, SANDBOX_FACTORIES, sandboxEnv } from "../../src/testing/platforms.ts";
import { Db } from "../../src/store/db.ts";
import type { RemoteStatus } from "../../src/platform/types.ts";

/** The platform ids under test. */
export type { PlatformId } from "../../src/testing/platforms.ts";
import type { PlatformId } from "../../src/testing/platforms.ts";

/** One row of the platform table. */
export interface PlatformCase {
  readonly platform: PlatformId;
  readonly factory: HarnessFactory;
  /** The environment a forgesync process needs to reach the sandbox. */
  readonly env: (h: SandboxHarness) => Record<string, string>;
  /** Free-form labels exist. */
  readonly labels: boolean;
  /** A close reason distinct from labels exists (GitHub). */
  readonly closeReason: boolean;
  /** What a status written to the forge reads back as (Bitbucket: `failed` → `cancelled`). */
  readonly readBack: (status: RemoteStatus) => RemoteStatus;
}

/** The three built-in platforms. */
export const PLATFORMS: readonly PlatformCase[] = [
  {
    platform: "github",
    factory: SANDBOX_FACTORIES.github,
    env: sandboxEnv,
    labels: true,
    closeReason: true,
    readBack: (s) => s,
  },
  {
    platform: "gitlab",
    factory: SANDBOX_FACTORIES.gitlab,
    env: sandboxEnv,
    labels: true,
    closeReason: false,
    readBack: (s) => s,
  },
  {
    platform: "bitbucket",
    factory: SANDBOX_FACTORIES.bitbucket,
    env: sandboxEnv,
    labels: false,
    closeReason: false,
    readBack: (s) => (s === "failed" ? "cancelled" : s),
  },
];

/**
 * Retry quickly, time out after `timeoutMs`; `fetch` under the core's fetch. `maxWaitSeconds`
 * is the longest retry-after the retry waits for (0: a rate limit answers at once).
 */
export function shortSettings(
  fetchImpl?: typeof fetch,
  timeoutMs = 2000,
  maxWaitSeconds = 5,
): Layer.Layer<ForgeSettings> {
  return quickSettings({ fetch: fetchImpl, timeoutMs, maxWaitSeconds });
}

/** The tables compared before and after a call that must change nothing. */
export const SYNC_TABLES = [
  "git_integration_config",
  "tasks",
  "features",
  "feature_issue_links",
  "sync_bases",
  "sync_outbox",
  "sync_conflicts",
  "sync_cursors",
] as const;

/** Every row of {@link SYNC_TABLES}. */
export function dumpSync(c: TestClient): Promise<Record<string, unknown[]>> {
  return c.dump(SYNC_TABLES);
}

/** Rows of a query on the client's database. */
export function query<T = Record<string, unknown>>(
  c: TestClient,
  sql: string,
  args: readonly (string | number | null)[] = [],
): Promise<T[]> {
  return c.runtime.runPromise(Db.use((db) => db.query<T>(sql, [...args])));
}

/** Write requests (POST, PUT, PATCH, DELETE) the sandbox has answered so far. */
export function writes(h: SandboxHarness): number {
  return h.log.entries.filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method)).length;
}

/** The hidden marker of a task. */
export const taskMarker = (id: string): string => `<!-- forgesync:task=${id} -->`;

/** Sandbox issues whose body holds `marker` (deleted ones excluded). */
export function issuesWithMarker(h: SandboxHarness, marker: string): number[] {
  return h.issueNumbers().filter((n) => h.readIssue(n)?.body.includes(marker));
}

/** A sandbox, a client on it (short retry waits) and helpers; `close` releases both. */
export interface Session {
  readonly pc: PlatformCase;
  readonly h: SandboxHarness;
  c: TestClient;
  /** Calls orchestrator_git_integration; throws on an error result. */
  // deno-lint-ignore no-explicit-any
  git(args: Record<string, unknown>): Promise<any>;
  /** Calls orchestrator_task; throws on an error result. */
  // deno-lint-ignore no-explicit-any
  task(args: Record<string, unknown>): Promise<any>;
  /** Calls orchestrator_feature; throws on an error result. */
  // deno-lint-ignore no-explicit-any
  feature(args: Record<string, unknown>): Promise<any>;
  /** Calls a tool and returns the raw result (errors included). */
  call(tool: string, args: Record<string, unknown>): ReturnType<TestClient["call"]>;
  /** Configures the harness repository (plus `extra`). */
  // deno-lint-ignore no-explicit-any
  configure(extra?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

/** Options of {@link openSession}. */
export interface SessionOptions {
  /** Extra environment, or a function of the sandbox giving it (its URL is known only once started). */
  readonly env?: Record<string, string> | ((h: SandboxHarness) => Record<string, string>);
  readonly settings?: Layer.Layer<ForgeSettings>;
  /** Leave out the platform's API URL variable (tests of `api_url`). */
  readonly withoutApiUrl?: boolean;
}

/** Starts a sandbox of `pc` and a client on a fresh database. */
export async function openSession(pc: PlatformCase, options: SessionOptions = {}): Promise<Session> {
  const h = await pc.factory();
  const extra = typeof options.env === "function" ? options.env(h) : options.env ?? {};
  let env = { ...pc.env(h), ...extra };
  if (options.withoutApiUrl) {
    env = Object.fromEntries(Object.entries(env).filter(([k]) => !k.endsWith("_API_URL")));
  }
  let c: TestClient;
  try {
    c = await connectTestClient(env, { settings: options.settings ?? shortSettings() });
  } catch (error) {
    await h.close();
    throw error;
  }
  const strict = (tool: string) => async (args: Record<string, unknown>) => {
    const r = await session.c.call(tool, args);
    if (r.isError) {
      throw new Error(`${tool} ${String(args.action)} failed: ${JSON.stringify(r.structured?.error)}`);
    }
    return r.structured;
  };
  const session: Session = {
    pc,
    h,
    c,
    git: strict("orchestrator_git_integration"),
    task: strict("orchestrator_task"),
    feature: strict("orchestrator_feature"),
    call: (tool, args) => session.c.call(tool, args),
    configure: (extra = {}) =>
      strict("orchestrator_git_integration")({
        action: "configure",
        platform: pc.platform,
        repository: h.repository,
        ...extra,
      }),
    close: async () => {
      try {
        await session.c.close();
      } finally {
        await h.close();
      }
    },
  };
  return session;
}

/** Creates a task and its issue; returns the task id and the issue number. */
export async function taskWithIssue(
  s: Session,
  fields: Record<string, unknown> = {},
): Promise<{ task_id: string; number: number; link_id: number }> {
  const { task } = await s.task({ action: "create", title: "A task", description: "Its text", ...fields });
  const created = await s.git({ action: "create_issue", task_id: task.task_id });
  if (created.sync_status !== "synced") throw new Error(`create_issue: ${JSON.stringify(created)}`);
  return { task_id: task.task_id, number: created.link.issue_number, link_id: created.link.link_id };
}

/** The body the forge holds for a task with the default template. */
export function taskBody(taskId: string, text: string): string {
  return text === "" ? taskMarker(taskId) : `${text}\n\n${taskMarker(taskId)}`;
}

/** Waits `ms` (only to order timestamps, never to wait for a result). */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
