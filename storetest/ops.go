package storetest

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

const (
	zone  = "cn-hangzhou-h"
	itype = "ecs.g7.large"
)

func testCapacity(t *testing.T, h harness) {
	take := func(t *testing.T, s openecs.Store, zone, itype string) bool {
		t.Helper()
		return write(t, s, func(tx openecs.Tx) (bool, error) { return tx.TakeCapacity(zone, itype) })
	}
	// available reads the free count; nil means unlimited (no row).
	available := func(t *testing.T, s openecs.Store, zone, itype string) *int {
		t.Helper()
		var c *openecs.Capacity
		err := viewErr(s, func(r openecs.Reader) error {
			var err error
			c, err = r.Capacity(zone, itype)
			return err
		})
		if errors.Is(err, openecs.ErrNotFound) {
			return nil
		}
		if err != nil {
			t.Fatalf("Capacity(%s, %s): %v", zone, itype, err)
		}
		if c.ZoneID != zone || c.InstanceType != itype || c.Available == nil {
			t.Fatalf("Capacity(%s, %s) = %+v, want that zone and type with a count", zone, itype, c)
		}
		return c.Available
	}
	checkAvailable := func(t *testing.T, s openecs.Store, want *int) {
		t.Helper()
		got := available(t, s, zone, itype)
		switch {
		case got == nil && want == nil:
		case got == nil || want == nil:
			t.Fatalf("Capacity(%s, %s) available = %v, want %v (nil is unlimited)", zone, itype, fmtPtr(got), fmtPtr(want))
		case *got != *want:
			t.Fatalf("Capacity(%s, %s) available = %d, want %d", zone, itype, *got, *want)
		}
	}
	put := func(t *testing.T, s openecs.Store, n *int) {
		t.Helper()
		exec(t, s, func(tx openecs.Tx) error {
			return tx.PutCapacity(openecs.Capacity{ZoneID: zone, InstanceType: itype, Available: n})
		})
	}

	parallel(t, map[string]func(t *testing.T){
		"a zone and type without a row is unlimited": func(t *testing.T) {
			s := h.store(t)
			checkAvailable(t, s, nil)
			for i := range 5 {
				if !take(t, s, zone, itype) {
					t.Fatalf("TakeCapacity on an unlimited zone/type failed on call %d", i+1)
				}
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.ReturnCapacity(zone, itype) })
			checkAvailable(t, s, nil)
			if list := read(t, s, func(r openecs.Reader) ([]openecs.Capacity, error) { return r.Capacities() }); len(list) != 0 {
				t.Fatalf("Capacities() = %v, want none", list)
			}
		},
		"a limited one counts down to zero, never below, and back up": func(t *testing.T) {
			s := h.store(t)
			put(t, s, ptr(2))
			checkAvailable(t, s, ptr(2))
			for i := range 2 {
				if !take(t, s, zone, itype) {
					t.Fatalf("TakeCapacity with %d free failed", 2-i)
				}
			}
			checkAvailable(t, s, ptr(0))
			for range 3 {
				if take(t, s, zone, itype) {
					t.Fatal("TakeCapacity with 0 free succeeded")
				}
			}
			checkAvailable(t, s, ptr(0))
			exec(t, s, func(tx openecs.Tx) error { return tx.ReturnCapacity(zone, itype) })
			checkAvailable(t, s, ptr(1))
			if !take(t, s, zone, itype) {
				t.Fatal("TakeCapacity after ReturnCapacity failed")
			}
			// Another type in the same zone, and the same type in another
			// zone, are unaffected.
			if !take(t, s, zone, "ecs.c7.large") || !take(t, s, "cn-hangzhou-i", itype) {
				t.Fatal("TakeCapacity on other, unlimited zone/types failed")
			}
		},
		"PutCapacity overwrites, zero blocks, nil makes it unlimited again": func(t *testing.T) {
			s := h.store(t)
			put(t, s, ptr(3))
			put(t, s, ptr(5))
			checkAvailable(t, s, ptr(5))
			put(t, s, ptr(0))
			if take(t, s, zone, itype) {
				t.Fatal("TakeCapacity with 0 set free succeeded")
			}
			put(t, s, nil)
			checkAvailable(t, s, nil)
			if !take(t, s, zone, itype) {
				t.Fatal("TakeCapacity after PutCapacity(nil) failed")
			}
			put(t, s, nil) // deleting an absent row is fine
			checkAvailable(t, s, nil)
		},
		"Capacities lists every row by zone and type": func(t *testing.T) {
			s := h.store(t)
			rows := []openecs.Capacity{
				{ZoneID: "cn-hangzhou-i", InstanceType: "ecs.g7.large", Available: ptr(1)},
				{ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large", Available: ptr(0)},
				{ZoneID: "cn-hangzhou-h", InstanceType: "ecs.c7.large", Available: ptr(7)},
			}
			exec(t, s, func(tx openecs.Tx) error {
				for _, c := range rows {
					if err := tx.PutCapacity(c); err != nil {
						return err
					}
				}
				return nil
			})
			got := read(t, s, func(r openecs.Reader) ([]openecs.Capacity, error) { return r.Capacities() })
			want := []openecs.Capacity{rows[2], rows[1], rows[0]}
			if len(got) != len(want) {
				t.Fatalf("Capacities() returned %d rows, want %d", len(got), len(want))
			}
			for i := range want {
				checkDiff(t, "Capacities()["+want[i].ZoneID+"/"+want[i].InstanceType+"]", got[i], want[i])
			}
		},
		"100 concurrent takes of 10 slots: exactly 10 succeed": func(t *testing.T) {
			s := h.store(t)
			concurrentTakes(t, []openecs.Store{s}, put, available)
		},
		"100 concurrent takes of 10 slots from two stores: exactly 10 succeed": func(t *testing.T) {
			db := h.database(t)
			concurrentTakes(t, []openecs.Store{openOn(t, db), openOn(t, db)}, put, available)
		},
	})
}

