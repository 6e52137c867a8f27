-- SSH key pairs (docs/keypairs.md): an account's public keys by region and
-- name. Their tags live in resource_tags (resource_type 'keypair', by id).
CREATE TABLE key_pairs (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL,
  region_id         TEXT NOT NULL,
  name              TEXT NOT NULL,
  fingerprint       TEXT NOT NULL,
  public_key        TEXT NOT NULL,
  resource_group_id TEXT NOT NULL DEFAULT '',
  created_at        BIGINT NOT NULL
);
CREATE UNIQUE INDEX key_pairs_by_name ON key_pairs (account_id, region_id, name);
CREATE INDEX key_pairs_by_account ON key_pairs (account_id, region_id, seq);

-- The key pair an instance uses, as a column (it was only in the document)
-- so that DescribeInstances can filter on it and DeleteKeyPairs can see a
-- key pair in use.
ALTER TABLE instances ADD COLUMN key_pair_name TEXT NOT NULL DEFAULT '';
UPDATE instances SET key_pair_name = COALESCE(json_extract(doc, '$.key_pair'), '');
CREATE INDEX instances_by_key_pair ON instances (account_id, region_id, key_pair_name) WHERE key_pair_name <> '';
