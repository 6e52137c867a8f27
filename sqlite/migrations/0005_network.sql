-- The network model (issue 13): VPCs with their system route table and
-- vRouter, vSwitches, security groups and their rules, network interfaces
-- and the shared tag store; the old per-zone `networks` rows carried over.
-- Times are Unix milliseconds, booleans are 0/1.
CREATE TABLE vpcs (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL,
  region_id         TEXT NOT NULL,
  name              TEXT NOT NULL DEFAULT '',
  description       TEXT NOT NULL DEFAULT '',
  cidr_block        TEXT NOT NULL,
  is_default        INTEGER NOT NULL DEFAULT 0,
  status            TEXT NOT NULL,
  vrouter_id        TEXT NOT NULL UNIQUE,
  route_table_id    TEXT NOT NULL UNIQUE,
  resource_group_id TEXT NOT NULL DEFAULT '',
  created_at        BIGINT NOT NULL,
  version           BIGINT NOT NULL
);
CREATE INDEX vpcs_by_account ON vpcs (account_id, region_id, seq);
-- One default VPC per account and region: two replicas creating it at once
-- conflict, and the loser reads the winner's.
CREATE UNIQUE INDEX vpcs_default ON vpcs (account_id, region_id) WHERE is_default = 1;

CREATE TABLE vswitches (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  account_id   TEXT NOT NULL,
  region_id    TEXT NOT NULL,
  zone_id      TEXT NOT NULL,
  vpc_id       TEXT NOT NULL,
  name         TEXT NOT NULL DEFAULT '',
  description  TEXT NOT NULL DEFAULT '',
  cidr_block   TEXT NOT NULL,
  is_default   INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL,
  next_host    BIGINT NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL,
  version      BIGINT NOT NULL
);
CREATE INDEX vswitches_by_account ON vswitches (account_id, region_id, seq);
CREATE INDEX vswitches_by_vpc ON vswitches (vpc_id);
CREATE UNIQUE INDEX vswitches_default ON vswitches (account_id, zone_id) WHERE is_default = 1;

CREATE TABLE security_groups (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  account_id        TEXT NOT NULL,
  region_id         TEXT NOT NULL,
  vpc_id            TEXT NOT NULL,
  name              TEXT NOT NULL DEFAULT '',
  description       TEXT NOT NULL DEFAULT '',
  type              TEXT NOT NULL,
  is_default        INTEGER NOT NULL DEFAULT 0,
  resource_group_id TEXT NOT NULL DEFAULT '',
  created_at        BIGINT NOT NULL,
  version           BIGINT NOT NULL
);
CREATE INDEX security_groups_by_account ON security_groups (account_id, region_id, seq);
CREATE INDEX security_groups_by_vpc ON security_groups (vpc_id);
CREATE UNIQUE INDEX security_groups_default ON security_groups (account_id, region_id) WHERE is_default = 1;

CREATE TABLE security_group_rules (
  seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
  id                    TEXT NOT NULL UNIQUE,
  group_id              TEXT NOT NULL,
  account_id            TEXT NOT NULL,
  direction             TEXT NOT NULL,
  ip_protocol           TEXT NOT NULL,
  port_range            TEXT NOT NULL,
  source_port_range     TEXT NOT NULL DEFAULT '',
  source_cidr_ip        TEXT NOT NULL DEFAULT '',
  ipv6_source_cidr_ip   TEXT NOT NULL DEFAULT '',
  source_group_id       TEXT NOT NULL DEFAULT '',
  source_prefix_list_id TEXT NOT NULL DEFAULT '',
  dest_cidr_ip          TEXT NOT NULL DEFAULT '',
  ipv6_dest_cidr_ip     TEXT NOT NULL DEFAULT '',
  dest_group_id         TEXT NOT NULL DEFAULT '',
  dest_prefix_list_id   TEXT NOT NULL DEFAULT '',
  policy                TEXT NOT NULL,
  priority              INTEGER NOT NULL,
  nic_type              TEXT NOT NULL,
  description           TEXT NOT NULL DEFAULT '',
  created_at            BIGINT NOT NULL
);
CREATE INDEX security_group_rules_by_group ON security_group_rules (group_id, seq);
CREATE INDEX security_group_rules_by_source ON security_group_rules (source_group_id);
CREATE INDEX security_group_rules_by_dest ON security_group_rules (dest_group_id);

