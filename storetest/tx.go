package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// errBoom is the error the suite's failing fns return.
var errBoom = errors.New("storetest: fn failed on purpose")

// waitLimit bounds every wait on another goroutine, so that a broken driver
// fails the test instead of hanging it.
const waitLimit = 30 * time.Second

// writeFootprint makes one write of several kinds, all keyed by n, so that
// footprint can tell whether they are there.
func writeFootprint(tx openecs.Tx, n string) error {
	if err := tx.InsertAccount(newAccount("acct-" + n)); err != nil {
		return err
	}
	if err := tx.SetMeta("meta-"+n, n); err != nil {
		return err
	}
	if err := tx.InsertInstance(newInstance("i-"+n, "acct-"+n, func(in *openecs.Instance) {
		in.Tags = []openecs.Tag{{Key: "n", Value: n}}
	})); err != nil {
		return err
	}
	if err := tx.AppendEvent(&openecs.Event{At: base, AccountID: "acct-" + n, Kind: openecs.EventAccountCreated, ResourceID: "acct-" + n}); err != nil {
		return err
	}
	return tx.InsertJob(&openecs.Job{Kind: openecs.JobRelease, Ref: "i-" + n, DueAt: base})
}

// footprint reports how many of writeFootprint(n)'s writes are visible (0 or
// 5 when the store is transactional).
func footprint(s openecs.Store, n string) (int, error) {
	found := 0
	err := s.View(context.Background(), func(r openecs.Reader) error {
		found = 0
		present := func(err error) error {
			if err == nil {
				found++
				return nil
			}
			if errors.Is(err, openecs.ErrNotFound) {
				return nil
			}
			return err
		}
		if _, err := r.Account("acct-" + n); present(err) != nil {
			return err
		}
		if _, err := r.Meta("meta-" + n); present(err) != nil {
			return err
		}
		if _, err := r.Instance("i-" + n); present(err) != nil {
			return err
		}
		evs, err := r.Events(openecs.EventFilter{ResourceID: "acct-" + n})
		if err != nil {
			return err
		}
		found += len(evs)
		tagged, err := r.CountInstances(openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "n", Value: n}}})
		if err != nil {
			return err
		}
		found += tagged
		return nil
	})
	return found, err
}

