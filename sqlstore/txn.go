package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/openecs/openecs"
)

// execer is what both *sql.Tx and *sql.DB offer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// txn implements openecs.Tx (and so openecs.Reader) over one transaction.
type txn struct {
	s   *Store
	ctx context.Context
	ex  execer
	// tags remembers, in a write transaction, the tags each instance had at
	// the version this transaction last read or wrote, so that an update that
	// leaves them as they were does not rewrite the tag index. nil in reads.
	tags map[string]tagMemo
	now  time.Time // stamped when the transaction began
	// disks remembers, in a write transaction, the disks of the instances
	// read before its first disk write (disks.go).
	disks diskMemo
}

// Now implements openecs.Reader.
func (t *txn) Now() time.Time { return t.now }

func (t *txn) exec(query string, args ...any) (sql.Result, error) {
	r, err := t.ex.ExecContext(t.ctx, t.s.q(query), args...)
	return r, t.s.translate(err)
}

func (t *txn) query(query string, args ...any) (*sql.Rows, error) {
	r, err := t.ex.QueryContext(t.ctx, t.s.q(query), args...)
	return r, t.s.translate(err)
}

func (t *txn) row(query string, args ...any) *sql.Row {
	return t.ex.QueryRowContext(t.ctx, t.s.q(query), args...)
}

// scan runs a single-row query and translates sql.ErrNoRows.
func (t *txn) scan(query string, args []any, dest ...any) error {
	return t.s.translate(t.row(query, args...).Scan(dest...))
}

// scanner is what *sql.Row and *sql.Rows offer.
type scanner interface{ Scan(...any) error }

// all runs a query and decodes every row with scan.
func all[T any](t *txn, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, t.s.translate(err)
		}
		out = append(out, v)
	}
	return out, t.s.translate(rows.Err())
}

// affected returns ErrConflict when an update changed no row.
func affected(r sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return openecs.ErrConflict
	}
	return nil
}

// mustAffect returns ErrNotFound when an update changed no row.
func mustAffect(r sql.Result, err error) error {
	if err := affected(r, err); err == openecs.ErrConflict {
		return openecs.ErrNotFound
	} else if err != nil {
		return err
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sqlstore: " + err.Error())
	}
	return string(b)
}

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$")
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// --- meta ---

func (t *txn) Meta(key string) (string, error) {
	var v string
	err := t.scan(`SELECT value FROM meta WHERE key = $1`, []any{key}, &v)
	return v, err
}

func (t *txn) SetMeta(key, value string) error {
	_, err := t.exec(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

func (t *txn) CompareAndSetMeta(key, old, value string) (bool, error) {
	var r sql.Result
	var err error
	if old == "" {
		r, err = t.exec(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value)
	} else {
		r, err = t.exec(`UPDATE meta SET value = $3 WHERE key = $1 AND value = $2`, key, old, value)
	}
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n == 1, err
}
