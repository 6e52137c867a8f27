package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/openecs/openecs"
)

type accountSettings struct {
	UnauthorizedInstanceTypes []string `json:"unauthorized_instance_types,omitempty"`
	UnauthorizedRegions       []string `json:"unauthorized_regions,omitempty"`
}

const accountCols = `id, name, balance, in_arrears, arrears_at, economical_mode, settings, created_at`

func scanAccount(sc scanner) (*openecs.Account, error) {
	var a openecs.Account
	var arrears, econ int
	var arrearsAt, created int64
	var settings string
	if err := sc.Scan(&a.ID, &a.Name, &a.Balance, &arrears, &arrearsAt, &econ, &settings, &created); err != nil {
		return nil, err
	}
	a.InArrears, a.EconomicalMode = arrears != 0, econ != 0
	a.ArrearsAt, a.CreatedAt = openecs.FromMillis(arrearsAt), openecs.FromMillis(created)
	var st accountSettings
	if settings != "" {
		if err := json.Unmarshal([]byte(settings), &st); err != nil {
			return nil, err
		}
	}
	a.UnauthorizedInstanceTypes, a.UnauthorizedRegions = st.UnauthorizedInstanceTypes, st.UnauthorizedRegions
	return &a, nil
}

func (t *txn) Account(id string) (*openecs.Account, error) {
	a, err := scanAccount(t.row(`SELECT `+accountCols+` FROM accounts WHERE id = $1`, id))
	return a, t.s.translate(err)
}

func (t *txn) Accounts() ([]*openecs.Account, error) {
	return all(t, scanAccount, `SELECT `+accountCols+` FROM accounts ORDER BY created_at, id`)
}

func (t *txn) InsertAccount(a *openecs.Account) error {
	_, err := t.exec(`INSERT INTO accounts (`+accountCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.ID, a.Name, a.Balance, b2i(a.InArrears), openecs.Millis(a.ArrearsAt), b2i(a.EconomicalMode),
		jsonText(accountSettings{a.UnauthorizedInstanceTypes, a.UnauthorizedRegions}), openecs.Millis(a.CreatedAt))
	return err
}

func (t *txn) UpdateAccount(a *openecs.Account) error {
	return mustAffect(t.exec(`UPDATE accounts SET name = $2, balance = $3, in_arrears = $4, arrears_at = $5, economical_mode = $6, settings = $7 WHERE id = $1`,
		a.ID, a.Name, a.Balance, b2i(a.InArrears), openecs.Millis(a.ArrearsAt), b2i(a.EconomicalMode),
		jsonText(accountSettings{a.UnauthorizedInstanceTypes, a.UnauthorizedRegions})))
}

// addBalance adds in SQL, so that concurrent writers need not read first,
// and only where the sum stays in BIGINT's range: SQLite would silently turn
// an overflowing sum into a REAL and PostgreSQL would fail the statement.
const addBalance = `UPDATE accounts SET balance = balance + CAST($2 AS BIGINT) WHERE id = $1 AND CASE WHEN CAST($2 AS BIGINT) >= 0
	THEN balance <= 9223372036854775807 - CAST($2 AS BIGINT)
	ELSE balance >= -9223372036854775807 - 1 - CAST($2 AS BIGINT) END
	RETURNING balance`

func (t *txn) AddBalance(accountID string, delta openecs.Money) (openecs.Money, error) {
	var bal openecs.Money
	err := t.scan(addBalance, []any{accountID, delta}, &bal)
	if errors.Is(err, openecs.ErrNotFound) {
		// No row: the account is missing, or the sum is out of range.
		var one int
		if err := t.scan(`SELECT 1 FROM accounts WHERE id = $1`, []any{accountID}, &one); err != nil {
			return 0, err
		}
		return 0, openecs.ErrMoneyOverflow
	}
	return bal, err
}

func (t *txn) AccessKey(id string) (*openecs.AccessKey, error) {
	var k openecs.AccessKey
	var allowed sql.NullString
	var expires, created int64
	err := t.scan(`SELECT id, account_id, secret, allowed_actions, security_token, expires_at, created_at FROM access_keys WHERE id = $1`,
		[]any{id}, &k.ID, &k.AccountID, &k.Secret, &allowed, &k.SecurityToken, &expires, &created)
	if err != nil {
		return nil, err
	}
	if allowed.Valid {
		k.AllowedActions = []string{}
		if err := json.Unmarshal([]byte(allowed.String), &k.AllowedActions); err != nil {
			return nil, err
		}
	}
	k.ExpiresAt, k.CreatedAt = openecs.FromMillis(expires), openecs.FromMillis(created)
	return &k, nil
}

func (t *txn) InsertAccessKey(k *openecs.AccessKey) error {
	var allowed any
	if k.AllowedActions != nil {
		allowed = jsonText(k.AllowedActions)
	}
	_, err := t.exec(`INSERT INTO access_keys (id, account_id, secret, allowed_actions, security_token, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		k.ID, k.AccountID, k.Secret, allowed, k.SecurityToken, openecs.Millis(k.ExpiresAt), openecs.Millis(k.CreatedAt))
	return err
}
