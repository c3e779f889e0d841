-- The three tables of the task document (docs/original-task.md), with its columns. One deliberate
-- change: `platform` is validated against the loaded plugins, not a fixed CHECK list, so a fourth
-- platform can arrive as a plugin.

CREATE TABLE git_integration_config (
  id                INTEGER PRIMARY KEY,
  platform          TEXT NOT NULL,
  repository_url    TEXT NOT NULL,
  api_token_name    TEXT,                    -- the NAME of the variable holding the token, never the token
  default_labels    TEXT,                    -- JSON array
  auto_sync_enabled BOOLEAN DEFAULT TRUE,
  issue_template    TEXT,
  created_at        DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE feature_issue_links (
  id           INTEGER PRIMARY KEY,
  feature_id   TEXT REFERENCES features(feature_id),
  task_id      TEXT REFERENCES tasks(task_id),
  platform     TEXT,
  repository   TEXT,
  issue_number INTEGER,
  issue_url    TEXT,
  sync_status  TEXT CHECK (sync_status IN ('synced', 'pending', 'failed', 'manual')),
  last_synced  DATETIME,
  created_at   DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE release_milestones (
  id                    INTEGER PRIMARY KEY,
  milestone_name        TEXT NOT NULL,
  target_date           DATE,
  platform_milestone_id TEXT,
  included_features     TEXT,                -- JSON array
  status                TEXT CHECK (status IN ('planning', 'active', 'completed', 'cancelled')),
  created_at            DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX feature_issue_links_feature ON feature_issue_links(feature_id);
CREATE INDEX feature_issue_links_task ON feature_issue_links(task_id);
CREATE INDEX feature_issue_links_issue ON feature_issue_links(platform, repository, issue_number);
