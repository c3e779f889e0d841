-- Tasks and features: the orchestrator's local state (SPEC §4).

CREATE TABLE features (
  feature_id    TEXT PRIMARY KEY,
  title         TEXT NOT NULL,
  specification TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'approved', 'in_progress', 'completed', 'rejected')),
  labels        TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  priority      TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
  created_at    TEXT NOT NULL,               -- ISO-8601 UTC
  updated_at    TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1   -- bumped on every local change
);

CREATE TABLE tasks (
  task_id        TEXT PRIMARY KEY,
  title          TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'active', 'in_progress', 'blocked', 'completed', 'failed',
                                   'cancelled', 'archived')),
  priority       TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
  assignee       TEXT,
  labels         TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  feature_id     TEXT REFERENCES features(feature_id),
  parent_task_id TEXT REFERENCES tasks(task_id),
  due_date       TEXT,                       -- YYYY-MM-DD
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  completed_at   TEXT,
  version        INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX tasks_status ON tasks(status);
CREATE INDEX tasks_feature ON tasks(feature_id);
CREATE INDEX tasks_parent ON tasks(parent_task_id);
CREATE INDEX features_status ON features(status);
