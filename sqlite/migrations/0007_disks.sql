-- Disks as resources (issue 13): a disk may exist on its own (CreateDisk)
-- and move between instances, so it carries its own region, zone, name and
-- flags, a creation sequence for paging, a version for compare-and-set and
-- a document of the fields no query filters on; disk tags get their own
-- index table. The table is rebuilt to give it the sequence, in creation
-- order (system disk first, then data, then local disks, as instances were
-- made). Instances' user data lives apart from the instance row. Times are
-- Unix milliseconds, booleans are 0/1.
CREATE TABLE disks_v7 (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  id                   TEXT NOT NULL UNIQUE,
  instance_id          TEXT NOT NULL DEFAULT '',
  account_id           TEXT NOT NULL,
  region_id            TEXT NOT NULL DEFAULT '',
  zone_id              TEXT NOT NULL DEFAULT '',
  type                 TEXT NOT NULL,
  category             TEXT NOT NULL,
  size_gib             INTEGER NOT NULL,
  status               TEXT NOT NULL,
  encrypted            INTEGER NOT NULL DEFAULT 0,
  kms_key_id           TEXT NOT NULL DEFAULT '',
  in_arrears           INTEGER NOT NULL DEFAULT 0,
  failed               INTEGER NOT NULL DEFAULT 0,
  created_at           BIGINT NOT NULL,
  name                 TEXT NOT NULL DEFAULT '',
  portable             INTEGER NOT NULL DEFAULT 0,
  delete_with_instance INTEGER NOT NULL DEFAULT 1,
  version              BIGINT NOT NULL DEFAULT 1,
  doc                  TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO disks_v7 (id, instance_id, account_id, region_id, zone_id, type, category, size_gib, status, encrypted, kms_key_id, in_arrears, failed, created_at, portable)
  SELECT d.id, d.instance_id, d.account_id, COALESCE(i.region_id, ''), COALESCE(i.zone_id, ''), d.type, d.category, d.size_gib, d.status,
         d.encrypted, d.kms_key_id, d.in_arrears, d.failed, d.created_at,
         CASE WHEN d.type = 'data' AND COALESCE(i.charge_type, 'PostPaid') = 'PostPaid' THEN 1 ELSE 0 END
  FROM disks d LEFT JOIN instances i ON i.id = d.instance_id
  ORDER BY d.created_at, CASE d.type WHEN 'system' THEN 0 WHEN 'data' THEN 1 ELSE 2 END, d.id;
DROP TABLE disks;
ALTER TABLE disks_v7 RENAME TO disks;
CREATE INDEX disks_by_instance ON disks (instance_id, created_at, seq);
CREATE INDEX disks_by_account ON disks (account_id, region_id, seq);

CREATE TABLE disk_tags (
  disk_id TEXT NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (disk_id, key)
);
CREATE INDEX disk_tags_by_key ON disk_tags (key, value);

CREATE TABLE instance_user_data (
  instance_id TEXT PRIMARY KEY,
  user_data   TEXT NOT NULL
);
