/**
 * Helpers for the GitHub plugin's tests: a sandbox-connected client and Effect runners.
 *
 * @module
 */
import { Effect, Exit, Redacted, Stream } from "effect";
import { DEFAULT_STATUS_LABELS, isRepoParseError } from "../../src/platform/mod.ts";
import type {
  ChangedPage,
  PlatformClient,
  PlatformError,
  PluginEnv,
  RepoRef,
} from "../../src/platform/mod.ts";
import type { GitHubSandbox } from "../../src/testing/github_sandbox.ts";
import github from "./mod.ts";

/** A client connected to `gh` with its write token (or `overrides`). */
export async function connectTo(
  gh: GitHubSandbox,
  overrides: Partial<PluginEnv> = {},
): Promise<{ client: PlatformClient; repo: RepoRef }> {
  const repo = github.parseRepository(gh.repository);
  if (isRepoParseError(repo)) throw new Error(repo.message);
  const client = await Effect.runPromise(github.connect(envFor(gh, overrides)));
  return { client, repo };
}

/** The plugin environment for `gh`. */
export function envFor(gh: GitHubSandbox, overrides: Partial<PluginEnv> = {}): PluginEnv {
  return {
    fetch,
    apiUrl: gh.apiUrl,
    token: Redacted.make(gh.token),
    tokenVariable: "GITHUB_TOKEN",
    env: () => undefined,
    userAgent: "forgesync-test",
    statusLabels: DEFAULT_STATUS_LABELS,
    ...overrides,
  };
}

/** Runs an effect to its value. */
export function run<A>(effect: Effect.Effect<A, PlatformError>): Promise<A> {
  return Effect.runPromise(effect);
}

/** Runs an effect that must fail with a PlatformError, and returns the error. */
export async function failure(effect: Effect.Effect<unknown, PlatformError>): Promise<PlatformError> {
  const exit = await Effect.runPromiseExit(Effect.flip(effect));
  if (Exit.isFailure(exit)) throw new Error(`expected a failure, got a success or a defect: ${exit.cause}`);
  return exit.value;
}

/** Every page of a listing. */
export function pages(
  client: PlatformClient,
  repo: RepoRef,
  cursor: string | null,
): Promise<readonly ChangedPage[]> {
  return run(Stream.runCollect(client.listChanged(repo, cursor)));
}
