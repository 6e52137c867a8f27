package sqlstore

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/openecs/openecs"
)

// reservedDoc holds the reserved-instance fields no query filters on.
type reservedDoc struct {
	Description     string        `json:"desc,omitempty"`
	ResourceGroupID string        `json:"rg,omitempty"`
	AutoRenew       bool          `json:"auto_renew,omitempty"`
	AutoRenewPeriod int           `json:"auto_renew_period,omitempty"`
	Tags            []openecs.Tag `json:"tags,omitempty"`
}

const reservedCols = `seq, id, account_id, region_id, zone_id, scope, instance_type, family, instance_amount, platform, offering_type, yearly_price, name, status, locks, created_at, start_at, expired_at, version, doc`

func scanReserved(sc scanner) (*openecs.ReservedInstance, error) {
	var ri openecs.ReservedInstance
	var status, locks, doc string
	var created, start, expired int64
	if err := sc.Scan(&ri.Seq, &ri.ID, &ri.AccountID, &ri.RegionID, &ri.ZoneID, &ri.Scope, &ri.InstanceType, &ri.Family,
		&ri.InstanceAmount, &ri.Platform, &ri.OfferingType, &ri.YearlyPrice, &ri.Name, &status, &locks,
		&created, &start, &expired, &ri.Version, &doc); err != nil {
		return nil, err
	}
	ri.Status = openecs.ReservedStatus(status)
	if locks != "" {
		for _, l := range strings.Split(locks, ",") {
			ri.Locks = append(ri.Locks, openecs.LockReason(l))
		}
	}
	ri.CreatedAt, ri.StartAt, ri.ExpiredAt = openecs.FromMillis(created), openecs.FromMillis(start), openecs.FromMillis(expired)
	var d reservedDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, err
	}
	ri.Description, ri.ResourceGroupID, ri.AutoRenew, ri.AutoRenewPeriod, ri.Tags = d.Description, d.ResourceGroupID, d.AutoRenew, d.AutoRenewPeriod, d.Tags
	return &ri, nil
}

func reservedDocOf(ri *openecs.ReservedInstance) string {
	return jsonText(reservedDoc{Description: ri.Description, ResourceGroupID: ri.ResourceGroupID, AutoRenew: ri.AutoRenew,
		AutoRenewPeriod: ri.AutoRenewPeriod, Tags: ri.Tags})
}

func reservedLocks(ri *openecs.ReservedInstance) string {
	parts := make([]string, len(ri.Locks))
	for i, l := range ri.Locks {
		parts[i] = string(l)
	}
	return strings.Join(parts, ",")
}

func (t *txn) ReservedInstance(id string) (*openecs.ReservedInstance, error) {
	ri, err := scanReserved(t.row(`SELECT `+reservedCols+` FROM reserved_instances WHERE id = $1`, id))
	return ri, t.s.translate(err)
}

func (t *txn) InsertReservedInstance(ri *openecs.ReservedInstance) error {
	ri.Version = 1
	err := t.scan(`INSERT INTO reserved_instances (id, account_id, region_id, zone_id, scope, instance_type, family, instance_amount, platform,
		offering_type, yearly_price, name, status, locks, created_at, start_at, expired_at, version, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING seq`,
		[]any{ri.ID, ri.AccountID, ri.RegionID, ri.ZoneID, ri.Scope, ri.InstanceType, ri.Family, ri.InstanceAmount, ri.Platform,
			ri.OfferingType, ri.YearlyPrice, ri.Name, string(ri.Status), reservedLocks(ri), openecs.Millis(ri.CreatedAt),
			openecs.Millis(ri.StartAt), openecs.Millis(ri.ExpiredAt), ri.Version, reservedDocOf(ri)}, &ri.Seq)
	if err != nil {
		return err
	}
	return t.insertReservedTags(ri)
}

