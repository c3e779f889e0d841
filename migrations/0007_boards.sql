-- Project boards (SPEC §4, §5 orchestrator_project_board_manager): the boards made or adopted on a
-- configured repository's forge (GitHub Projects v2, GitLab issue boards) and the linked items put on
-- them. Columns are named, never addressed by raw id in tools; the forge's ids are kept here only to
-- talk to the forge.

CREATE TABLE boards (
  id               INTEGER PRIMARY KEY,
  config_id        INTEGER NOT NULL REFERENCES git_integration_config(id) ON DELETE CASCADE,
  board_type       TEXT NOT NULL CHECK (board_type IN ('feature_development', 'release_planning', 'sprint_board')),
  title            TEXT NOT NULL,
  remote_id        TEXT NOT NULL,        -- GitHub: the project's node id; GitLab: the board id
  remote_number    INTEGER NOT NULL,     -- GitHub: the project number; GitLab: the board id
  owner            TEXT,                 -- GitHub: the account owning the project
  url              TEXT,
  columns_field_id TEXT,                 -- GitHub: the Status field's id; NULL for GitLab's label lists
  columns          TEXT NOT NULL,        -- JSON [{name, id}] in board order, as last read from the forge
  status_mapping   TEXT NOT NULL,        -- JSON {features: {status: column}, tasks: {status: column}}
  adopted          INTEGER NOT NULL DEFAULT 0,  -- 1 when the board existed before (adopted by number or URL)
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX boards_remote ON boards(config_id, remote_id);

-- A linked feature or task (by its link) on a board.
CREATE TABLE board_items (
  board_id      INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  link_id       INTEGER NOT NULL REFERENCES feature_issue_links(id) ON DELETE CASCADE,
  item_id       TEXT,                    -- the forge's id of the card (GitHub project item), when it has one
  column_name   TEXT NOT NULL,           -- the column forgesync last decided for the card
  synced_column TEXT,                    -- the column the forge last confirmed
  sync_status   TEXT NOT NULL CHECK (sync_status IN ('synced', 'pending')),
  last_error    TEXT,                    -- why a pending move has not reached the forge yet
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (board_id, link_id)
);
CREATE INDEX board_items_link ON board_items(link_id);
