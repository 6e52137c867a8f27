-- Elastic IP addresses (docs/eips.md). Times are Unix milliseconds. An
-- address is held by one EIP per region; an instance has at most one EIP.
CREATE TABLE eips (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  id                   TEXT NOT NULL UNIQUE,
  account_id           TEXT NOT NULL,
  region_id            TEXT NOT NULL,
  ip_address           TEXT NOT NULL,
  name                 TEXT NOT NULL DEFAULT '',
  description          TEXT NOT NULL DEFAULT '',
  bandwidth            INTEGER NOT NULL,
  internet_charge_type TEXT NOT NULL,
  charge_type          TEXT NOT NULL,
  isp                  TEXT NOT NULL,
  status               TEXT NOT NULL,
  resource_group_id    TEXT NOT NULL DEFAULT '',
  instance_id          TEXT NOT NULL DEFAULT '',
  instance_type        TEXT NOT NULL DEFAULT '',
  created_at           BIGINT NOT NULL,
  version              BIGINT NOT NULL
);
CREATE INDEX eips_by_account ON eips (account_id, region_id, seq);
CREATE UNIQUE INDEX eips_address ON eips (region_id, ip_address);
CREATE UNIQUE INDEX eips_instance ON eips (instance_id) WHERE instance_id <> '';