// insertReservedTags indexes the tags for the Tags filter.
func (t *txn) insertReservedTags(ri *openecs.ReservedInstance) error {
	for _, tag := range ri.Tags {
		if _, err := t.exec(`INSERT INTO reserved_instance_tags (reserved_instance_id, key, value) VALUES ($1, $2, $3)
			ON CONFLICT (reserved_instance_id, key) DO UPDATE SET value = excluded.value`, ri.ID, tag.Key, tag.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) UpdateReservedInstance(ri *openecs.ReservedInstance) error {
	err := affected(t.exec(`UPDATE reserved_instances SET zone_id = $3, scope = $4, instance_type = $5, family = $6, instance_amount = $7,
		platform = $8, offering_type = $9, yearly_price = $10, name = $11, status = $12, locks = $13, start_at = $14, expired_at = $15,
		doc = $16, version = version + 1
		WHERE id = $1 AND version = $2`,
		ri.ID, ri.Version, ri.ZoneID, ri.Scope, ri.InstanceType, ri.Family, ri.InstanceAmount, ri.Platform, ri.OfferingType,
		ri.YearlyPrice, ri.Name, string(ri.Status), reservedLocks(ri), openecs.Millis(ri.StartAt), openecs.Millis(ri.ExpiredAt),
		reservedDocOf(ri)))
	if errors.Is(err, openecs.ErrConflict) {
		var n int
		if err := t.scan(`SELECT COUNT(*) FROM reserved_instances WHERE id = $1`, []any{ri.ID}, &n); err != nil {
			return err
		}
		if n == 0 {
			return openecs.ErrNotFound
		}
		return openecs.ErrConflict
	}
	if err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM reserved_instance_tags WHERE reserved_instance_id = $1`, ri.ID); err != nil {
		return err
	}
	if err := t.insertReservedTags(ri); err != nil {
		return err
	}
	ri.Version++
	return nil
}

// reservedWhere builds the WHERE clause of a reserved-instance filter.
func reservedWhere(f openecs.ReservedFilter) (string, []any) {
	var w where
	w.eq("account_id", f.AccountID)
	w.eq("region_id", f.RegionID)
	w.ids("id", f.IDs)
	in(&w, "status", f.Statuses)
	w.eq("name", f.Name)
	w.listed("locks", string(f.LockReason))
	w.eq("instance_type", f.InstanceType)
	w.eq("family", f.Family)
	w.eq("zone_id", f.ZoneID)
	w.eq("scope", string(f.Scope))
	w.eq("offering_type", string(f.OfferingType))
	w.tags("reserved_instance_tags", "reserved_instance_id", "reserved_instances", f.Tags)
	if !f.InTermAt.IsZero() {
		h := openecs.Millis(f.InTermAt)
		w.add("expired_at >= ? AND start_at < ?", h, h)
	}
	return w.sql()
}

func (t *txn) ReservedInstances(f openecs.ReservedFilter) ([]*openecs.ReservedInstance, error) {
	where, args := reservedWhere(f)
	q := `SELECT ` + reservedCols + ` FROM reserved_instances` + where + ` ORDER BY seq`
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	} else if f.Offset > 0 {
		q += " LIMIT 9223372036854775807" // SQLite takes OFFSET only after a LIMIT
	}
	if f.Offset > 0 {
		q += " OFFSET " + strconv.Itoa(f.Offset)
	}
	return all(t, scanReserved, q, args...)
}

func (t *txn) CountReservedInstances(f openecs.ReservedFilter) (int, error) {
	where, args := reservedWhere(f)
	var n int
	err := t.scan(`SELECT COUNT(*) FROM reserved_instances`+where, args, &n)
	return n, err
}

// billableAt4 is billable for the hour in $4.
var billableAt4 = billable("$4")

// CoverableInstances selects with the same billability test as ChargeHour,
// minus the instances already charged for the hour (by an earlier reserved
// instance at this billing point).
func (t *txn) CoverableInstances(f openecs.CoverFilter) ([]*openecs.Instance, error) {
	h := openecs.Millis(f.Hour)
	q := `SELECT ` + instanceCols + ` FROM instances i
		WHERE i.account_id = $1 AND i.region_id = $2 AND i.instance_type = $3
		  AND ` + billableAt4 + ` AND i.seq > $5
		  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = ` + chargeKind + ` AND e.hour = $4 AND e.resource_id = i.id)`
	args := []any{f.AccountID, f.RegionID, f.InstanceType, h, f.AfterSeq}
	if f.ZoneID != "" {
		q += ` AND i.zone_id = $6`
		args = append(args, f.ZoneID)
	}
	q += ` ORDER BY i.seq`
	if f.Limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	return all(t, scanInstance, q, args...)
}

// --- sales states ---

func (t *txn) SalesState(regionID, zoneID string) (*openecs.SalesState, error) {
	s := openecs.SalesState{RegionID: regionID, ZoneID: zoneID}
	var updated int64
	if err := t.scan(`SELECT state, updated_at FROM sales_states WHERE region_id = $1 AND zone_id = $2`, []any{regionID, zoneID}, &s.State, &updated); err != nil {
		return nil, err
	}
	s.UpdatedAt = openecs.FromMillis(updated)
	return &s, nil
}

func (t *txn) SalesStates() ([]openecs.SalesState, error) {
	rows, err := t.query(`SELECT region_id, zone_id, state, updated_at FROM sales_states ORDER BY region_id, zone_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.SalesState
	for rows.Next() {
		var s openecs.SalesState
		var updated int64
		if err := rows.Scan(&s.RegionID, &s.ZoneID, &s.State, &updated); err != nil {
			return nil, t.s.translate(err)
		}
		s.UpdatedAt = openecs.FromMillis(updated)
		out = append(out, s)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) PutSalesState(s openecs.SalesState) error {
	if s.State == openecs.SalesOnSale || s.State == "" {
		_, err := t.exec(`DELETE FROM sales_states WHERE region_id = $1 AND zone_id = $2`, s.RegionID, s.ZoneID)
		return err
	}
	_, err := t.exec(`INSERT INTO sales_states (region_id, zone_id, state, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (region_id, zone_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		s.RegionID, s.ZoneID, s.State, openecs.Millis(s.UpdatedAt))
	return err
}
