-- Reserved instances and the sales switches of their purchases and renewals
-- (issue 4). Times are Unix milliseconds, money is integer micro-yuan,
-- booleans are 0/1.
CREATE TABLE reserved_instances (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  account_id      TEXT NOT NULL,
  region_id       TEXT NOT NULL,
  zone_id         TEXT NOT NULL DEFAULT '',
  scope           TEXT NOT NULL,
  instance_type   TEXT NOT NULL,
  family          TEXT NOT NULL,
  instance_amount INTEGER NOT NULL,
  platform        TEXT NOT NULL,
  offering_type   TEXT NOT NULL,
  yearly_price    BIGINT NOT NULL,
  name            TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL,
  locks           TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  start_at        BIGINT NOT NULL,
  expired_at      BIGINT NOT NULL,
  version         BIGINT NOT NULL,
  doc             TEXT NOT NULL
);
CREATE INDEX reserved_by_account ON reserved_instances (account_id, region_id, seq);
-- The billing point looks up the reserved instances whose term holds its hour.
CREATE INDEX reserved_by_term ON reserved_instances (expired_at, start_at);

CREATE TABLE reserved_instance_tags (
  reserved_instance_id TEXT NOT NULL,
  key                  TEXT NOT NULL,
  value                TEXT NOT NULL,
  PRIMARY KEY (reserved_instance_id, key)
);
CREATE INDEX reserved_instance_tags_by_key ON reserved_instance_tags (key, value);

-- A region (zone_id '') or zone whose reserved-instance sales are not open.
CREATE TABLE sales_states (
  region_id  TEXT NOT NULL,
  zone_id    TEXT NOT NULL DEFAULT '',
  state      TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (region_id, zone_id)
);
