package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/openecs/openecs"
)

func (t *txn) AppendEvent(e *openecs.Event) error {
	data := ""
	if len(e.Data) > 0 {
		data = jsonText(e.Data)
	}
	return t.scan(`INSERT INTO events (at, account_id, kind, resource_id, hour, amount, cause, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		[]any{openecs.Millis(e.At), e.AccountID, e.Kind, e.ResourceID, openecs.Millis(e.Hour), e.Amount, e.Cause, data}, &e.ID)
}

func (t *txn) Events(f openecs.EventFilter) ([]openecs.Event, error) {
	q := `SELECT id, at, account_id, kind, resource_id, hour, amount, cause, data FROM events WHERE id > $1`
	args := []any{f.After}
	if f.AccountID != "" {
		args = append(args, f.AccountID)
		q += ` AND account_id = $` + strconv.Itoa(len(args))
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		q += ` AND kind = $` + strconv.Itoa(len(args))
	}
	if f.ResourceID != "" {
		args = append(args, f.ResourceID)
		q += ` AND resource_id = $` + strconv.Itoa(len(args))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += ` ORDER BY id LIMIT ` + strconv.Itoa(limit)
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.Event
	for rows.Next() {
		var e openecs.Event
		var at, hour int64
		var data string
		if err := rows.Scan(&e.ID, &at, &e.AccountID, &e.Kind, &e.ResourceID, &hour, &e.Amount, &e.Cause, &data); err != nil {
			return nil, t.s.translate(err)
		}
		e.At, e.Hour = openecs.FromMillis(at), openecs.FromMillis(hour)
		if data != "" {
			if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	return out, t.s.translate(rows.Err())
}

func (t *txn) InsertOrder(o *openecs.Order) error {
	_, err := t.exec(`INSERT INTO orders (id, account_id, kind, amount, created_at, resources) VALUES ($1, $2, $3, $4, $5, $6)`,
		o.ID, o.AccountID, o.Kind, o.Amount, openecs.Millis(o.CreatedAt), jsonText(o.Resources))
	return err
}

func (t *txn) Orders(accountID string, limit int) ([]openecs.Order, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := t.query(`SELECT id, account_id, kind, amount, created_at, resources FROM orders WHERE account_id = $1 ORDER BY created_at DESC, id LIMIT `+strconv.Itoa(limit), accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []openecs.Order
	for rows.Next() {
		var o openecs.Order
		var created int64
		var res string
		if err := rows.Scan(&o.ID, &o.AccountID, &o.Kind, &o.Amount, &created, &res); err != nil {
			return nil, t.s.translate(err)
		}
		o.CreatedAt = openecs.FromMillis(created)
		if err := json.Unmarshal([]byte(res), &o.Resources); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, t.s.translate(rows.Err())
}

// billable is the billing rule, the one place it is written: a
// pay-as-you-go instance accrues its hourly price for the hour ending at the
// billing point named by the parameter unless it is suspended (any billing
// state but Normal) or stopped with StopCharging, and only if it was created
// before that point. Built from the domain's constants; storetest pins it.
func billable(hourParam string) string {
	return fmt.Sprintf(`i.charge_type = '%s' AND i.billing_state = '%s'
	AND NOT (i.status = '%s' AND i.stopped_mode = '%s')
	AND i.created_at < %s`, openecs.PostPaid, openecs.BillingNormal, openecs.StatusStopped, openecs.StopCharging, hourParam)
}

// billableAt is billable for the hour in $1.
var billableAt = billable("$1")

// chargeKind is the event kind of a charge, as SQL text. The partial unique
// index on charges (migration 0001) names the same literal.
const chargeKind = `'` + string(openecs.EventCharge) + `'`

func (t *txn) ChargeHour(hour, at time.Time) (map[string]openecs.Money, error) {
	h := openecs.Millis(hour)
	// The totals are the charges already recorded for the hour (reserved
	// coverage at zero, a fee, or an earlier run), plus the price of every
	// billable instance, minus the price of those the first part already
	// holds (the insert below leaves them alone). Summed from the instances
	// and the few rows already there, instead of from the million rows just
	// inserted.
	out, err := t.sums(`SELECT account_id, CAST(SUM(amount) AS BIGINT) FROM events WHERE kind = `+chargeKind+` AND hour = $1 GROUP BY account_id`, h)
	if err != nil {
		return nil, err
	}
	charged, err := t.sums(`SELECT i.account_id, CAST(SUM(i.hourly_price) AS BIGINT) FROM events e CROSS JOIN instances i
		WHERE e.kind = `+chargeKind+` AND e.hour = $1 AND i.id = e.resource_id AND `+billableAt+` GROUP BY i.account_id`, h)
	if err != nil {
		return nil, err
	}
	billable, err := t.sums(`SELECT i.account_id, CAST(SUM(i.hourly_price) AS BIGINT) FROM instances i WHERE `+billableAt+` GROUP BY i.account_id`, h)
	if err != nil {
		return nil, err
	}
	// The unique index on (hour, resource_id) for charges makes the insert
	// idempotent; rows already charged for this hour (for instance at zero by
	// a reserved instance) are left alone.
	if _, err := t.exec(`INSERT INTO events (at, account_id, kind, resource_id, hour, amount, cause, data)
		SELECT $2, i.account_id, `+chargeKind+`, i.id, $1, i.hourly_price, 'billing', ''
		FROM instances i
		WHERE `+billableAt+`
		ORDER BY i.seq
		ON CONFLICT (hour, resource_id) WHERE kind = `+chargeKind+` DO NOTHING`, h, openecs.Millis(at)); err != nil {
		return nil, err
	}
	for a, m := range billable {
		add, err := m.Sub(charged[a])
		if err == nil {
			out[a], err = out[a].Add(add)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sums runs a query of (account, amount) rows into a map. Its sums are cast
// to BIGINT, so that a sum out of Money's range fails the statement on
// either engine (the dialects translate that to openecs.ErrMoneyOverflow)
// instead of coming back as a PostgreSQL NUMERIC.
func (t *txn) sums(q string, args ...any) (map[string]openecs.Money, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]openecs.Money{}
	for rows.Next() {
		var acct string
		var sum openecs.Money
		if err := rows.Scan(&acct, &sum); err != nil {
			return nil, t.s.translate(err)
		}
		out[acct] = sum
	}
	return out, t.s.translate(rows.Err())
}
