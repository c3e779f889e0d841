/**
 * The `sync_status_logs` rows of operations other than a reconciliation pass: release work that
 * writes milestones (`milestone_sync`) and board work that writes card columns (`status_update`).
 * A pass writes its own `issue_sync` row (reconcile.ts); these are written around one tool action.
 *
 * Each row says how the action went — `completed`; `retry` when it kept its work locally because
 * the forge did not answer (its result says `sync_status: "pending"`, the reason in `errors`); or
 * `failed` with the error's message — with the requests it sent and its timings.
 *
 * @module
 */
import { Cause, Effect, Exit } from "effect";
import { Configs } from "../store/configs.ts";
import { Db } from "../store/db.ts";
import { type OperationStatus, type OperationType, writeRunLog } from "../store/run_logs.ts";
import { nowIso } from "../domain/ids.ts";
import { Forges } from "../forges/forges.ts";

export type { OperationStatus, OperationType } from "../store/run_logs.ts";

/** Which repository an action is about (optional when only one is configured). */
export interface OperationWhere {
  readonly repository?: string;
  readonly platform?: string;
}

/**
 * How a successful action's result reads: `retry` when it (or a part of it, one level down) says
 * `sync_status: "pending"` or `"failed"`, with the reasons it gives; else `completed`.
 *
 * @example
 * ```ts
 * import { outcomeOf } from "./operation_log.ts";
 * outcomeOf({ board: { id: 1 } }); // { status: "completed", errors: [] }
 * outcomeOf({ card: { sync_status: "pending", reason: "GitHub is unreachable" } });
 * // { status: "retry", errors: ["GitHub is unreachable"] }
 * ```
 */
export function outcomeOf(result: unknown): { status: OperationStatus; errors: string[] } {
  const parts: unknown[] = [result];
  if (typeof result === "object" && result !== null) parts.push(...Object.values(result));
  const errors: string[] = [];
  let pending = false;
  for (const part of parts) {
    if (typeof part !== "object" || part === null || Array.isArray(part)) continue;
    const p = part as Record<string, unknown>;
    if (p.sync_status === "pending" || p.sync_status === "failed") {
      pending = true;
      for (const key of ["reason", "error", "message"]) {
        if (typeof p[key] === "string") errors.push(p[key] as string);
      }
    }
  }
  return { status: pending ? "retry" : "completed", errors: [...new Set(errors)] };
}

function messageOf<E>(cause: Cause.Cause<E>): string {
  const error = Cause.squash(cause);
  const message = typeof error === "object" && error !== null && "message" in error
    ? String((error as { message: unknown }).message)
    : String(error);
  return message.slice(0, 2000);
}

/**
 * Runs `effect`, one action of `type` on the repository of `where`, and records it as a
 * `sync_status_logs` row; the effect's own success or failure is returned unchanged. Nothing is
 * recorded when the repository cannot be resolved (the action fails with that error itself).
 */
export const withOperationLog = <A, E, R>(
  type: OperationType,
  where: OperationWhere,
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E, R | Configs | Db | Forges> =>
  Effect.gen(function* () {
    const resolved = yield* Configs.use((c) => c.resolve(where.repository, where.platform)).pipe(
      Effect.option,
    );
    if (resolved._tag === "None") return yield* effect;
    const configId = resolved.value.config_id;
    const forges = yield* Forges;
    const before = forges.stats(configId)?.requests ?? 0;
    const startedAt = nowIso();
    const t0 = Date.now();
    const exit = yield* Effect.exit(effect);
    const requests = Math.max(0, (forges.stats(configId)?.requests ?? 0) - before);
    const { status, errors } = Exit.isSuccess(exit)
      ? outcomeOf(exit.value)
      : { status: "failed" as const, errors: [messageOf(exit.cause)] };
    yield* Db.use((db) =>
      db.transaction(writeRunLog({
        config_id: configId,
        operation_type: type,
        operation_status: status,
        failed: status === "completed" ? 0 : 1,
        requests,
        errors,
        started_at: startedAt,
        finished_at: nowIso(),
        duration_ms: Date.now() - t0,
      }))
    ).pipe(Effect.orDie);
    return yield* exit;
  });
