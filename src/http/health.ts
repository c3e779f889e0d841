/**
 * `/healthz` (SPEC §8): the database and the last sync of each configured repository. The answer
 * is 503 when the database cannot be read; `status: "degraded"` with 200 when the last pass of any
 * repository failed (the server works; a forge, a token or a write needs attention).
 *
 * @module
 */
import { Effect } from "effect";
import { Db } from "../store/db.ts";
import type { Tier } from "../config.ts";

/** The last pass of one configured repository. */
export interface RepositoryHealth {
  readonly platform: string;
  readonly repository: string;
  /** The last finished pass, or null when none ran yet. */
  readonly last_run: { readonly status: "completed" | "failed"; readonly finished_at: string | null } | null;
}

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

/** Reads the last pass of every configured repository. */
export const lastRuns: Effect.Effect<RepositoryHealth[], never, Db> = Db.use((db) =>
  db.query<Record<string, unknown>>(
    `SELECT c.platform, COALESCE(c.repository, c.repository_url) AS repository, l.operation_status, l.finished_at
       FROM git_integration_config c
       LEFT JOIN sync_status_logs l ON l.id = (SELECT MAX(id) FROM sync_status_logs
                                                WHERE config_id = c.id AND operation_type = 'issue_sync')
      ORDER BY c.id`,
  )
).pipe(Effect.map((rows) =>
  rows.map((r) => ({
    platform: String(r.platform),
    repository: String(r.repository),
    last_run: r.operation_status === null || r.operation_status === undefined ? null : {
      status: r.operation_status === "completed" ? "completed" as const : "failed" as const,
      finished_at: r.finished_at === null ? null : String(r.finished_at),
    },
  }))
));

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
    const database = yield* db.query("SELECT 1 AS ok").pipe(
      Effect.as("ok" as const),
      Effect.catchCause(() => Effect.succeed("unavailable" as const)),
    );
    if (database === "unavailable") {
      return { body: { status: "degraded" as const, version, database }, httpStatus: 503 as const };
    }
    if (tier === "disabled") {
      return { body: { status: "ok" as const, version, database }, httpStatus: 200 as const };
    }
    const repositories = yield* lastRuns.pipe(Effect.catchCause(() => Effect.succeed([])));
    const failing = repositories.filter((r) => r.last_run?.status === "failed").length;
    const status = failing > 0 ? "degraded" as const : "ok" as const;
    return {
      body: detailed ? { status, version, database, repositories } : { status, version, database, failing },
      httpStatus: 200 as const,
    };
  });
}
