-- A security group's inner access policy (ModifySecurityGroupPolicy):
-- Accept or Drop once set; '' is its type's own (normal groups accept,
-- enterprise groups drop).
ALTER TABLE security_groups ADD COLUMN inner_access_policy TEXT NOT NULL DEFAULT '';
