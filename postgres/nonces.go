package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/openecs/openecs"
)

// Nonces is the SignatureNonce store shared by every replica (it implements
// rpc.NonceStore): a nonce used on one replica is refused on all of them
// until its request's timestamp window ends.
//
// The table is UNLOGGED: recording a nonce writes no WAL and waits for no
// flush, so the check costs one round trip and no disk write. After a crash
// of the database server PostgreSQL empties it; requests signed in the 15
// minutes before the crash could then be replayed once. Expired rows are
// pruned about once a minute by whichever replica notices first.
type Nonces struct {
	db      *sql.DB
	timeout time.Duration
	wall    func() time.Time

	pruneEvery time.Duration
	lastPrune  atomic.Int64 // wall Unix ms
	pruning    atomic.Bool
}

// newNonces returns the nonce store shared through db.
func newNonces(db *sql.DB, timeout time.Duration) *Nonces {
	n := &Nonces{db: db, timeout: timeout, wall: time.Now, pruneEvery: time.Minute}
	n.lastPrune.Store(time.Now().UnixMilli())
	return n
}

// The nonce is recorded unless a live entry holds it (an expired one that
// was not pruned yet is taken over).
const useNonceSQL = `WITH ins AS (
	INSERT INTO rpc_nonces (nonce, expires_at) VALUES ($1, $2)
	ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE rpc_nonces.expires_at < $3
	RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM ins)`

// Use implements openecs.NonceStore: it records the key's nonce until the
// end of its window and reports whether it was fresh.
func (n *Nonces) Use(ctx context.Context, keyID, nonce string, signedAt time.Time) (bool, error) {
	until := signedAt.Add(openecs.TimestampWindow)
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	now := n.wall()
	// The transport's nonce may hold any bytes (NUL, which TEXT refuses) and
	// be long; its digest is a fixed 32 bytes.
	key := sha256.Sum256([]byte(keyID + "\x00" + nonce))
	var fresh bool
	var err error
	for attempt := range 5 {
		err = n.db.QueryRowContext(ctx, useNonceSQL, key[:], until.UnixMilli(), now.UnixMilli()).Scan(&fresh)
		// Two replicas recording one nonce at the same instant: the loser's
		// SERIALIZABLE statement fails and, run again, sees the winner's row.
		if err == nil || !(Dialect{}).Retryable(err) {
			break
		}
		time.Sleep(time.Duration(attempt+1) * time.Millisecond)
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return false, fmt.Errorf("%w: nonce check: %w", openecs.ErrUnavailable, err)
		}
		return false, Dialect{}.Translate(err)
	}
	n.maybePrune(now)
	return fresh, nil
}

// maybePrune drops expired nonces in the background, at most once per
// pruneEvery in this process.
func (n *Nonces) maybePrune(now time.Time) {
	last := n.lastPrune.Load()
	if now.UnixMilli()-last < n.pruneEvery.Milliseconds() || !n.lastPrune.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	if !n.pruning.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer n.pruning.Store(false)
		n.Prune(context.Background(), now) //nolint:errcheck // the next prune tries again
	}()
}

// Prune deletes the nonces that expired before now and returns how many.
func (n *Nonces) Prune(ctx context.Context, now time.Time) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	r, err := n.db.ExecContext(ctx, `DELETE FROM rpc_nonces WHERE expires_at < $1`, now.UnixMilli())
	if err != nil {
		return 0, Dialect{}.Translate(err)
	}
	return r.RowsAffected()
}
