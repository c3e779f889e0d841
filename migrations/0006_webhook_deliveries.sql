-- Webhook deliveries (SPEC §4, §8): one row per verified delivery, keyed by the forge's delivery id
-- (GitHub X-GitHub-Delivery, GitLab Idempotency-Key or X-Gitlab-Event-UUID, Bitbucket X-Request-UUID),
-- so that a redelivery is answered without requesting another pass. Deliveries whose signature does
-- not verify are never recorded. Rows older than 30 days are pruned as new ones arrive.

CREATE TABLE webhook_deliveries (
  platform      TEXT NOT NULL,
  delivery_id   TEXT NOT NULL,
  config_id     INTEGER REFERENCES git_integration_config(id) ON DELETE SET NULL,
  repository    TEXT NOT NULL,          -- as the event names it
  event         TEXT NOT NULL,          -- e.g. issues.edited, Issue Hook.update, issue:updated
  issue_numbers TEXT NOT NULL DEFAULT '[]',  -- JSON array
  received_at   TEXT NOT NULL,          -- ISO-8601 UTC
  status        TEXT NOT NULL CHECK (status IN ('enqueued', 'ignored')),  -- ignored: auto sync is off
  PRIMARY KEY (platform, delivery_id)
);

CREATE INDEX webhook_deliveries_received ON webhook_deliveries(received_at);
