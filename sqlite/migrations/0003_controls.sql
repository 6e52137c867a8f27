-- Quotas, spot prices (current and history) and KMS keys: the controls of
-- the failure cases (issue 5). Times are Unix milliseconds, money is integer
-- micro-yuan, booleans are 0/1.
CREATE TABLE quotas (
  account_id  TEXT NOT NULL,
  region_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  scope       TEXT NOT NULL,
  quota_limit BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (account_id, region_id, kind, scope)
);

CREATE TABLE spot_prices (
  zone_id       TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  price         BIGINT NOT NULL,
  at            BIGINT NOT NULL,
  PRIMARY KEY (zone_id, instance_type)
);

CREATE TABLE spot_price_history (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  zone_id       TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  price         BIGINT NOT NULL,
  at            BIGINT NOT NULL
);
CREATE INDEX spot_price_history_by_type ON spot_price_history (zone_id, instance_type, at, id);

CREATE TABLE kms_keys (
  id             TEXT PRIMARY KEY,
  state          TEXT NOT NULL,
  ecs_authorized INTEGER NOT NULL,
  account_id     TEXT NOT NULL DEFAULT '',
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
