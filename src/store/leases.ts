/**
 * Lease rows (`sync_leases`): one per resource (a repository), naming its holder, epoch and expiry,
 * and the holder's host and process id. The rules — who may take a lease, the fence before every
 * write — are in `../sync/lease.ts`; these are its statements.
 *
 * @module
 */
import { Effect, Schema } from "effect";
import type { AppError } from "../domain/errors.ts";
import { changes, decodeRow, execute, type SqlRead, type SqlWrite } from "./sql.ts";

/** A stored lease row. */
export const LeaseRow = Schema.Struct({
  holder: Schema.String,
  expires_at: Schema.String,
  epoch: Schema.Number,
  host: Schema.NullOr(Schema.String),
  pid: Schema.NullOr(Schema.Number),
});
/** See {@link LeaseRow}. */
export type LeaseRow = typeof LeaseRow.Type;

/** The lease row of a resource, if any. */
export const readLease = (resource: string): Effect.Effect<LeaseRow | undefined, AppError, SqlRead> =>
  decodeRow(LeaseRow)("SELECT holder, expires_at, epoch, host, pid FROM sync_leases WHERE resource = ?", [
    resource,
  ]);

/** Writes the lease of a resource (taken: a new holder or epoch). */
export const writeLease = (
  resource: string,
  row: LeaseRow,
): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `INSERT INTO sync_leases (resource, holder, expires_at, epoch, host, pid) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (resource) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
       epoch = excluded.epoch, host = excluded.host, pid = excluded.pid`,
    [resource, row.holder, row.expires_at, row.epoch, row.host, row.pid],
  ).pipe(Effect.asVoid);

/** Which lease: its resource, holder and epoch. */
export interface LeaseKey {
  readonly resource: string;
  readonly holder: string;
  readonly epoch: number;
}

/** Moves the expiry of a lease if it is still held as `key`; false when it is not. */
export const extendLease = (key: LeaseKey, expiresAt: string): Effect.Effect<boolean, AppError, SqlWrite> =>
  changes(
    `UPDATE sync_leases SET expires_at = ? WHERE resource = ? AND holder = ? AND epoch = ?`,
    [expiresAt, key.resource, key.holder, key.epoch],
  ).pipe(Effect.map((n) => n === 1));

/** Lets go of a lease if it is still held as `key`: its row stays, with its epoch, for the next holder. */
export const freeLease = (key: LeaseKey): Effect.Effect<void, AppError, SqlWrite> =>
  execute(
    `UPDATE sync_leases SET holder = '', expires_at = '1970-01-01T00:00:00.000Z'
      WHERE resource = ? AND holder = ? AND epoch = ?`,
    [key.resource, key.holder, key.epoch],
  ).pipe(Effect.asVoid);
