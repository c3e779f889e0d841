/**
 * Reading feature/task ↔ issue links (the `feature_issue_links` table). Writes belong to the sync.
 *
 * @module
 */
import { Context, Effect, Layer } from "effect";
import { Db } from "./db.ts";

/** A link between a local feature or task and a remote issue, as the tools return it. */
export interface Link {
  readonly link_id: number;
  readonly feature_id: string | null;
  readonly task_id: string | null;
  readonly platform: string;
  readonly repository: string;
  /** Null while the issue is still being created. */
  readonly issue_number: number | null;
  readonly issue_url: string | null;
  readonly sync_status: "synced" | "pending" | "failed" | "manual";
  readonly last_synced: string | null;
}

/** Converts a `feature_issue_links` row to a {@link Link}. */
export function rowToLink(row: Record<string, unknown>): Link {
  return {
    link_id: Number(row.id),
    feature_id: row.feature_id === null || row.feature_id === undefined ? null : String(row.feature_id),
    task_id: row.task_id === null || row.task_id === undefined ? null : String(row.task_id),
    platform: String(row.platform),
    repository: String(row.repository),
    issue_number: row.issue_number === null || row.issue_number === undefined
      ? null
      : Number(row.issue_number),
    issue_url: row.issue_url === null || row.issue_url === undefined ? null : String(row.issue_url),
    sync_status: String(row.sync_status ?? "pending") as Link["sync_status"],
    last_synced: row.last_synced === null || row.last_synced === undefined ? null : String(row.last_synced),
  };
}

/** The links reader service. */
export class Links extends Context.Service<Links, {
  /** Links of a feature or a task. */
  of(owner: { readonly feature_id: string } | { readonly task_id: string }): Effect.Effect<Link[]>;
  /** Links of many owners at once, keyed by owner id. */
  ofMany(ids: readonly string[]): Effect.Effect<Map<string, Link[]>>;
}>()("forgesync/store/Links") {
  /** The reader over {@link Db}. */
  static readonly layer: Layer.Layer<Links, never, Db> = Layer.effect(
    Links,
    Effect.gen(function* () {
      const db = yield* Db;
      const of = (owner: { readonly feature_id: string } | { readonly task_id: string }) =>
        db.query(
          "feature_id" in owner
            ? "SELECT * FROM feature_issue_links WHERE feature_id = ? AND task_id IS NULL ORDER BY id"
            : "SELECT * FROM feature_issue_links WHERE task_id = ? ORDER BY id",
          ["feature_id" in owner ? owner.feature_id : owner.task_id],
        ).pipe(Effect.map((rows) => rows.map(rowToLink)));
      const ofMany = (ids: readonly string[]) =>
        Effect.gen(function* () {
          const result = new Map<string, Link[]>();
          if (ids.length === 0) return result;
          const marks = ids.map(() => "?").join(", ");
          const rows = yield* db.query(
            `SELECT * FROM feature_issue_links
              WHERE task_id IN (${marks}) OR (task_id IS NULL AND feature_id IN (${marks})) ORDER BY id`,
            [...ids, ...ids],
          );
          for (const row of rows) {
            const link = rowToLink(row);
            const owner = link.task_id ?? link.feature_id!;
            result.set(owner, [...(result.get(owner) ?? []), link]);
          }
          return result;
        });
      return Links.of({ of, ofMany });
    }),
  );
}