// concurrentTakes sets 10 free slots and takes from 100 goroutines spread over
// the stores (one database).
func concurrentTakes(t *testing.T, stores []openecs.Store, put func(*testing.T, openecs.Store, *int), available func(*testing.T, openecs.Store, string, string) *int) {
	t.Helper()
	put(t, stores[0], ptr(10))
	var won atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var ok bool
			err := updateErr(stores[i%len(stores)], func(tx openecs.Tx) error {
				var err error
				ok, err = tx.TakeCapacity(zone, itype)
				return err
			})
			if err != nil {
				errs <- err
				return
			}
			if ok {
				won.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("TakeCapacity: %v", err)
	}
	if n := won.Load(); n != 10 {
		t.Fatalf("%d of 100 concurrent TakeCapacity calls succeeded on 10 free slots, want exactly 10", n)
	}
	if got := available(t, stores[0], zone, itype); got == nil || *got != 0 {
		t.Fatalf("free slots after the takes = %v, want 0", fmtPtr(got))
	}
}

func fmtPtr(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}

func testFaults(t *testing.T, h harness) {
	faults := func(t *testing.T, s openecs.Store) []openecs.Fault {
		t.Helper()
		return read(t, s, func(r openecs.Reader) ([]openecs.Fault, error) { return r.Faults() })
	}
	parallel(t, map[string]func(t *testing.T){
		"InsertFault and Faults in insertion order": func(t *testing.T) {
			s := h.store(t)
			if got := faults(t, s); len(got) != 0 {
				t.Fatalf("Faults() on an empty store = %v, want none", got)
			}
			in := []*openecs.Fault{
				{Action: "StartInstance", Code: "NodeControllerUnavailable", Message: "injected", Count: 3, AccountID: "a1", Probability: 0.25,
					LatencyMS: 150, HTTPStatus: 503, Until: at(time.Hour), CreatedAt: base},
				{Action: "RunInstances", Code: "OperationConflict", Count: -1, Probability: 1, CreatedAt: at(time.Second)},
				{Action: "StopInstance", Code: "IncorrectInstanceStatus", Count: 1, Probability: 1, CreatedAt: at(2 * time.Second)},
			}
			exec(t, s, func(tx openecs.Tx) error {
				for _, f := range in {
					if err := tx.InsertFault(f); err != nil {
						return err
					}
				}
				return nil
			})
			if in[0].ID <= 0 || in[1].ID <= in[0].ID || in[2].ID <= in[1].ID {
				t.Fatalf("fault ids = %d, %d, %d; want positive and increasing", in[0].ID, in[1].ID, in[2].ID)
			}
			got := faults(t, s)
			if len(got) != len(in) {
				t.Fatalf("Faults() returned %d rules, want %d", len(got), len(in))
			}
			for i, want := range in {
				checkDiff(t, "Faults()["+strconv.Itoa(i)+"]", &got[i], want)
			}
		},
		"ConsumeFault counts down and removes the rule at zero": func(t *testing.T) {
			s := h.store(t)
			f := &openecs.Fault{Action: "StartInstance", Code: "X", Count: 2, Probability: 1, CreatedAt: base}
			other := &openecs.Fault{Action: "StopInstance", Code: "Y", Count: 1, Probability: 1, CreatedAt: base}
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.InsertFault(f); err != nil {
					return err
				}
				return tx.InsertFault(other)
			})
			consume := func(id int64) bool {
				t.Helper()
				return write(t, s, func(tx openecs.Tx) (bool, error) { return tx.ConsumeFault(id) })
			}
			if !consume(f.ID) {
				t.Fatal("ConsumeFault with 2 calls left = false")
			}
			if got := faults(t, s); len(got) != 2 || got[0].ID != f.ID || got[0].Count != 1 {
				t.Fatalf("Faults() after one consume = %+v, want the rule with Count 1 first", got)
			}
			if !consume(f.ID) {
				t.Fatal("ConsumeFault with 1 call left = false")
			}
			if got := faults(t, s); len(got) != 1 || got[0].ID != other.ID {
				t.Fatalf("Faults() after the last call = %+v, want only the other rule", got)
			}
			if consume(f.ID) {
				t.Fatal("ConsumeFault on a used-up (removed) rule = true")
			}
			if consume(12345) {
				t.Fatal("ConsumeFault on an id that never existed = true")
			}
			if got := faults(t, s); len(got) != 1 || got[0].Count != 1 {
				t.Fatalf("the other rule changed: %+v", got)
			}
		},
		"DeleteFault": func(t *testing.T) {
			s := h.store(t)
			f := &openecs.Fault{Action: "StartInstance", Code: "X", Count: 1, Probability: 1, CreatedAt: base}
			exec(t, s, func(tx openecs.Tx) error { return tx.InsertFault(f) })
			exec(t, s, func(tx openecs.Tx) error { return tx.DeleteFault(f.ID) })
			if got := faults(t, s); len(got) != 0 {
				t.Fatalf("Faults() after DeleteFault = %v, want none", got)
			}
			wantErr(t, "DeleteFault(deleted)", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteFault(f.ID) }), openecs.ErrNotFound)
			wantErr(t, "DeleteFault(never existed)", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteFault(999) }), openecs.ErrNotFound)
		},
	})
}

func testImages(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"ImageExpired defaults to false and follows SetImageExpired": func(t *testing.T) {
			s := h.store(t)
			expired := func(id string) bool {
				t.Helper()
				return read(t, s, func(r openecs.Reader) (bool, error) { return r.ImageExpired(id) })
			}
			if expired("m-market") {
				t.Fatal("ImageExpired of an image never set = true")
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.SetImageExpired("m-market", true) })
			if !expired("m-market") {
				t.Fatal("ImageExpired after SetImageExpired(true) = false")
			}
			if expired("m-other") {
				t.Fatal("SetImageExpired changed another image")
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.SetImageExpired("m-market", true) }) // idempotent
			exec(t, s, func(tx openecs.Tx) error { return tx.SetImageExpired("m-market", false) })
			if expired("m-market") {
				t.Fatal("ImageExpired after SetImageExpired(false) = true")
			}
		},
	})
}
