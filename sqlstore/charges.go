package sqlstore

import "github.com/openecs/openecs"

func (t *txn) ChargedTotal(accountID string) (openecs.Money, error) {
	// Summed by the engine over the account's events (events_by_account);
	// cast like sums, so an out-of-range total is ErrMoneyOverflow.
	var total openecs.Money
	err := t.scan(`SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM events WHERE account_id = $1 AND kind = `+chargeKind,
		[]any{accountID}, &total)
	return total, err
}
