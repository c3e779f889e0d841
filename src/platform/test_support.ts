/**
 * Test support for the platform layer: a GitHub plugin client connected to a sandbox through the
 * core's fetch, with counters and (optionally) the conditional-request cache.
 *
 * @module
 */
import { Effect, Redacted } from "effect";
import github from "../../plugins/github/mod.ts";
import { type AnswerStore, type ForgeStats, makeForgeFetch, newStats } from "./forge_fetch.ts";
import { DEFAULT_STATUS_LABELS, isRepoParseError, type PlatformClient, type RepoRef } from "./types.ts";
import type { GitHubSandbox } from "../testing/github_sandbox.ts";

/** A raw (unwrapped) GitHub client on a sandbox. */
export interface SandboxClient {
  readonly client: PlatformClient;
  readonly repo: RepoRef;
  readonly stats: ForgeStats;
}

/** Connects the GitHub plugin to `sandbox` through the core's fetch. */
export async function githubClient(
  sandbox: GitHubSandbox,
  options: { readonly answers?: AnswerStore; readonly token?: string; readonly tokenVariable?: string } = {},
): Promise<SandboxClient> {
  const stats = newStats();
  const repo = github.parseRepository(sandbox.repository);
  if (isRepoParseError(repo)) throw new Error(repo.message);
  const token = options.token ?? sandbox.token;
  const client = await Effect.runPromise(github.connect({
    fetch: makeForgeFetch({ stats, answers: options.answers, timeoutMs: 5_000 }),
    apiUrl: sandbox.apiUrl,
    token: token === "" ? undefined : Redacted.make(token),
    tokenVariable: options.tokenVariable ?? "GITHUB_TOKEN",
    env: () => undefined,
    userAgent: "forgesync-test",
    statusLabels: DEFAULT_STATUS_LABELS,
  }));
  return { client, repo, stats };
}
