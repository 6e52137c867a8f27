-- Columns for DescribeInstances' PublicIpAddresses and ResourceGroupId
-- filters, copied from the instance document (which keeps them too) and
-- written beside it on every insert and update from now on.
ALTER TABLE instances ADD COLUMN public_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN resource_group_id TEXT NOT NULL DEFAULT '';
UPDATE instances SET
  public_ip = COALESCE(doc::jsonb ->> 'public_ip', ''),
  resource_group_id = COALESCE(doc::jsonb ->> 'rg', '')
WHERE (doc::jsonb ->> 'public_ip') IS NOT NULL OR (doc::jsonb ->> 'rg') IS NOT NULL;
