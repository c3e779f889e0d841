/**
 * Webhook deliveries (`webhook_deliveries`): a verified delivery is recorded once by its
 * platform and delivery id, so that a redelivery is recognised and requests nothing.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import { Db } from "./db.ts";
import { nowIso } from "../domain/ids.ts";
import { changes, decodeRows, execute } from "./sql.ts";

/** How long deliveries are kept (forges redeliver within days, by hand or automatically). */
export const DELIVERY_RETENTION_DAYS = 30;

/** A verified delivery. */
export interface Delivery {
  readonly platform: string;
  readonly delivery_id: string;
  readonly config_id: number | null;
  readonly repository: string;
  readonly event: string;
  readonly issue_numbers: readonly number[];
  /** `enqueued`: a pass was requested; `ignored`: the repository's auto sync is off. */
  readonly status: "enqueued" | "ignored";
}

/** A recorded delivery. */
export interface DeliveryRow extends Delivery {
  readonly received_at: string;
}

/**
 * Records a delivery unless one with the same platform and delivery id exists (atomically, so two
 * concurrent copies of one delivery record it once). Answers true when it was new. Deliveries
 * older than {@link DELIVERY_RETENTION_DAYS} days are removed in the same transaction.
 */
export const recordDelivery = (delivery: Delivery): Effect.Effect<boolean, never, Db> =>
  Effect.gen(function* () {
    const db = yield* Db;
    const now = nowIso();
    const cutoff = new Date(Date.parse(now) - DELIVERY_RETENTION_DAYS * 86_400_000).toISOString();
    return yield* db.transaction(Effect.gen(function* () {
      const inserted = yield* changes(
        `INSERT INTO webhook_deliveries (platform, delivery_id, config_id, repository, event, issue_numbers,
           received_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, delivery_id) DO NOTHING`,
        [
          delivery.platform,
          delivery.delivery_id,
          delivery.config_id,
          delivery.repository,
          delivery.event,
          JSON.stringify(delivery.issue_numbers),
          now,
          delivery.status,
        ],
      );
      if (inserted > 0) yield* execute("DELETE FROM webhook_deliveries WHERE received_at < ?", [cutoff]);
      return inserted > 0;
    })).pipe(Effect.orDie);
  });

const DeliveryRow = Schema.Struct({
  platform: Schema.String,
  delivery_id: Schema.String,
  config_id: Schema.NullOr(Schema.Number),
  repository: Schema.String,
  event: Schema.String,
  issue_numbers: Schema.fromJsonString(Schema.Array(Schema.Number)),
  received_at: Schema.String,
  status: Schema.Literals(["enqueued", "ignored"]),
});

/** The most recent deliveries, newest first. */
export const recentDeliveries = (limit = 20): Effect.Effect<DeliveryRow[], never, Db> =>
  Db.use((db) =>
    db.reading(
      decodeRows(DeliveryRow)(
        `SELECT platform, delivery_id, config_id, repository, event, issue_numbers, received_at, status
         FROM webhook_deliveries ORDER BY received_at DESC, rowid DESC LIMIT ?`,
        [limit],
      ),
    )
  ).pipe(Effect.map((rows) => [...rows]), Effect.orDie);
