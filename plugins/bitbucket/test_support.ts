/**
 * Helpers shared by the Bitbucket plugin's tests: a sandbox, the plugin connected to it in either
 * authentication mode through a counting `fetch`, and effect runners.
 *
 * @module
 */
import { Effect, Exit, Redacted, Stream } from "effect";
import {
  type ChangedPage,
  DEFAULT_STATUS_LABELS,
  isRepoParseError,
  type PlatformClient,
  PlatformError,
  type PluginEnv,
  type RepoRef,
} from "../../src/platform/mod.ts";
import { type BitbucketSandbox, createBitbucketSandbox } from "../../src/testing/bitbucket_sandbox.ts";
import plugin from "./mod.ts";

/** How the plugin authenticates in a test. */
export type AuthMode = "basic" | "bearer" | "bearer-readonly" | "basic-readonly" | "bearer-noaccess";

/** A connected plugin and its sandbox. */
export interface Setup {
  readonly sb: BitbucketSandbox;
  readonly client: PlatformClient;
  readonly repo: RepoRef;
  /** Requests that went through `env.fetch`. */
  readonly fetched: () => number;
  readonly env: PluginEnv;
}

/** The plugin's environment for a sandbox credential. */
export function envFor(sb: BitbucketSandbox, mode: AuthMode, count: { n: number }): PluginEnv {
  const c = sb.credentials;
  const token = {
    basic: c.apiToken,
    "basic-readonly": c.readOnlyApiToken,
    bearer: c.accessToken,
    "bearer-readonly": c.readOnlyToken,
    "bearer-noaccess": c.noAccessToken,
  }[mode];
  const email = mode === "basic" ? c.email : mode === "basic-readonly" ? c.readOnlyEmail : undefined;
  return {
    fetch: (input, init) => {
      count.n++;
      return fetch(input, init);
    },
    apiUrl: sb.apiUrl,
    token: Redacted.make(token),
    tokenVariable: "BITBUCKET_TOKEN",
    env: (name) => (name === "BITBUCKET_EMAIL" ? email : undefined),
    userAgent: "forgesync-test",
    statusLabels: DEFAULT_STATUS_LABELS,
  };
}

/** Runs `fn` with a fresh sandbox and the plugin connected to it; closes the sandbox after. */
export async function withPlugin(
  fn: (s: Setup) => Promise<void>,
  mode: AuthMode = "basic",
  options: Parameters<typeof createBitbucketSandbox>[0] = {},
): Promise<void> {
  const sb = await createBitbucketSandbox(options);
  try {
    const count = { n: 0 };
    const env = envFor(sb, mode, count);
    const client = await Effect.runPromise(plugin.connect(env));
    const repo = plugin.parseRepository(sb.repository);
    if (isRepoParseError(repo)) throw new Error(repo.message);
    await fn({ sb, client, repo, fetched: () => count.n, env });
  } finally {
    await sb.close();
  }
}

/** Runs an effect to its value. */
export function run<A>(effect: Effect.Effect<A, PlatformError>): Promise<A> {
  return Effect.runPromise(effect);
}

/** Runs an effect that must fail with a PlatformError, and returns the error. */
export async function failure(effect: Effect.Effect<unknown, PlatformError>): Promise<PlatformError> {
  const exit = await Effect.runPromiseExit(effect);
  if (Exit.isSuccess(exit)) {
    throw new Error(`Expected a failure, got ${JSON.stringify(exit.value).slice(0, 300)}`);
  }
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error;
  if (!(error instanceof PlatformError)) {
    throw new Error(`Expected a PlatformError, got ${String(exit.cause)}`);
  }
  return error;
}

/** Every page of a listing. */
export function pages(client: PlatformClient, repo: RepoRef, cursor: string | null): Promise<ChangedPage[]> {
  return run(Stream.runCollect(client.listChanged(repo, cursor))).then((chunk) => [...chunk]);
}
