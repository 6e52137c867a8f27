package postgres

import (
	"context"
	"database/sql"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/openecs/openecs"
)

// The shared clock. The virtual clock's offset lives in the meta table
// (service.SyncClock, AdvanceClock); each replica keeps a copy. On
// PostgreSQL the copy is refreshed at the start of every write transaction,
// inside the transaction's own snapshot (beginWrite), and on every signed
// call (Nonces), so that a replica never acts on an offset older than what
// its transaction can see.
//
// That alone leaves one race: a transaction that read the offset just before
// another replica advanced the clock could commit after the billing point
// the advance crossed, with a time before it (an instance created at 10:59
// that the 11:00 billing point never saw). The clock fence closes it (see
// migrations/0001_init.sql): write transactions hold the fence shared, an
// advance takes it exclusively, so the advance commits only once every
// transaction that read the old offset has committed, and none can start
// with the old offset until it has.
//
// What the fence cannot cover is the wall clock: replicas on different hosts
// take time from their own clocks, so keep them synchronised (NTP); a call
// that straddles a whole hour by less than the skew plus one commit may be
// billed from the next hour.

// beginWriteSQL is the first statement of every write transaction.
const beginWriteSQL = `SELECT COALESCE(openecs_begin_write(), '')`

// FollowClock makes the store keep clock on the shared offset: at the start
// of every write transaction the offset committed in the database is loaded
// into it (the clock never goes back). Call it before serving.
func (s *Store) FollowClock(clock *openecs.VirtualClock) { s.clock.Store(clock) }

// clockRef is the clock a store follows (nil: none).
type clockRef = atomic.Pointer[openecs.VirtualClock]

// beginWrite is sqlstore's BeginWrite hook: the fence, the snapshot and the
// clock, in one round trip.
func (s *Store) beginWrite(ctx context.Context, tx *sql.Tx) error {
	var offset string
	if err := tx.QueryRowContext(ctx, beginWriteSQL).Scan(&offset); err != nil {
		return err
	}
	if c := s.clock.Load(); c != nil && offset != "" {
		if ms, err := strconv.ParseInt(offset, 10, 64); err == nil {
			c.SetOffset(time.Duration(ms) * time.Millisecond)
		}
	}
	return nil
}
