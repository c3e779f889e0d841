-- Releases (SPEC §5, orchestrator_release_coordinator): what release_milestones of the task
-- document lacks to coordinate a release on one configured repository. The task document's
-- columns stay as they are: milestone_name (the platform milestone's title), target_date,
-- platform_milestone_id, included_features (JSON array of feature ids) and status
-- (planning | active | completed | cancelled).

ALTER TABLE release_milestones ADD COLUMN config_id INTEGER REFERENCES git_integration_config(id);
ALTER TABLE release_milestones ADD COLUMN release_version TEXT;     -- NULL for bare milestones
ALTER TABLE release_milestones ADD COLUMN description TEXT;
ALTER TABLE release_milestones ADD COLUMN milestone_url TEXT;
ALTER TABLE release_milestones ADD COLUMN assigned_issues TEXT;     -- JSON array: issue numbers put in the milestone
ALTER TABLE release_milestones ADD COLUMN notes TEXT;               -- release notes sent with the tag
ALTER TABLE release_milestones ADD COLUMN tag_name TEXT;
ALTER TABLE release_milestones ADD COLUMN tag_ref TEXT;             -- branch or commit that was tagged
ALTER TABLE release_milestones ADD COLUMN release_url TEXT;
ALTER TABLE release_milestones ADD COLUMN updated_at TEXT;
ALTER TABLE release_milestones ADD COLUMN tagged_at TEXT;
ALTER TABLE release_milestones ADD COLUMN cancelled_at TEXT;

-- One release per version and repository.
CREATE UNIQUE INDEX release_milestones_version
  ON release_milestones(config_id, release_version) WHERE release_version IS NOT NULL;
