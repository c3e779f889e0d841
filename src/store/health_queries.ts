/**
 * What `/healthz` reads: whether the database answers, and the last pass of every configured
 * repository.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { decodeRows, rows, type SqlRead } from "./sql.ts";

/** The last pass of one configured repository. */
export interface RepositoryHealth {
  readonly platform: string;
  readonly repository: string;
  /** The last finished pass, or null when none ran yet. */
  readonly last_run: { readonly status: "completed" | "failed"; readonly finished_at: string | null } | null;
}

/** Fails when the database does not answer a statement. */
export const databaseAnswers: Effect.Effect<void, AppError, SqlRead> = rows("SELECT 1 AS ok").pipe(
  Effect.asVoid,
);

const LastRun = Schema.Struct({
  platform: Schema.String,
  repository: Schema.String,
  operation_status: Schema.NullOr(Schema.String),
  finished_at: Schema.NullOr(Schema.String),
});

/** The last pass of every configured repository (a status other than completed counts as failed). */
export const lastRuns: Effect.Effect<RepositoryHealth[], AppError, SqlRead> = decodeRows(LastRun)(
  `SELECT c.platform, COALESCE(c.repository, c.repository_url) AS repository, l.operation_status, l.finished_at
     FROM git_integration_config c
     LEFT JOIN sync_status_logs l ON l.id = (SELECT MAX(id) FROM sync_status_logs
                                              WHERE config_id = c.id AND operation_type = 'issue_sync')
    ORDER BY c.id`,
).pipe(Effect.map((found) =>
  found.map((r) => ({
    platform: r.platform,
    repository: r.repository,
    last_run: r.operation_status === null ? null : {
      status: r.operation_status === "completed" ? "completed" as const : "failed" as const,
      finished_at: r.finished_at,
    },
  }))
));