func testTransactions(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"a failed fn leaves no trace and its error is returned": func(t *testing.T) {
			s := h.store(t)
			err := updateErr(s, func(tx openecs.Tx) error {
				if err := writeFootprint(tx, "x"); err != nil {
					return err
				}
				if err := tx.PutCapacity(openecs.Capacity{ZoneID: zone, InstanceType: itype, Available: ptr(1)}); err != nil {
					return err
				}
				return fmt.Errorf("wrapped: %w", errBoom)
			})
			wantErr(t, "Update(failing fn)", err, errBoom)
			if n, err := footprint(s, "x"); err != nil || n != 0 {
				t.Fatalf("after a failed fn, %d of its writes are visible (err %v), want 0", n, err)
			}
			if n := read(t, s, func(r openecs.Reader) (int, error) { return r.JobCount() }); n != 0 {
				t.Fatalf("JobCount after a failed fn = %d, want 0", n)
			}
			if c := read(t, s, func(r openecs.Reader) ([]openecs.Capacity, error) { return r.Capacities() }); len(c) != 0 {
				t.Fatalf("Capacities after a failed fn = %v, want none", c)
			}
		},
		"concurrent updates: the failing ones roll back alone": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "existing")
			const n = 50
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = updateErr(s, func(tx openecs.Tx) error {
						if err := writeFootprint(tx, strconv.Itoa(i)); err != nil {
							return err
						}
						switch i % 6 {
						case 0: // every sixth fails by returning an error
							return errBoom
						case 3: // and every sixth, offset by three, on a store error
							return tx.InsertAccount(newAccount("existing"))
						}
						return nil
					})
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for i, err := range errs {
				fails := i%3 == 0
				switch {
				case i%6 == 0 && !errors.Is(err, errBoom):
					t.Fatalf("update %d: error = %v, want errBoom", i, err)
				case i%6 == 3 && !errors.Is(err, openecs.ErrConflict):
					t.Fatalf("update %d: error = %v, want ErrConflict", i, err)
				case !fails && err != nil:
					t.Fatalf("update %d: error = %v, want nil", i, err)
				}
				got, ferr := footprint(s, strconv.Itoa(i))
				if ferr != nil {
					t.Fatalf("reading update %d's writes: %v", i, ferr)
				}
				want := 5
				if fails {
					want = 0
				} else {
					ok++
				}
				if got != want {
					t.Fatalf("update %d (failing: %v): %d of its 5 writes are visible, want %d", i, fails, got, want)
				}
			}
			if c := read(t, s, func(r openecs.Reader) (int, error) { return r.CountInstances(openecs.InstanceFilter{}) }); c != ok {
				t.Fatalf("CountInstances = %d, want %d (one per successful update)", c, ok)
			}
			if c := read(t, s, func(r openecs.Reader) (int, error) { return r.JobCount() }); c != ok {
				t.Fatalf("JobCount = %d, want %d (one per successful update)", c, ok)
			}
		},
		"many concurrent updates all commit": func(t *testing.T) {
			s := h.store(t)
			const n = 600 // more than one group-commit batch
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- updateErr(s, func(tx openecs.Tx) error {
						return tx.AppendEvent(&openecs.Event{At: base, Kind: openecs.EventInstanceStatus, ResourceID: "i-" + strconv.Itoa(i)})
					})
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("Update: %v", err)
				}
			}
			evs := read(t, s, func(r openecs.Reader) ([]openecs.Event, error) { return r.Events(openecs.EventFilter{Limit: 1000}) })
			if len(evs) != n {
				t.Fatalf("%d events after %d successful updates, want %d", len(evs), n, n)
			}
		},
		"a panicking fn does not take the store down": func(t *testing.T) {
			s := h.store(t)
			err := updateErr(s, func(tx openecs.Tx) error {
				if err := writeFootprint(tx, "p"); err != nil {
					return err
				}
				panic("storetest: fn panics on purpose")
			})
			if err == nil {
				t.Fatal("Update(panicking fn) returned nil, want an error")
			}
			if n, err := footprint(s, "p"); err != nil || n != 0 {
				t.Fatalf("after a panicking fn, %d of its writes are visible (err %v), want 0", n, err)
			}

			// Panics among concurrent successes: only the panicking ones fail.
			const n = 30
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = updateErr(s, func(tx openecs.Tx) error {
						if err := writeFootprint(tx, strconv.Itoa(i)); err != nil {
							return err
						}
						if i%5 == 0 {
							panic(errBoom)
						}
						return nil
					})
				}()
			}
			wg.Wait()
			for i, err := range errs {
				want := 5
				if i%5 == 0 {
					want = 0
					if err == nil {
						t.Fatalf("update %d panicked but Update returned nil", i)
					}
				} else if err != nil {
					t.Fatalf("update %d: error = %v, want nil", i, err)
				}
				if got, ferr := footprint(s, strconv.Itoa(i)); ferr != nil || got != want {
					t.Fatalf("update %d: %d of its writes are visible (err %v), want %d", i, got, ferr, want)
				}
			}
			exec(t, s, func(tx openecs.Tx) error { return writeFootprint(tx, "after") })
			if n, err := footprint(s, "after"); err != nil || n != 5 {
				t.Fatalf("an update after the panics: %d of 5 writes visible (err %v)", n, err)
			}
		},
		"View sees every committed update at once": func(t *testing.T) {
			s := h.store(t)
			for i := range 50 {
				v := strconv.Itoa(i)
				exec(t, s, func(tx openecs.Tx) error { return tx.SetMeta("k", v) })
				if got := read(t, s, func(r openecs.Reader) (string, error) { return r.Meta("k") }); got != v {
					t.Fatalf("View after update %d: Meta(k) = %q, want %q", i, got, v)
				}
			}
		},
		"View does not see uncommitted writes": func(t *testing.T) {
			s := h.store(t)
			written, release := make(chan struct{}), make(chan struct{})
			releaseOnce := sync.OnceFunc(func() { close(release) })
			defer releaseOnce() // never leave the writer blocked
			writtenOnce := sync.OnceFunc(func() { close(written) })
			done := make(chan error, 1)
			go func() {
				done <- updateErr(s, func(tx openecs.Tx) error {
					if err := tx.SetMeta("k", "pending"); err != nil {
						return err
					}
					writtenOnce()
					select {
					case <-release:
						return nil
					case <-time.After(waitLimit):
						return errors.New("storetest: never released")
					}
				})
			}()
			select {
			case <-written:
			case <-time.After(waitLimit):
				t.Fatal("the update's fn never ran")
			}
			wantErr(t, "Meta(k) while the write is uncommitted", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Meta("k")
				return err
			}), openecs.ErrNotFound)
			releaseOnce()
			if err := <-done; err != nil {
				t.Fatalf("Update: %v", err)
			}
			if got := read(t, s, func(r openecs.Reader) (string, error) { return r.Meta("k") }); got != "pending" {
				t.Fatalf("Meta(k) after commit = %q, want %q", got, "pending")
			}
		},
		"View reads one snapshot": func(t *testing.T) {
			s := h.store(t)
			exec(t, s, func(tx openecs.Tx) error { return tx.SetMeta("k", "before") })
			var first, second string
			err := s.View(context.Background(), func(r openecs.Reader) error {
				var err error
				if first, err = r.Meta("k"); err != nil {
					return err
				}
				// Another writer commits while this View is open.
				done := make(chan error, 1)
				go func() { done <- updateErr(s, func(tx openecs.Tx) error { return tx.SetMeta("k", "after") }) }()
				select {
				case err := <-done:
					if err != nil {
						return err
					}
				case <-time.After(waitLimit):
					return errors.New("storetest: an Update could not commit while a View was open")
				}
				second, err = r.Meta("k")
				return err
			})
			if err != nil {
				t.Fatalf("View: %v", err)
			}
			if first != "before" || second != "before" {
				t.Fatalf("inside one View Meta(k) read %q then %q, want %q both times", first, second, "before")
			}
			if got := read(t, s, func(r openecs.Reader) (string, error) { return r.Meta("k") }); got != "after" {
				t.Fatalf("Meta(k) in a later View = %q, want %q", got, "after")
			}
		},
		"a cancelled context applies nothing": func(t *testing.T) {
			s := h.store(t)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := s.Update(ctx, func(tx openecs.Tx) error { return writeFootprint(tx, "c") })
			if err == nil {
				t.Fatal("Update with a cancelled context returned nil")
			}
			if n, ferr := footprint(s, "c"); ferr != nil || n != 0 {
				t.Fatalf("Update with a cancelled context: %d writes visible (err %v), want 0", n, ferr)
			}
		},
		"Ping answers": func(t *testing.T) {
			s := h.store(t)
			if err := s.Ping(context.Background()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
		},
	})
}
