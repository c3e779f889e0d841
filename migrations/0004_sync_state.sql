-- Sync state (SPEC §4, §7): repository settings, link details, merge bases, the outbox, cursors,
-- conflicts, run logs and leases.

ALTER TABLE git_integration_config ADD COLUMN repository TEXT;          -- canonical path (owner/repo …)
ALTER TABLE git_integration_config ADD COLUMN conflict_policy TEXT NOT NULL DEFAULT 'newest_wins';
ALTER TABLE git_integration_config ADD COLUMN status_mapping TEXT;      -- JSON: status label names
ALTER TABLE git_integration_config ADD COLUMN webhook_secret_name TEXT; -- NAME of the variable, never the secret
ALTER TABLE git_integration_config ADD COLUMN api_url TEXT;             -- API base override for this repository
ALTER TABLE git_integration_config ADD COLUMN updated_at TEXT;
CREATE UNIQUE INDEX git_integration_config_repo ON git_integration_config(platform, repository);

ALTER TABLE feature_issue_links ADD COLUMN config_id INTEGER REFERENCES git_integration_config(id);
ALTER TABLE feature_issue_links ADD COLUMN issue_id TEXT;               -- the forge's global id
ALTER TABLE feature_issue_links ADD COLUMN last_error TEXT;
CREATE UNIQUE INDEX feature_issue_links_unique_issue
  ON feature_issue_links(config_id, issue_number) WHERE issue_number IS NOT NULL;
CREATE UNIQUE INDEX feature_issue_links_unique_task
  ON feature_issue_links(config_id, task_id) WHERE task_id IS NOT NULL;
CREATE UNIQUE INDEX feature_issue_links_unique_feature
  ON feature_issue_links(config_id, feature_id) WHERE task_id IS NULL AND feature_id IS NOT NULL;

-- The merge base of a link: what each side held when they last agreed.
CREATE TABLE sync_bases (
  link_id           INTEGER PRIMARY KEY REFERENCES feature_issue_links(id) ON DELETE CASCADE,
  local_version     INTEGER NOT NULL,   -- the item's version the base was taken at
  local             TEXT NOT NULL,      -- JSON snapshot, local terms
  remote            TEXT NOT NULL,      -- JSON snapshot, remote terms
  remote_updated_at TEXT,
  updated_at        TEXT NOT NULL
);

-- Remote writes, recorded in the same transaction as the decision to make them, then sent.
CREATE TABLE sync_outbox (
  id              INTEGER PRIMARY KEY,
  config_id       INTEGER NOT NULL REFERENCES git_integration_config(id),
  link_id         INTEGER NOT NULL REFERENCES feature_issue_links(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('create', 'update')),
  idempotency_key TEXT NOT NULL UNIQUE,
  payload         TEXT NOT NULL,      -- JSON: draft or patch, with the local snapshot it came from
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  first_attempt_at TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX sync_outbox_pending ON sync_outbox(config_id, status);

-- Where the next pull starts, per repository.
CREATE TABLE sync_cursors (
  config_id  INTEGER PRIMARY KEY REFERENCES git_integration_config(id) ON DELETE CASCADE,
  cursor     TEXT,
  rate_limit TEXT,                    -- JSON: last budget seen
  updated_at TEXT NOT NULL
);

CREATE TABLE sync_conflicts (
  id           INTEGER PRIMARY KEY,
  link_id      INTEGER NOT NULL REFERENCES feature_issue_links(id) ON DELETE CASCADE,
  field        TEXT NOT NULL,
  base_local   TEXT NOT NULL,
  base_remote  TEXT NOT NULL,
  local_value  TEXT NOT NULL,
  remote_value TEXT NOT NULL,
  policy       TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  resolution   TEXT,                  -- local | remote | value
  created_at   TEXT NOT NULL,
  resolved_at  TEXT
);
CREATE UNIQUE INDEX sync_conflicts_same
  ON sync_conflicts(link_id, field, local_value, remote_value, base_local, base_remote);

CREATE TABLE sync_status_logs (
  id               INTEGER PRIMARY KEY,
  config_id        INTEGER REFERENCES git_integration_config(id) ON DELETE SET NULL,
  operation_type   TEXT NOT NULL CHECK (operation_type IN ('issue_sync', 'milestone_sync', 'status_update', 'bulk_sync')),
  operation_status TEXT NOT NULL CHECK (operation_status IN ('started', 'completed', 'failed', 'retry')),
  pulled           INTEGER NOT NULL DEFAULT 0,
  pushed           INTEGER NOT NULL DEFAULT 0,
  created          INTEGER NOT NULL DEFAULT 0,
  conflicts        INTEGER NOT NULL DEFAULT 0,
  failed           INTEGER NOT NULL DEFAULT 0,
  requests         INTEGER NOT NULL DEFAULT 0,
  errors           TEXT,              -- JSON array of messages
  holder           TEXT,
  started_at       TEXT NOT NULL,
  finished_at      TEXT,
  duration_ms      INTEGER
);
CREATE INDEX sync_status_logs_config ON sync_status_logs(config_id, id);

-- One reconciler per repository across processes and machines.
CREATE TABLE sync_leases (
  resource   TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
