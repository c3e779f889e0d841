/**
 * The names shared by the plugin contract and its boards part: a repository, an issue in a batch,
 * and what a batched write did with each item.
 *
 * @module
 */
import type { Result } from "effect";
import type { PlatformError } from "./errors.ts";

/** A repository as a plugin parsed it. `path` is the canonical text form stored in the database. */
export interface RepoRef {
  /** The plugin id. */
  readonly platform: string;
  /** Canonical form: `owner/repo` (GitHub), `group/sub/project` or a numeric id (GitLab), `workspace/slug`. */
  readonly path: string;
}

/** An issue a batched write names: its number, and the forge's global id (`RemoteIssue.id`) when known. */
export interface IssueKey {
  readonly number: number;
  readonly id: string | null;
}

/**
 * What a batched write did with each item it was given, in the same order: `Result.succeed` when
 * the forge took the item, `Result.fail` with the reason it refused that one (the other items are
 * not affected). A failure of the whole call (the forge out of reach, a rate limit, a 5xx) fails the
 * Effect instead, and then nothing is known about any item of the call.
 */
export type BatchResults<A> = ReadonlyArray<Result.Result<A, PlatformError>>;
