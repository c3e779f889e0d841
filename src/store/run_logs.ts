/**
 * Run logs (`sync_status_logs`): one row per reconciliation pass (`issue_sync`) and per tool action
 * that writes to a forge around it (`milestone_sync`, `status_update`), with its counts, errors,
 * requests and timings. Pruned by `housekeeping.ts`.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { decodeRows, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** An operation type of `sync_status_logs` (the schema's CHECK list). */
export type OperationType = "issue_sync" | "milestone_sync" | "status_update" | "bulk_sync";

/** How an operation ended, as `sync_status_logs.operation_status` says it. */
export type OperationStatus = "completed" | "failed" | "retry";

/** One run log row to write. */
export interface RunLog {
  readonly config_id: number;
  readonly operation_type: OperationType;
  readonly operation_status: OperationStatus;
  readonly pulled?: number;
  readonly pushed?: number;
  readonly created?: number;
  readonly conflicts?: number;
  readonly failed: number;
  readonly requests: number;
  readonly errors: readonly string[];
  /** The lease holder that ran a pass. */
  readonly holder?: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly duration_ms: number;
  /** The rate-limit budget left when a pass ended. */
  readonly budget?: { readonly remaining: number; readonly limit: number } | null;
}

/** Writes a run log row. */
export const writeRunLog = (log: RunLog): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `INSERT INTO sync_status_logs (config_id, operation_type, operation_status, pulled, pushed, created,
          conflicts, failed, requests, errors, holder, started_at, finished_at, duration_ms,
          budget_remaining, budget_limit)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      log.config_id,
      log.operation_type,
      log.operation_status,
      log.pulled ?? 0,
      log.pushed ?? 0,
      log.created ?? 0,
      log.conflicts ?? 0,
      log.failed,
      log.requests,
      log.errors.length > 0 ? JSON.stringify(log.errors) : null,
      log.holder ?? null,
      log.started_at,
      log.finished_at,
      log.duration_ms,
      log.budget?.remaining ?? null,
      log.budget?.limit ?? null,
    ],
  ).pipe(Effect.asVoid);

const LastRun = Schema.Struct({
  operation_type: Schema.String,
  operation_status: Schema.String,
  pulled: Schema.Number,
  pushed: Schema.Number,
  created: Schema.Number,
  conflicts: Schema.Number,
  failed: Schema.Number,
  requests: Schema.Number,
  errors: Schema.NullOr(Schema.fromJsonString(Schema.Array(Schema.String))),
  started_at: Schema.String,
  finished_at: Schema.NullOr(Schema.String),
  duration_ms: Schema.NullOr(Schema.Number),
});

/** A logged run, as `status` shows it. */
export type LastRun = Omit<typeof LastRun.Type, "errors"> & { readonly errors: readonly string[] };

/** The newest `n` runs of a configuration. */
export const lastRuns = (configId: number, n: number): Effect.Effect<LastRun[], AppError, SqlRead> =>
  decodeRows(LastRun)(
    `SELECT operation_type, operation_status, pulled, pushed, created, conflicts, failed, requests, errors,
            started_at, finished_at, duration_ms FROM sync_status_logs WHERE config_id = ? ORDER BY id DESC LIMIT ?`,
    [configId, n],
  ).pipe(Effect.map((rows) => rows.map((r) => ({ ...r, errors: r.errors ?? [] }))));
