-- The latest request signing time recorded per AccessKey. A single server
-- (SQLite) keeps signature nonces in memory; after a restart it refuses each
-- key's requests signed at or before the time recorded here, so nothing it
-- answered before can be replayed (rpc/nonce.go). PostgreSQL replicas share
-- their nonces in rpc_nonces and do not use this table; it exists on both so
-- that the schemas move together.
CREATE TABLE nonce_floors (
  key_id    TEXT PRIMARY KEY,
  signed_at BIGINT NOT NULL
);
