package storetest

import (
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// testClock pins how a transaction's Now is stamped: the wall time when it
// began plus the offset stored under openecs.MetaClockOffset in its own
// snapshot, read once, in reads and writes alike.
func testClock(t *testing.T, h harness) {
	const slack = time.Minute // the wall clock moves while the test runs
	now := func(t *testing.T, s openecs.Store) time.Time {
		t.Helper()
		return read(t, s, func(r openecs.Reader) (time.Time, error) { return r.Now(), nil })
	}
	setOffset := func(t *testing.T, s openecs.Store, d time.Duration) {
		t.Helper()
		exec(t, s, func(tx openecs.Tx) error { return tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(d)) })
	}
	within := func(t *testing.T, what string, got, want time.Time) {
		t.Helper()
		if got.Before(want) || got.After(want.Add(slack)) {
			t.Fatalf("%s = %s, want %s (up to %s later)", what, got, want, slack)
		}
	}

	parallel(t, map[string]func(t *testing.T){
		"Now is the wall time plus the stored offset": func(t *testing.T) {
			s := h.store(t)
			wall := time.Now().UTC()
			within(t, "Now with no offset stored", now(t, s), wall.Add(-time.Second))
			setOffset(t, s, 48*time.Hour)
			within(t, "Now after a 48h offset", now(t, s), wall.Add(48*time.Hour-time.Second))
			got := write(t, s, func(tx openecs.Tx) (time.Time, error) { return tx.Now(), nil })
			within(t, "a write transaction's Now after a 48h offset", got, wall.Add(48*time.Hour-time.Second))
			if loc := got.Location(); loc != time.UTC {
				t.Fatalf("Now is in %s, want UTC", loc)
			}
		},
		"Now is fixed once per transaction": func(t *testing.T) {
			s := h.store(t)
			exec(t, s, func(tx openecs.Tx) error {
				first := tx.Now()
				if err := tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(time.Hour)); err != nil {
					return err
				}
				time.Sleep(5 * time.Millisecond)
				if again := tx.Now(); !again.Equal(first) {
					t.Errorf("Now moved within one transaction: %s, then %s", first, again)
				}
				return nil
			})
			within(t, "Now in the next transaction", now(t, s), time.Now().UTC().Add(time.Hour-time.Second))
		},
		"a rolled-back offset does not move the clock": func(t *testing.T) {
			s := h.store(t)
			before := now(t, s)
			wantErr(t, "Update that fails after setting the offset", updateErr(s, func(tx openecs.Tx) error {
				if err := tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(240*time.Hour)); err != nil {
					return err
				}
				return errBoom
			}), errBoom)
			within(t, "Now after the rollback", now(t, s), before)
		},
		"the offset survives a restart": func(t *testing.T) {
			open := h.database(t)
			s := openOn(t, open)
			setOffset(t, s, 360*time.Hour)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			within(t, "Now after a restart", now(t, openOn(t, open)), time.Now().UTC().Add(360*time.Hour-time.Second))
		},
	})
}

// testNonceFloors pins the per-key latest signing times a single server
// records so that a restart cannot open the door to replays.
func testNonceFloors(t *testing.T, h harness) {
	base := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	floors := func(t *testing.T, s openecs.Store, since time.Time) map[string]time.Time {
		t.Helper()
		return read(t, s, func(r openecs.Reader) (map[string]time.Time, error) { return r.NonceFloors(since) })
	}
	parallel(t, map[string]func(t *testing.T){
		"a floor only rises, per key, and is filtered and pruned by time": func(t *testing.T) {
			open := h.database(t)
			s := openOn(t, open)
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.RaiseNonceFloor("k1", base.Add(time.Minute)); err != nil {
					return err
				}
				if err := tx.RaiseNonceFloor("k1", base); err != nil { // earlier: no effect
					return err
				}
				return tx.RaiseNonceFloor("k2", base.Add(-time.Hour))
			})
			got := floors(t, s, time.Time{})
			if len(got) != 2 || !got["k1"].Equal(base.Add(time.Minute)) || !got["k2"].Equal(base.Add(-time.Hour)) {
				t.Fatalf("NonceFloors = %v", got)
			}
			if got := floors(t, s, base); len(got) != 1 || !got["k1"].Equal(base.Add(time.Minute)) {
				t.Fatalf("NonceFloors(since) = %v, want k1 only", got)
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.PruneNonceFloors(base) })
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got := floors(t, openOn(t, open), time.Time{}); len(got) != 1 || !got["k1"].Equal(base.Add(time.Minute)) {
				t.Fatalf("after pruning and a restart: %v, want k1 only", got)
			}
		},
	})
}
