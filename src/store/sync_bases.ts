/**
 * Merge bases (`sync_bases`): what each side of a link held when they last agreed, with the item's
 * version and the update time they were taken at.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { nowIso } from "../domain/ids.ts";
import type { Base, Snapshot } from "../domain/merge.ts";
import { decodeRow, execute, insertRows, type SqlRead, type SqlWrite } from "./sql.ts";

/** A {@link Snapshot}: one side's view of an item. */
export const SnapshotSchema = Schema.Struct({
  title: Schema.String,
  body: Schema.String,
  status: Schema.String,
  labels: Schema.Array(Schema.String),
  assignees: Schema.Array(Schema.String),
});

/** A snapshot as stored: a JSON text column. */
export const SnapshotJson = Schema.fromJsonString(SnapshotSchema);

/** A stored merge base. */
export interface StoredBase extends Base {
  readonly link_id: number;
  readonly local_version: number;
  readonly remote_updated_at: string | null;
}

/** The columns of a `sync_bases` row a {@link StoredBase} is made of. */
export const BaseColumns = {
  local_version: Schema.Number,
  local: SnapshotJson,
  remote: SnapshotJson,
  remote_updated_at: Schema.NullOr(Schema.String),
};

const baseRow = decodeRow(Schema.Struct({ link_id: Schema.Number, ...BaseColumns }));

/** The merge base of a link. */
export const loadBase = (linkId: number): Effect.Effect<StoredBase | undefined, AppError, SqlRead> =>
  baseRow("SELECT * FROM sync_bases WHERE link_id = ?", [linkId]);

/** Writes a merge base. */
export const saveBase = (
  linkId: number,
  base: Base,
  localVersion: number,
  remoteUpdatedAt: string | null,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `INSERT INTO sync_bases (link_id, local_version, local, remote, remote_updated_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (link_id) DO UPDATE SET local_version = excluded.local_version, local = excluded.local,
       remote = excluded.remote, remote_updated_at = excluded.remote_updated_at, updated_at = excluded.updated_at`,
    [
      linkId,
      localVersion,
      JSON.stringify(base.local),
      JSON.stringify(base.remote),
      remoteUpdatedAt,
      nowIso(),
    ],
  ).pipe(Effect.asVoid);

/** A base for a new link, for {@link insertBases}. */
export interface NewBase {
  readonly link_id: number;
  readonly local_version: number;
  readonly local: Snapshot;
  readonly remote: Snapshot;
  readonly remote_updated_at: string | null;
}

/** Inserts the bases of many new links (an import). */
export const insertBases = (
  bases: readonly NewBase[],
  now: string,
): Effect.Effect<void, AppError, SqlWrite> =>
  insertRows(
    "sync_bases",
    ["link_id", "local_version", "local", "remote", "remote_updated_at", "updated_at"],
    bases.map((b) => [
      b.link_id,
      b.local_version,
      JSON.stringify(b.local),
      JSON.stringify(b.remote),
      b.remote_updated_at,
      now,
    ]),
  ).pipe(Effect.asVoid);
