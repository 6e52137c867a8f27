package sqlstore

import (
	"errors"
	"time"

	"github.com/openecs/openecs"
)

func (t *txn) Idempotency(accountID, action, token string) (*openecs.IdempotencyRecord, error) {
	var r openecs.IdempotencyRecord
	var resp string
	var created int64
	err := t.scan(`SELECT account_id, action, token, params_hash, response, created_at FROM idempotency WHERE account_id = $1 AND action = $2 AND token = $3`,
		[]any{accountID, action, token}, &r.AccountID, &r.Action, &r.Token, &r.ParamsHash, &resp, &created)
	if err != nil {
		return nil, err
	}
	r.Response, r.CreatedAt = []byte(resp), openecs.FromMillis(created)
	return &r, nil
}

func (t *txn) PutIdempotency(r *openecs.IdempotencyRecord) error {
	_, err := t.exec(`INSERT INTO idempotency (account_id, action, token, params_hash, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		r.AccountID, r.Action, r.Token, r.ParamsHash, string(r.Response), openecs.Millis(r.CreatedAt))
	return err
}

// --- capacity ---

func (t *txn) Capacity(zoneID, instanceType string) (*openecs.Capacity, error) {
	var n int
	if err := t.scan(`SELECT available FROM capacity WHERE zone_id = $1 AND instance_type = $2`, []any{zoneID, instanceType}, &n); err != nil {
		return nil, err
	}
	return &openecs.Capacity{ZoneID: zoneID, InstanceType: instanceType, Available: &n}, nil
}

func (t *txn) Capacities() ([]openecs.Capacity, error) {
	rows, err := t.query(`SELECT zone_id, instance_type, available FROM capacity ORDER BY zone_id, instance_type`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.Capacity
	for rows.Next() {
		var c openecs.Capacity
		var n int
		if err := rows.Scan(&c.ZoneID, &c.InstanceType, &n); err != nil {
			return nil, t.s.translate(err)
		}
		c.Available = &n
		out = append(out, c)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) PutCapacity(c openecs.Capacity) error {
	if c.Available == nil {
		_, err := t.exec(`DELETE FROM capacity WHERE zone_id = $1 AND instance_type = $2`, c.ZoneID, c.InstanceType)
		return err
	}
	_, err := t.exec(`INSERT INTO capacity (zone_id, instance_type, available) VALUES ($1, $2, $3)
		ON CONFLICT (zone_id, instance_type) DO UPDATE SET available = excluded.available`, c.ZoneID, c.InstanceType, *c.Available)
	return err
}

func (t *txn) TakeCapacity(zoneID, instanceType string) (bool, error) {
	var exists int
	err := t.scan(`SELECT COUNT(*) FROM capacity WHERE zone_id = $1 AND instance_type = $2`, []any{zoneID, instanceType}, &exists)
	if err != nil {
		return false, err
	}
	if exists == 0 {
		return true, nil // unlimited
	}
	r, err := t.exec(`UPDATE capacity SET available = available - 1 WHERE zone_id = $1 AND instance_type = $2 AND available > 0`, zoneID, instanceType)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

func (t *txn) ReturnCapacity(zoneID, instanceType string) error {
	_, err := t.exec(`UPDATE capacity SET available = available + 1 WHERE zone_id = $1 AND instance_type = $2`, zoneID, instanceType)
	return err
}

// --- faults ---

func (t *txn) Faults() ([]openecs.Fault, error) {
	rows, err := t.query(`SELECT id, action, code, message, count, account_id, probability, latency_ms, http_status, until_at, created_at FROM faults ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.Fault
	for rows.Next() {
		var f openecs.Fault
		var until, created int64
		if err := rows.Scan(&f.ID, &f.Action, &f.Code, &f.Message, &f.Count, &f.AccountID, &f.Probability, &f.LatencyMS, &f.HTTPStatus, &until, &created); err != nil {
			return nil, t.s.translate(err)
		}
		f.Until, f.CreatedAt = openecs.FromMillis(until), openecs.FromMillis(created)
		out = append(out, f)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) InsertFault(f *openecs.Fault) error {
	return t.scan(`INSERT INTO faults (action, code, message, count, account_id, probability, latency_ms, http_status, until_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		[]any{f.Action, f.Code, f.Message, f.Count, f.AccountID, f.Probability, f.LatencyMS, f.HTTPStatus, openecs.Millis(f.Until), openecs.Millis(f.CreatedAt)}, &f.ID)
}

func (t *txn) DeleteFault(id int64) error {
	return mustAffect(t.exec(`DELETE FROM faults WHERE id = $1`, id))
}

func (t *txn) ConsumeFault(id int64) (bool, error) {
	r, err := t.exec(`UPDATE faults SET count = count - 1 WHERE id = $1 AND count > 0`, id)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return false, err
	}
	if _, err := t.exec(`DELETE FROM faults WHERE id = $1 AND count = 0`, id); err != nil {
		return false, err
	}
	return n == 1, nil
}

// --- images ---

func (t *txn) ImageExpired(imageID string) (bool, error) {
	var e int
	err := t.scan(`SELECT expired FROM image_state WHERE image_id = $1`, []any{imageID}, &e)
	if errors.Is(err, openecs.ErrNotFound) {
		return false, nil
	}
	return e != 0, err
}

func (t *txn) SetImageExpired(imageID string, expired bool) error {
	_, err := t.exec(`INSERT INTO image_state (image_id, expired) VALUES ($1, $2) ON CONFLICT (image_id) DO UPDATE SET expired = excluded.expired`, imageID, b2i(expired))
	return err
}

// --- nonce floors ---

func (t *txn) NonceFloors(since time.Time) (map[string]time.Time, error) {
	rows, err := t.query(`SELECT key_id, signed_at FROM nonce_floors WHERE signed_at >= $1`, openecs.Millis(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var k string
		var at int64
		if err := rows.Scan(&k, &at); err != nil {
			return nil, t.s.translate(err)
		}
		out[k] = openecs.FromMillis(at)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) RaiseNonceFloor(keyID string, at time.Time) error {
	_, err := t.exec(`INSERT INTO nonce_floors (key_id, signed_at) VALUES ($1, $2)
		ON CONFLICT (key_id) DO UPDATE SET signed_at = excluded.signed_at WHERE nonce_floors.signed_at < excluded.signed_at`, keyID, openecs.Millis(at))
	return err
}

func (t *txn) PruneNonceFloors(before time.Time) error {
	_, err := t.exec(`DELETE FROM nonce_floors WHERE signed_at < $1`, openecs.Millis(before))
	return err
}
