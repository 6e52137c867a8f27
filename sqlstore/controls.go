package sqlstore

import (
	"time"

	"github.com/openecs/openecs"
)

// The controls of the failure cases: quotas, spot prices and KMS keys.

// --- quotas ---

func (t *txn) Quotas(accountID, regionID string) ([]openecs.Quota, error) {
	rows, err := t.query(`SELECT account_id, region_id, kind, scope, quota_limit, updated_at FROM quotas
		WHERE ($1 = '' OR account_id = $1) AND ($2 = '' OR region_id = $2)
		ORDER BY account_id, region_id, kind, scope`, accountID, regionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.Quota
	for rows.Next() {
		var q openecs.Quota
		var kind string
		var updated int64
		if err := rows.Scan(&q.AccountID, &q.RegionID, &kind, &q.Scope, &q.Limit, &updated); err != nil {
			return nil, t.s.translate(err)
		}
		q.Kind, q.UpdatedAt = openecs.QuotaKind(kind), openecs.FromMillis(updated)
		out = append(out, q)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) PutQuota(q openecs.Quota) error {
	_, err := t.exec(`INSERT INTO quotas (account_id, region_id, kind, scope, quota_limit, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (account_id, region_id, kind, scope) DO UPDATE SET quota_limit = excluded.quota_limit, updated_at = excluded.updated_at`,
		q.AccountID, q.RegionID, string(q.Kind), q.Scope, q.Limit, openecs.Millis(q.UpdatedAt))
	return err
}

func (t *txn) DeleteQuota(accountID, regionID string, kind openecs.QuotaKind, scope string) error {
	return mustAffect(t.exec(`DELETE FROM quotas WHERE account_id = $1 AND region_id = $2 AND kind = $3 AND scope = $4`,
		accountID, regionID, string(kind), scope))
}

// --- spot prices ---

func (t *txn) SpotPrice(zoneID, instanceType string) (*openecs.SpotPrice, error) {
	p := openecs.SpotPrice{ZoneID: zoneID, InstanceType: instanceType}
	var price, at int64
	if err := t.scan(`SELECT price, at FROM spot_prices WHERE zone_id = $1 AND instance_type = $2`, []any{zoneID, instanceType}, &price, &at); err != nil {
		return nil, err
	}
	p.Price, p.At = openecs.Money(price), openecs.FromMillis(at)
	return &p, nil
}

func (t *txn) SpotPrices() ([]openecs.SpotPrice, error) {
	return t.spotPrices(`SELECT zone_id, instance_type, price, at FROM spot_prices ORDER BY zone_id, instance_type`)
}

func (t *txn) SpotPriceHistory(zoneID, instanceType string, since time.Time, limit int) ([]openecs.SpotPrice, error) {
	q := `SELECT zone_id, instance_type, price, at FROM spot_price_history
		WHERE ($1 = '' OR zone_id = $1) AND ($2 = '' OR instance_type = $2) AND at >= $3 ORDER BY at, id`
	args := []any{zoneID, instanceType, openecs.Millis(since)}
	if limit > 0 {
		q += ` LIMIT $4`
		args = append(args, limit)
	}
	return t.spotPrices(q, args...)
}

func (t *txn) spotPrices(q string, args ...any) ([]openecs.SpotPrice, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.SpotPrice
	for rows.Next() {
		var p openecs.SpotPrice
		var price, at int64
		if err := rows.Scan(&p.ZoneID, &p.InstanceType, &price, &at); err != nil {
			return nil, t.s.translate(err)
		}
		p.Price, p.At = openecs.Money(price), openecs.FromMillis(at)
		out = append(out, p)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) PutSpotPrice(p openecs.SpotPrice) error {
	at := openecs.Millis(p.At)
	if _, err := t.exec(`INSERT INTO spot_prices (zone_id, instance_type, price, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (zone_id, instance_type) DO UPDATE SET price = excluded.price, at = excluded.at`,
		p.ZoneID, p.InstanceType, int64(p.Price), at); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO spot_price_history (zone_id, instance_type, price, at) VALUES ($1, $2, $3, $4)`,
		p.ZoneID, p.InstanceType, int64(p.Price), at)
	return err
}

// --- KMS keys ---

const kmsCols = `id, state, ecs_authorized, account_id, created_at, updated_at`

func scanKMSKey(sc scanner) (*openecs.KMSKey, error) {
	var k openecs.KMSKey
	var state string
	var authorized int
	var created, updated int64
	if err := sc.Scan(&k.ID, &state, &authorized, &k.AccountID, &created, &updated); err != nil {
		return nil, err
	}
	k.State, k.ECSAuthorized = openecs.KMSKeyState(state), authorized != 0
	k.CreatedAt, k.UpdatedAt = openecs.FromMillis(created), openecs.FromMillis(updated)
	return &k, nil
}

func (t *txn) KMSKey(id string) (*openecs.KMSKey, error) {
	k, err := scanKMSKey(t.row(`SELECT `+kmsCols+` FROM kms_keys WHERE id = $1`, id))
	return k, t.s.translate(err)
}

func (t *txn) KMSKeys() ([]openecs.KMSKey, error) {
	rows, err := t.query(`SELECT ` + kmsCols + ` FROM kms_keys ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.KMSKey
	for rows.Next() {
		k, err := scanKMSKey(rows)
		if err != nil {
			return nil, t.s.translate(err)
		}
		out = append(out, *k)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) PutKMSKey(k *openecs.KMSKey) error {
	_, err := t.exec(`INSERT INTO kms_keys (`+kmsCols+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, ecs_authorized = excluded.ecs_authorized,
		account_id = excluded.account_id, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		k.ID, string(k.State), b2i(k.ECSAuthorized), k.AccountID, openecs.Millis(k.CreatedAt), openecs.Millis(k.UpdatedAt))
	return err
}

func (t *txn) DeleteKMSKey(id string) error {
	return mustAffect(t.exec(`DELETE FROM kms_keys WHERE id = $1`, id))
}
