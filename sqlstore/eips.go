package sqlstore

import "github.com/openecs/openecs"

// Elastic IP addresses: the eips table (migration 0016) and their tags in
// resource_tags (type "eip").

const eipCols = `seq, id, account_id, region_id, ip_address, name, description, bandwidth, internet_charge_type, charge_type, isp, status,
	resource_group_id, instance_id, instance_type, created_at, version`

func scanEip(sc scanner) (*openecs.Eip, error) {
	var e openecs.Eip
	var charge, status string
	var created int64
	if err := sc.Scan(&e.Seq, &e.ID, &e.AccountID, &e.RegionID, &e.IPAddress, &e.Name, &e.Description, &e.Bandwidth, &e.InternetChargeType,
		&charge, &e.ISP, &status, &e.ResourceGroupID, &e.InstanceID, &e.InstanceType, &created, &e.Version); err != nil {
		return nil, err
	}
	e.ChargeType, e.Status, e.CreatedAt = openecs.ChargeType(charge), openecs.EipStatus(status), openecs.FromMillis(created)
	return &e, nil
}

func (t *txn) Eip(id string) (*openecs.Eip, error) {
	e, err := scanEip(t.row(`SELECT `+eipCols+` FROM eips WHERE id = $1`, id))
	return e, t.s.translate(err)
}

func eipWhere(f openecs.EipFilter) where {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("id", f.IDs)
	w.ids("ip_address", f.IPs)
	w.ids("instance_id", f.InstanceIDs)
	w.eq("status", string(f.Status))
	w.eq("instance_type", f.InstanceType)
	w.eq("isp", f.ISP)
	w.eq("charge_type", string(f.ChargeType))
	w.eq("resource_group_id", f.ResourceGroupID)
	w.tags("resource_tags", "resource_id", "eips", f.Tags)
	return w
}

func (t *txn) Eips(f openecs.EipFilter) ([]*openecs.Eip, error) {
	w := eipWhere(f)
	cond, args := w.sql()
	return all(t, scanEip, page(`SELECT `+eipCols+` FROM eips`+cond, "seq", f.Limit, f.Offset), args...)
}

func (t *txn) CountEips(f openecs.EipFilter) (int, error) { return count(t, "eips", eipWhere(f)) }

func (t *txn) InsertEip(e *openecs.Eip) error {
	e.Version = 1
	return t.scan(`INSERT INTO eips (id, account_id, region_id, ip_address, name, description, bandwidth, internet_charge_type, charge_type, isp,
		status, resource_group_id, instance_id, instance_type, created_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING seq`,
		[]any{e.ID, e.AccountID, e.RegionID, e.IPAddress, e.Name, e.Description, e.Bandwidth, e.InternetChargeType, string(e.ChargeType), e.ISP,
			string(e.Status), e.ResourceGroupID, e.InstanceID, e.InstanceType, openecs.Millis(e.CreatedAt), e.Version}, &e.Seq)
}

func (t *txn) UpdateEip(e *openecs.Eip) error {
	err := affected(t.exec(`UPDATE eips SET name = $3, description = $4, bandwidth = $5, internet_charge_type = $6, charge_type = $7, isp = $8,
		status = $9, resource_group_id = $10, instance_id = $11, instance_type = $12, version = version + 1 WHERE id = $1 AND version = $2`,
		e.ID, e.Version, e.Name, e.Description, e.Bandwidth, e.InternetChargeType, string(e.ChargeType), e.ISP, string(e.Status),
		e.ResourceGroupID, e.InstanceID, e.InstanceType))
	if err := t.casDone(err, "eips", e.ID); err != nil {
		return err
	}
	e.Version++
	return nil
}

func (t *txn) DeleteEip(id string) error {
	if err := mustAffect(t.exec(`DELETE FROM eips WHERE id = $1`, id)); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM resource_tags WHERE resource_type = $1 AND resource_id = $2`, string(openecs.TagEip), id)
	return err
}

// unassociateEips leaves the EIP of a deleted instance Available.
func (t *txn) unassociateEips(instanceID string) error {
	_, err := t.exec(`UPDATE eips SET status = $2, instance_id = '', instance_type = '', version = version + 1 WHERE instance_id = $1`,
		instanceID, string(openecs.EipAvailable))
	return err
}
