-- The forge's rate-limit budget at the end of each pass, so that the dashboard can draw it over time
-- (sync_cursors.rate_limit keeps only the last one).
ALTER TABLE sync_status_logs ADD COLUMN budget_remaining INTEGER;
ALTER TABLE sync_status_logs ADD COLUMN budget_limit INTEGER;
