/**
 * The three built-in platforms for tests: a sandbox factory per platform, the environment that
 * points a forgesync runtime at a sandbox, and forge settings with short retry waits.
 *
 * @module
 */
import { Layer } from "effect";
import { ForgeSettings } from "../forges/forges.ts";
import type { SandboxHarness } from "./harness.ts";
import { createGitHubSandbox, type GitHubSandbox } from "./github_sandbox.ts";
import { createGitLabSandbox, type GitLabSandbox } from "./gitlab_sandbox.ts";
import { type BitbucketSandbox, createBitbucketSandbox } from "./bitbucket_sandbox.ts";

/** The sandbox of each built-in platform. */
export interface Sandboxes {
  github: GitHubSandbox;
  gitlab: GitLabSandbox;
  bitbucket: BitbucketSandbox;
}

/** A built-in platform id. */
export type PlatformId = keyof Sandboxes;

/** Starts a fresh sandbox of each platform. */
export const SANDBOX_FACTORIES: { readonly [P in PlatformId]: () => Promise<Sandboxes[P]> } = {
  github: () => createGitHubSandbox(),
  gitlab: () => createGitLabSandbox(),
  bitbucket: () => createBitbucketSandbox(),
};

/**
 * The environment of a forgesync runtime using `harness`: the integration on, `<PLATFORM>_API_URL`
 * and `<PLATFORM>_TOKEN` pointing at the sandbox, and the harness's own variables.
 */
export function sandboxEnv(harness: SandboxHarness): Record<string, string> {
  const prefix = harness.platform.toUpperCase();
  return {
    MCP_TASK_ORCHESTRATOR_GIT_INTEGRATION: "true",
    [`${prefix}_API_URL`]: harness.apiUrl,
    [`${prefix}_TOKEN`]: harness.token,
    ...harness.env,
  };
}

/** Options of {@link quickSettings}. */
export interface QuickSettings {
  /** The fetch under the core's fetch (global fetch by default). */
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  readonly maxDelayMs?: number;
  /** The longest retry-after a retry waits for (0: a rate limit answers at once). */
  readonly maxWaitSeconds?: number;
}

/** Forge settings with short retry waits, so that a forge that stays down fails fast. */
export function quickSettings(options: QuickSettings = {}): Layer.Layer<ForgeSettings> {
  return Layer.succeed(ForgeSettings, {
    policy: {
      maxAttempts: options.maxAttempts ?? 3,
      baseDelayMs: 1,
      maxDelayMs: options.maxDelayMs ?? 5,
      maxWaitSeconds: options.maxWaitSeconds ?? 5,
    },
    timeoutMs: options.timeoutMs ?? 2000,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  });
}
