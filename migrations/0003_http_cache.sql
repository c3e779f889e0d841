-- Conditional-request cache: the last answer (ETag and body) per URL and token, so that an
-- unchanged listing costs one request answered 304 (which GitHub does not count against the
-- rate limit). The token itself is never stored: `token_hash` is a SHA-256 fingerprint.

CREATE TABLE http_cache (
  token_hash TEXT NOT NULL,
  url        TEXT NOT NULL,
  path       TEXT NOT NULL,
  etag       TEXT NOT NULL,
  status     INTEGER NOT NULL,
  headers    TEXT NOT NULL,   -- JSON array of [name, value]
  body       TEXT NOT NULL,
  stored_at  TEXT NOT NULL,
  PRIMARY KEY (token_hash, url)
);

CREATE INDEX http_cache_path ON http_cache(token_hash, path, stored_at);
