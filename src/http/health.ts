/**
 * `/healthz` (SPEC §8): the database and the last sync of each configured repository. The answer
 * is 503 when the database cannot be read; `status: "degraded"` with 200 when the last pass of any
 * repository failed (the server works; a forge, a token or a write needs attention).
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import { databaseAnswers, lastRuns, type RepositoryHealth } from "../store/health_queries.ts";
import type { Tier } from "../config.ts";

export type { RepositoryHealth };

/** What `/healthz` answers. */
export interface Health {
  readonly status: "ok" | "degraded";
  readonly version: string;
  readonly database: "ok" | "unavailable";
  /** Present when the Git integration is enabled (repository names only for authorized callers). */
  readonly repositories?: readonly RepositoryHealth[];
  /** How many repositories' last pass failed (when the names are withheld). */
  readonly failing?: number;
}

/**
 * The health report. `detailed` says whether repository names may be shown (false for a caller
 * without the bearer token of a server that has one).
 */
export function health(
  tier: Tier,
  version: string,
  detailed: boolean,
): Effect.Effect<{ readonly body: Health; readonly httpStatus: 200 | 503 }, never, Db> {
  return Effect.gen(function* () {
    const db = yield* Db;
    const database = yield* db.reading(databaseAnswers).pipe(
      Effect.as("ok" as const),
      Effect.catchCause(() => Effect.succeed("unavailable" as const)),
    );
    if (database === "unavailable") {
      return { body: { status: "degraded" as const, version, database }, httpStatus: 503 as const };
    }
    if (tier === "disabled") {
      return { body: { status: "ok" as const, version, database }, httpStatus: 200 as const };
    }
    const repositories = yield* db.reading(lastRuns).pipe(Effect.catchCause(() => Effect.succeed([])));
    const failing = repositories.filter((r) => r.last_run?.status === "failed").length;
    const status = failing > 0 ? "degraded" as const : "ok" as const;
    return {
      body: detailed ? { status, version, database, repositories } : { status, version, database, failing },
      httpStatus: 200 as const,
    };
  });
}
