-- A pass costs what changed, not what is linked (SPEC §11).
--
-- sync_dirty: the links whose local item changed since their merge base, kept by triggers on every
-- change of a task's or a feature's version, whatever wrote it. A pass plans these, the links of the
-- issues the forge listed, and the links with a queued update — each found by an index — instead of
-- comparing every item's version with its base. A pass removes a link once its base has caught up
-- with its item.
CREATE TABLE sync_dirty (
  link_id INTEGER PRIMARY KEY
);

CREATE TRIGGER sync_dirty_task AFTER UPDATE OF version ON tasks
  WHEN NEW.version <> OLD.version
BEGIN
  INSERT OR IGNORE INTO sync_dirty (link_id)
    SELECT id FROM feature_issue_links WHERE task_id = NEW.task_id;
END;

CREATE TRIGGER sync_dirty_feature AFTER UPDATE OF version ON features
  WHEN NEW.version <> OLD.version
BEGIN
  INSERT OR IGNORE INTO sync_dirty (link_id)
    SELECT id FROM feature_issue_links WHERE feature_id = NEW.feature_id AND task_id IS NULL;
END;

CREATE TRIGGER sync_dirty_unlinked AFTER DELETE ON feature_issue_links
BEGIN
  DELETE FROM sync_dirty WHERE link_id = OLD.id;
END;

-- What is changed already, before this migration.
INSERT OR IGNORE INTO sync_dirty (link_id)
  SELECT l.id FROM feature_issue_links l
    JOIN sync_bases b ON b.link_id = l.id
    LEFT JOIN tasks t ON t.task_id = l.task_id
    LEFT JOIN features f ON f.feature_id = l.feature_id AND l.task_id IS NULL
   WHERE COALESCE(t.version, f.version) <> b.local_version;

-- Listing tasks by status pages in order without sorting every match.
DROP INDEX tasks_status;
CREATE INDEX tasks_status ON tasks(status, task_id);
