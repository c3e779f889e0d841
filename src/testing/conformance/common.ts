/**
 * What the conformance kit's properties share: its options, a property and what it answers, and a plugin connected to a fresh harness.
 *
 * @module
 */
import { Effect } from "effect";
import { PlatformError } from "../../platform/errors.ts";
import {
  isRepoParseError,
  type PlatformClient,
  type PlatformPlugin,
  type RemoteStatus,
  type RepoRef,
} from "../../platform/types.ts";
import { harnessEnv, type HarnessFactory, type SandboxHarness } from "../harness.ts";

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  readonly plugin: PlatformPlugin;
  readonly harness: HarnessFactory;
  /** Runs per property (default 12; listing runs a third of it). */
  readonly numRuns?: number;
  /** fast-check seed, to replay a failure. */
  readonly seed?: number;
}

/** What a property answers when it could not run (the harness lacks what it needs), and why. */
export interface ConformanceSkip {
  readonly skipped: string;
}

/** One property of the kit. */
export interface ConformanceProperty {
  readonly name: string;
  /**
   * Resolves when the property holds, or to a {@link ConformanceSkip} when it could not run;
   * rejects with the counterexample when it fails.
   */
  readonly run: () => Promise<void | ConformanceSkip>;
}

/** A plugin connected to a fresh harness. */
export interface Connected {
  readonly harness: SandboxHarness;
  readonly client: PlatformClient;
  readonly repo: RepoRef;
}

export async function connect(plugin: PlatformPlugin, factory: HarnessFactory): Promise<Connected> {
  const harness = await factory();
  try {
    const repo = plugin.parseRepository(harness.repository);
    if (isRepoParseError(repo)) throw new Error(`The harness repository does not parse: ${repo.message}`);
    const client = await Effect.runPromise(plugin.connect({ ...harnessEnv(harness), fetch }));
    return { harness, client, repo };
  } catch (error) {
    await harness.close();
    throw error;
  }
}

export const run = <A>(effect: Effect.Effect<A, PlatformError>): Promise<A> => Effect.runPromise(effect);

/** The status a plugin reads back after writing `status`. */
export function canonical(plugin: PlatformPlugin, status: RemoteStatus): RemoteStatus {
  return plugin.statusAliases?.[status] ?? status;
}
