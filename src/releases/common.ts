/**
 * What the release actions share: their services, the repository a call is about, the release it
 * names (and whether it is still open), and small helpers for messages and platform calls.
 *
 * @module
 */
import { Effect, type Result } from "effect";
import { Db } from "../store/db.ts";
import { Configs, type RepoConfig } from "../store/configs.ts";
import type { SqlRead } from "../store/sql.ts";
import { AppError } from "../domain/errors.ts";
import type { Forges } from "../forges/forges.ts";
import type { Sync } from "../sync/service.ts";
import type { PlatformError } from "../platform/errors.ts";
import { findRelease, type Release } from "../store/releases_repo.ts";
import { withOperationLog } from "../sync/operation_log.ts";

/** The services release coordination uses. */
export type ReleaseServices = Db | Configs | Forges | Sync;

/** Reports progress (a no-op unless the caller asked for notifications). */
export type Progress = (done: number, total: number, message?: string) => Effect.Effect<void>;

/** Which repository a call is about (optional when only one is configured). */
export interface Where {
  readonly repository?: string;
  readonly platform?: string;
}

/** The outcome of a call that wrote to the forge: done, waiting for the forge, or refused. */
export type RemoteOutcome = "synced" | "pending" | "failed";

/** The configuration of the repository a call is about. */
export const resolve = (where: Where): Effect.Effect<RepoConfig, AppError, Configs> =>
  Configs.use((c) => c.resolve(where.repository, where.platform));

/** Runs a release action that writes to the forge, logged as a `milestone_sync` run (`../sync/operation_log.ts`). */
export const logged = <A>(
  input: Where,
  action: Effect.Effect<A, AppError, ReleaseServices>,
): Effect.Effect<A, AppError, ReleaseServices> => withOperationLog("milestone_sync", input, action);

/** Runs a release action that writes to the forge in the repository the call is about (see {@link logged}). */
export const inRepository = <A>(
  input: Where,
  action: (cfg: RepoConfig) => Effect.Effect<A, AppError, ReleaseServices>,
): Effect.Effect<A, AppError, ReleaseServices> => logged(input, resolve(input).pipe(Effect.flatMap(action)));

/** Runs repository reads, each statement on its own (outside any transaction). */
export const reading = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E | AppError, Exclude<R, SqlRead> | Db> => Db.use((db) => db.reading(effect));

/** The release of a version, or NOT_FOUND saying how to plan it. */
export const getRelease = (cfg: RepoConfig, version: string): Effect.Effect<Release, AppError, Db> =>
  reading(findRelease(cfg, version)).pipe(
    Effect.flatMap((release) =>
      release !== undefined ? Effect.succeed(release) : Effect.fail(AppError.notFound(
        `No release "${version.slice(0, 100)}" is planned in ${cfg.platform}:${cfg.repository}.`,
        `Plan it with {action:"plan_release", release_version:"${
          version.slice(0, 100)
        }"}; {action:"status"} without release_version lists the planned releases.`,
      ))
    ),
  );

/** The repository a call is about and its release of `release_version` (NOT_FOUND when not planned). */
export const loadRelease = (
  input: Where & { readonly release_version: string },
): Effect.Effect<{ cfg: RepoConfig; release: Release }, AppError, Configs | Db> =>
  Effect.gen(function* () {
    const cfg = yield* resolve(input);
    return { cfg, release: yield* getRelease(cfg, input.release_version) };
  });

/**
 * A name quoted for a message, cut to 100 characters.
 *
 * @example
 * ```ts
 * import { quote } from "./common.ts";
 * quote("v1.0.0"); // '"v1.0.0"'
 * ```
 */
export const quote = (s: string): string => `"${s.slice(0, 100)}"`;

/** The platform call as an Effect that always succeeds with its Result. */
export const attempt = <A>(
  effect: Effect.Effect<A, PlatformError>,
): Effect.Effect<Result.Result<A, PlatformError>> => Effect.result(effect);

/**
 * The ids without repeats, in their first order.
 *
 * @example
 * ```ts
 * import { unique } from "./common.ts";
 * unique(["a", "b", "a"]); // ["a", "b"]
 * ```
 */
export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** CONFLICT when the release was tagged or cancelled, saying that `action` is not possible any more. */
export function ensureOpen(release: Release, action: string): Effect.Effect<void, AppError> {
  if (release.status === "completed") {
    return Effect.fail(AppError.conflict(
      `Release ${quote(release.release_version ?? release.milestone_name)} was already tagged as ${
        quote(release.tag_name ?? "")
      }${release.release_url ? ` (${release.release_url})` : ""}; ${action} is not possible any more.`,
      'Plan the next version with {action:"plan_release", release_version:"…"}.',
    ));
  }
  if (release.status === "cancelled") {
    return Effect.fail(AppError.conflict(
      `Release ${quote(release.release_version ?? release.milestone_name)} was cancelled on ${
        release.cancelled_at ?? "an earlier call"
      }; ${action} is not possible any more.`,
      'Plan it under another version with {action:"plan_release", release_version:"…"}.',
    ));
  }
  return Effect.void;
}
