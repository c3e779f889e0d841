/**
 * The connection of the GitLab plugin: the Gitbeaker API (`api.ts`, every request once through the
 * core's fetch), the status label names, the caches of user and milestone ids, and the primitive
 * every operation uses — run a Gitbeaker call and map its failure (`errors.ts`) with what it was
 * doing. The operations (`issues.ts`, `listing.ts`, `marker.ts`, `milestones.ts`, `releases.ts`,
 * `boards.ts`) take it as their context. No retry, throttling or caching of answers here: the core
 * wraps the client with them.
 *
 * @module
 */
import { Effect } from "effect";
import { PlatformError, type PluginEnv, type RepoRef, type StatusLabels } from "../../src/platform/mod.ts";
import type { GitLabApi } from "./api.ts";
import { type ErrorContext, toPlatformError } from "./errors.ts";

/** Issues per listing request (GitLab's maximum). */
export const PER_PAGE = 100;

/** What the operations of one connection share. */
export interface GitLabClient {
  readonly api: GitLabApi;
  readonly statusLabels: StatusLabels;
  /** The variable the token came from, for messages. */
  readonly tokenVariable: string;
  /** The token, only to keep it out of messages. */
  readonly token: string;
  /** User ids by lower-case username. */
  readonly userIds: Map<string, number>;
  /** Milestone ids by `project\ntitle`. */
  readonly milestoneIds: Map<string, number>;
  /**
   * Set once the instance kept only the first of several assignees (GitLab Free): from then on,
   * this client sends only the first, as that is all the instance accepts.
   */
  oneAssignee: boolean;
}

/** The context of one connection. */
export function makeClient(env: PluginEnv, api: GitLabApi, token: string): GitLabClient {
  return {
    api,
    statusLabels: env.statusLabels,
    tokenVariable: env.tokenVariable,
    token,
    userIds: new Map(),
    milestoneIds: new Map(),
    oneAssignee: false,
  };
}

/** What a failure of `action` on `repo` says (`notFound`: the message of a 404 that is not about the project). */
export function context(
  client: GitLabClient,
  repo: RepoRef,
  action: string,
  notFound?: string,
): ErrorContext {
  return { action, project: repo.path, notFound, tokenVariable: client.tokenVariable, token: client.token };
}

/** Runs a Gitbeaker call, its failure mapped to a {@link PlatformError}. */
export function run<A>(c: ErrorContext, call: () => Promise<A>): Effect.Effect<A, PlatformError> {
  return Effect.tryPromise({ try: call, catch: (e) => toPlatformError(e, c) });
}

/** Reads an answer with `read`, which throws on a malformed one (mapped to `Transient`). */
export function decode<A>(c: ErrorContext, read: () => A): Effect.Effect<A, PlatformError> {
  return Effect.try({ try: read, catch: (e) => toPlatformError(e, c) });
}

/** An `Invalid` failure. */
export function invalid(message: string, hint?: string): Effect.Effect<never, PlatformError> {
  return Effect.fail(new PlatformError({ reason: "Invalid", message, ...(hint ? { hint } : {}) }));
}

/** The message of an issue that is not there. */
export function issueNotFound(repo: RepoRef, n: number): string {
  return `GitLab issue #${n} was not found in "${repo.path}" (deleted, moved, or never created).`;
}
