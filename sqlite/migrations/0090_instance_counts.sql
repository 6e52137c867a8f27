-- How many instances each account has in each region, kept by the store in
-- the same transaction as every instance insert and delete, so that the
-- TotalCount of an unfiltered DescribeInstances page is one row instead of
-- a walk over every instance of a big account (SQLite only: on PostgreSQL,
-- where replicas write concurrently, one counter row per account would make
-- every RunInstances of that account wait for the others).
CREATE TABLE instance_counts (
  account_id TEXT NOT NULL,
  region_id  TEXT NOT NULL,
  n          BIGINT NOT NULL,
  PRIMARY KEY (account_id, region_id)
);
INSERT INTO instance_counts (account_id, region_id, n)
  SELECT account_id, region_id, COUNT(*) FROM instances GROUP BY account_id, region_id;
