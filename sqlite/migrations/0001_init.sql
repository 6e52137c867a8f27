-- OpenECS core schema (SQLite). Times are Unix milliseconds, money is integer
-- micro-yuan, booleans are 0/1.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE accounts (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  balance         BIGINT NOT NULL,
  in_arrears      INTEGER NOT NULL DEFAULT 0,
  arrears_at      BIGINT NOT NULL DEFAULT 0,
  economical_mode INTEGER NOT NULL DEFAULT 0,
  settings        TEXT NOT NULL DEFAULT '{}',
  created_at      BIGINT NOT NULL
);

CREATE TABLE access_keys (
  id              TEXT PRIMARY KEY,
  account_id      TEXT NOT NULL,
  secret          TEXT NOT NULL,
  allowed_actions TEXT,
  security_token  TEXT NOT NULL DEFAULT '',
  expires_at      BIGINT NOT NULL DEFAULT 0,
  created_at      BIGINT NOT NULL
);
CREATE INDEX access_keys_account ON access_keys (account_id);

CREATE TABLE networks (
  account_id        TEXT NOT NULL,
  zone_id           TEXT NOT NULL,
  region_id         TEXT NOT NULL,
  vpc_id            TEXT NOT NULL,
  vswitch_id        TEXT NOT NULL,
  security_group_id TEXT NOT NULL,
  cidr              TEXT NOT NULL,
  next_host         INTEGER NOT NULL,
  PRIMARY KEY (account_id, zone_id)
);

CREATE TABLE instances (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL,
  region_id         TEXT NOT NULL,
  zone_id           TEXT NOT NULL,
  instance_type     TEXT NOT NULL,
  family            TEXT NOT NULL,
  image_id          TEXT NOT NULL,
  name              TEXT NOT NULL,
  status            TEXT NOT NULL,
  charge_type       TEXT NOT NULL,
  stopped_mode      TEXT NOT NULL,
  billing_state     TEXT NOT NULL,
  locks             TEXT NOT NULL DEFAULT '',
  vpc_id            TEXT NOT NULL DEFAULT '',
  vswitch_id        TEXT NOT NULL DEFAULT '',
  security_group_id TEXT NOT NULL DEFAULT '',
  hourly_price      BIGINT NOT NULL,
  created_at        BIGINT NOT NULL,
  expired_at        BIGINT NOT NULL DEFAULT 0,
  version           BIGINT NOT NULL,
  doc               TEXT NOT NULL
);
CREATE INDEX instances_by_account ON instances (account_id, region_id, seq);
CREATE INDEX instances_by_charge ON instances (charge_type, billing_state);

CREATE TABLE instance_tags (
  instance_id TEXT NOT NULL,
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  PRIMARY KEY (instance_id, key)
);
CREATE INDEX instance_tags_by_key ON instance_tags (key, value);

CREATE TABLE disks (
  id          TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  account_id  TEXT NOT NULL,
  type        TEXT NOT NULL,
  category    TEXT NOT NULL,
  size_gib    INTEGER NOT NULL,
  status      TEXT NOT NULL,
  encrypted   INTEGER NOT NULL DEFAULT 0,
  kms_key_id  TEXT NOT NULL DEFAULT '',
  in_arrears  INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL
);
CREATE INDEX disks_by_instance ON disks (instance_id);

CREATE TABLE jobs (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL,
  ref        TEXT NOT NULL,
  due_at     BIGINT NOT NULL,
  payload    TEXT NOT NULL DEFAULT '',
  attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_by_due ON jobs (due_at, id);

CREATE TABLE events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          BIGINT NOT NULL,
  account_id  TEXT NOT NULL DEFAULT '',
  kind        TEXT NOT NULL,
  resource_id TEXT NOT NULL DEFAULT '',
  hour        BIGINT NOT NULL DEFAULT 0,
  amount      BIGINT NOT NULL DEFAULT 0,
  cause       TEXT NOT NULL DEFAULT '',
  data        TEXT NOT NULL DEFAULT ''
);
-- A billed instance-hour is a durable fact: at most one charge per instance and hour.
CREATE UNIQUE INDEX events_charge ON events (hour, resource_id) WHERE kind = 'charge';
CREATE INDEX events_by_account ON events (account_id, id);

CREATE TABLE orders (
  id         TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind       TEXT NOT NULL,
  amount     BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  resources  TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX orders_by_account ON orders (account_id, created_at);

CREATE TABLE idempotency (
  account_id  TEXT NOT NULL,
  action      TEXT NOT NULL,
  token       TEXT NOT NULL,
  params_hash TEXT NOT NULL,
  response    TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (account_id, action, token)
);

CREATE TABLE capacity (
  zone_id       TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  available     BIGINT NOT NULL,
  PRIMARY KEY (zone_id, instance_type)
);

CREATE TABLE faults (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  action      TEXT NOT NULL,
  code        TEXT NOT NULL,
  message     TEXT NOT NULL DEFAULT '',
  count       BIGINT NOT NULL,
  account_id  TEXT NOT NULL DEFAULT '',
  probability DOUBLE PRECISION NOT NULL DEFAULT 1,
  latency_ms  BIGINT NOT NULL DEFAULT 0,
  http_status INTEGER NOT NULL DEFAULT 0,
  until_at    BIGINT NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL
);

CREATE TABLE image_state (
  image_id TEXT PRIMARY KEY,
  expired  INTEGER NOT NULL
);