CREATE TABLE network_interfaces (
  seq                INTEGER PRIMARY KEY AUTOINCREMENT,
  id                 TEXT NOT NULL UNIQUE,
  account_id         TEXT NOT NULL,
  region_id          TEXT NOT NULL,
  zone_id            TEXT NOT NULL,
  vpc_id             TEXT NOT NULL,
  vswitch_id         TEXT NOT NULL,
  instance_id        TEXT NOT NULL DEFAULT '',
  type               TEXT NOT NULL,
  private_ip         TEXT NOT NULL,
  mac_address        TEXT NOT NULL DEFAULT '',
  security_group_ids TEXT NOT NULL DEFAULT '',
  created_at         BIGINT NOT NULL
);
-- An address is given out once per vSwitch.
CREATE UNIQUE INDEX network_interfaces_address ON network_interfaces (vswitch_id, private_ip);
CREATE INDEX network_interfaces_by_account ON network_interfaces (account_id, region_id, seq);
CREATE INDEX network_interfaces_by_instance ON network_interfaces (instance_id);

-- The shared tag store: tags of VPCs, vSwitches, route tables and security
-- groups (instances keep theirs in instance_tags).
CREATE TABLE resource_tags (
  resource_type TEXT NOT NULL,
  resource_id   TEXT NOT NULL,
  account_id    TEXT NOT NULL,
  region_id     TEXT NOT NULL,
  key           TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (resource_type, resource_id, key)
);
CREATE INDEX resource_tags_by_id ON resource_tags (resource_id, key);
CREATE INDEX resource_tags_by_key ON resource_tags (account_id, region_id, resource_type, key, value);

-- The default networks RunInstances made before this migration (one row of
-- `networks` per account and zone, one VPC and group per account and
-- region) become ordinary rows. The address cursor continues where the old
-- one stopped: the old code gave host h the address a.b.(h/250).(h%250+1)
-- of the zone's /16; the new cursor c gives offset c+1 of the block, so
-- c = (h/250)*256 + h%250 hands out next what the old code would have.
INSERT INTO vpcs (id, account_id, region_id, name, description, cidr_block, is_default, status, vrouter_id, route_table_id, created_at, version)
  SELECT v.vpc_id, v.account_id, v.region_id, '', 'System created default VPC.', '172.16.0.0/12',
    CASE WHEN v.vpc_id = (SELECT MIN(m.vpc_id) FROM networks m WHERE m.account_id = v.account_id AND m.region_id = v.region_id) THEN 1 ELSE 0 END,
    'Available', 'vrt-' || SUBSTR(v.vpc_id, 5), 'vtb-' || SUBSTR(v.vpc_id, 5),
    COALESCE((SELECT MIN(i.created_at) FROM instances i WHERE i.vpc_id = v.vpc_id), 0), 1
  FROM (SELECT DISTINCT vpc_id, account_id, region_id FROM networks) v ORDER BY v.account_id, v.region_id, v.vpc_id;

INSERT INTO vswitches (id, account_id, region_id, zone_id, vpc_id, name, description, cidr_block, is_default, status, next_host, created_at, version)
  SELECT n.vswitch_id, n.account_id, n.region_id, n.zone_id, n.vpc_id, '', 'System created default vSwitch.', n.cidr, 1, 'Available',
    (n.next_host / 250) * 256 + n.next_host % 250,
    COALESCE((SELECT MIN(i.created_at) FROM instances i WHERE i.vswitch_id = n.vswitch_id), 0), 1
  FROM networks n ORDER BY n.account_id, n.zone_id;

INSERT INTO security_groups (id, account_id, region_id, vpc_id, name, description, type, is_default, created_at, version)
  SELECT g.security_group_id, g.account_id, g.region_id, g.vpc_id, '', 'System created security group.', 'normal',
    CASE WHEN g.security_group_id = (SELECT MIN(m.security_group_id) FROM networks m WHERE m.account_id = g.account_id AND m.region_id = g.region_id) THEN 1 ELSE 0 END,
    COALESCE((SELECT v.created_at FROM vpcs v WHERE v.id = g.vpc_id), 0), 1
  FROM (SELECT DISTINCT security_group_id, account_id, region_id, vpc_id FROM networks) g ORDER BY g.account_id, g.region_id, g.security_group_id;

-- Every instance gets its primary network interface, which holds its address.
INSERT INTO network_interfaces (id, account_id, region_id, zone_id, vpc_id, vswitch_id, instance_id, type, private_ip, mac_address, security_group_ids, created_at)
  SELECT json_extract(i.doc, '$.eni'), i.account_id, i.region_id, i.zone_id, i.vpc_id, i.vswitch_id, i.id, 'Primary', json_extract(i.doc, '$.ip'), COALESCE(json_extract(i.doc, '$.mac'), ''), i.security_group_id, i.created_at
  FROM instances i WHERE i.vswitch_id <> '' ORDER BY i.seq
  ON CONFLICT DO NOTHING;

DROP TABLE networks;
