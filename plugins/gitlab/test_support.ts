/**
 * Test support for the GitLab plugin's tests: a `PluginEnv` pointing at a GitLab sandbox, with a
 * fetch that counts what it sends, and runners for Effects and Streams.
 *
 * @module
 */
import { Effect, Redacted, Stream } from "effect";
import {
  DEFAULT_STATUS_LABELS,
  type PlatformClient,
  type PlatformError,
  type PluginEnv,
  type RepoRef,
} from "../../src/platform/mod.ts";
import {
  createGitLabSandbox,
  type GitLabSandbox,
  type GitLabSandboxOptions,
} from "../../src/testing/gitlab_sandbox.ts";
import gitlab from "./mod.ts";

/** A test environment: the env, the client, the harness repository and the fetch count. */
export interface TestRig {
  readonly sandbox: GitLabSandbox;
  readonly env: PluginEnv;
  readonly client: PlatformClient;
  readonly repo: RepoRef;
  /** Requests sent through `env.fetch`. */
  readonly sent: string[];
}

/** Options of {@link envFor}. */
export interface EnvOptions {
  readonly token?: string | undefined;
  readonly tokenVariable?: string;
  readonly apiUrl?: string;
  readonly vars?: Readonly<Record<string, string>>;
  /** Rewrites each URL before it is sent (to play a self-hosted host). */
  readonly rewrite?: (url: string) => string;
}

/** A `PluginEnv` for a sandbox, recording every URL sent into `sent`. */
export function envFor(sandbox: GitLabSandbox, sent: string[], options: EnvOptions = {}): PluginEnv {
  const token = "token" in options ? options.token : sandbox.token;
  const counting: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push(url);
    const target = options.rewrite ? options.rewrite(url) : url;
    return fetch(target, init);
  };
  return {
    statusLabels: DEFAULT_STATUS_LABELS,
    fetch: counting,
    apiUrl: options.apiUrl ?? sandbox.apiUrl,
    token: token === undefined ? undefined : Redacted.make(token),
    tokenVariable: options.tokenVariable ?? "GITLAB_TOKEN",
    env: (name) => options.vars?.[name],
    userAgent: "forgesync-test/0",
  };
}

/** Runs an Effect to its value. */
export function run<A>(effect: Effect.Effect<A, PlatformError>): Promise<A> {
  return Effect.runPromise(effect);
}

/** Runs an Effect expected to fail; returns its error. */
export function fail<A>(effect: Effect.Effect<A, PlatformError>): Promise<PlatformError> {
  return Effect.runPromise(Effect.flip(effect));
}

/** Collects a Stream. */
export function collect<A>(stream: Stream.Stream<A, PlatformError>): Promise<A[]> {
  return Effect.runPromise(Stream.runCollect(stream));
}

/** Starts a sandbox, connects the plugin to it, runs `fn`, and closes the sandbox. */
export async function withRig(
  fn: (rig: TestRig) => Promise<void>,
  options: GitLabSandboxOptions & EnvOptions = {},
): Promise<void> {
  const sandbox = await createGitLabSandbox(options);
  try {
    const sent: string[] = [];
    const env = envFor(sandbox, sent, options);
    const client = await run(gitlab.connect(env));
    const repo = gitlab.parseRepository(sandbox.repository) as RepoRef;
    await fn({ sandbox, env, client, repo, sent });
  } finally {
    await sandbox.close();
  }
}
