-- Sync under concurrency (SPEC §12): fenced leases, outbox rows that know when a request may still be
-- in flight, and parked writes.
--
-- Leases gain an epoch (bumped at every acquisition, so a holder that lost its lease can tell) and the
-- host and process of their holder (so a lease left by a dead process on the same host is taken over
-- at once). A released lease keeps its row and epoch.
ALTER TABLE sync_leases ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_leases ADD COLUMN host TEXT;
ALTER TABLE sync_leases ADD COLUMN pid INTEGER;

-- The outbox is rebuilt: a write the forge refused for good is `parked` (kept, reported, retried when
-- its item changes or on request), `revision` grows at every re-queue (a send records its outcome only
-- if the row is still the one it sent), and `not_before` is a column: while a request may still be in
-- flight at the forge, nothing more is sent for the link and a create is not looked for.
CREATE TABLE sync_outbox_next (
  id               INTEGER PRIMARY KEY,
  config_id        INTEGER NOT NULL REFERENCES git_integration_config(id),
  link_id          INTEGER NOT NULL REFERENCES feature_issue_links(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL CHECK (kind IN ('create', 'update')),
  idempotency_key  TEXT NOT NULL UNIQUE,
  payload          TEXT NOT NULL,      -- JSON: draft or patch, with the local snapshot it came from
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'parked')),
  revision         INTEGER NOT NULL DEFAULT 1,
  attempts         INTEGER NOT NULL DEFAULT 0,
  first_attempt_at TEXT,
  not_before       TEXT,               -- ISO: a request may be in flight until then
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
INSERT INTO sync_outbox_next (id, config_id, link_id, kind, idempotency_key, payload, status, revision, attempts,
    first_attempt_at, not_before, last_error, created_at, updated_at)
  SELECT id, config_id, link_id, kind, idempotency_key, json_remove(payload, '$.not_before'),
         CASE status WHEN 'failed' THEN 'parked' ELSE status END, 1, attempts, first_attempt_at,
         json_extract(payload, '$.not_before'), last_error, created_at, updated_at
    FROM sync_outbox;
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_next RENAME TO sync_outbox;
CREATE INDEX sync_outbox_pending ON sync_outbox(config_id, status);
CREATE INDEX sync_outbox_link ON sync_outbox(link_id, kind, status);
