// Package storetest is the conformance suite for openecs.Store. Every driver
// (sqlite, postgres) runs it from its own tests and must pass all of it:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.OpenFunc {
//			path := filepath.Join(t.TempDir(), "openecs.db") // a fresh database
//			return func(t *testing.T) openecs.Store {
//				s, err := sqlite.Open(t.Context(), sqlite.Options{Path: path})
//				if err != nil {
//					t.Fatal(err)
//				}
//				return s
//			}
//		})
//	}
//
// The suite speaks to the store only through openecs.Store, Reader and Tx, so
// what it checks is the contract, not an implementation. It has one subtest
// per area (meta, accounts, instances, instance_filters, eips, jobs, charge_hour,
// transactions, durability, …). Each leaf subtest gets its own fresh
// database and runs in parallel with the others; only the read-only filter
// cases share one. Some leaves open a second store over the same database
// (a restart, or two replicas at once).
//
// Besides what the interface comments say, the suite pins these details, so
// that every driver behaves the same:
//   - a missing single row is openecs.ErrNotFound itself, not a wrapper;
//     a duplicate key is (or wraps) openecs.ErrConflict;
//   - times come back at millisecond precision;
//   - CountInstances ignores AfterSeq, Offset and Limit (it is the total
//     behind a page); Offset works without Limit;
//   - the Name filter's '*' wildcard is case-sensitive and treats % and _
//     literally; SecurityGroup matches any of an instance's groups;
//   - UpdateInstance writes every field but Seq, ID, AccountID, RegionID and
//     CreatedAt, tags included (the Tags filter follows);
//   - at most one charge event per instance and hour (ErrConflict);
//   - money never wraps: AddBalance, ChargedTotal and ChargeHour answer
//     openecs.ErrMoneyOverflow for a result out of int64's range, and a
//     refused AddBalance leaves the transaction usable;
//   - listings are ordered: instances by Seq, accounts and disks by
//     creation, orders newest first, events, jobs and faults by id (jobs by
//     due time first), capacities by zone and type.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// OpenFunc opens a migrated store over one database. It may be called more
// than once for the same database: the suite closes a store and opens it
// again (a restart), or holds two stores open at once (two replicas). Each
// call must return a new Store; the suite closes every store it opens.
type OpenFunc func(t *testing.T) openecs.Store

// Run runs the whole suite. newDB is called once per leaf subtest: it creates
// a fresh, empty database (registering its removal with t.Cleanup if needed)
// and returns how to open stores over it.
func Run(t *testing.T, newDB func(t *testing.T) OpenFunc) {
	if newDB == nil {
		t.Fatal("storetest.Run: newDB is nil")
	}
	h := harness{newDB: newDB}
	areas := []struct {
		name string
		run  func(*testing.T, harness)
	}{
		{"meta", testMeta},
		{"clock", testClock},
		{"nonce_floors", testNonceFloors},
		{"accounts", testAccounts},
		{"access_keys", testAccessKeys},
		{"networks", testNetworks},
		{"security_groups", testSecurityGroups},
		{"network_interfaces", testNetworkInterfaces},
		{"group_membership", testGroupMembership},
		{"resource_tags", testResourceTags},
		{"key_pairs", testKeyPairs},
		{"eips", testEips},
		{"instances", testInstances},
		{"instance_filters", testInstanceFilters},
		{"instance_counts", testInstanceCounts},
		{"disks", testDisks},
		{"disk_resources", testDiskResources},
		{"idempotency", testIdempotency},
		{"events", testEvents},
		{"orders", testOrders},
		{"jobs", testJobs},
		{"charge_hour", testChargeHour},
		{"money", testMoney},
		{"capacity", testCapacity},
		{"faults", testFaults},
		{"images", testImages},
		{"reserved", testReserved},
		{"transactions", testTransactions},
		{"durability", testDurability},
		{"controls", testControls},
	}
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			a.run(t, h)
		})
	}
}

// harness opens stores for the subtests.
type harness struct {
	newDB func(t *testing.T) OpenFunc
}

// store opens a store over a fresh database; it is closed when t ends.
func (h harness) store(t *testing.T) openecs.Store {
	t.Helper()
	return openOn(t, h.database(t))
}

// database creates a fresh database and returns how to open it.
func (h harness) database(t *testing.T) OpenFunc {
	t.Helper()
	open := h.newDB(t)
	if open == nil {
		t.Fatal("newDB returned a nil OpenFunc")
	}
	return open
}

// openOn opens one more store over a database. The store is closed when t
// ends unless the test closed it first; it is never closed twice.
func openOn(t *testing.T, open OpenFunc) openecs.Store {
	t.Helper()
	s := open(t)
	if s == nil {
		t.Fatal("OpenFunc returned a nil store")
	}
	c := &closeOnce{Store: s}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

// closeOnce makes Close idempotent, so that a test may close a store itself
// before its cleanup runs.
type closeOnce struct {
	openecs.Store
	once sync.Once
	err  error
}

func (c *closeOnce) Close() error {
	c.once.Do(func() { c.err = c.Store.Close() })
	return c.err
}

// parallel runs each case as a parallel subtest.
func parallel(t *testing.T, cases map[string]func(t *testing.T)) {
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fn := cases[n]
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			fn(t)
		})
	}
}

// Functions passed to Update may run on another goroutine (the group-commit
// writer), so they never call t.Fatal: they return errors, and the helpers
// below check them on the test goroutine.

// exec runs fn in Update and fails the test if it returns an error.
func exec(t *testing.T, s openecs.Store, fn func(tx openecs.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// write runs fn in Update and returns its result, failing the test on error.
func write[T any](t *testing.T, s openecs.Store, fn func(tx openecs.Tx) (T, error)) T {
	t.Helper()
	var out T
	err := s.Update(context.Background(), func(tx openecs.Tx) error {
		v, err := fn(tx)
		out = v
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return out
}

// read runs fn in View and returns its result, failing the test on error.
func read[T any](t *testing.T, s openecs.Store, fn func(r openecs.Reader) (T, error)) T {
	t.Helper()
	var out T
	err := s.View(context.Background(), func(r openecs.Reader) error {
		v, err := fn(r)
		out = v
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return out
}

// viewErr runs fn in View and returns the error it gave.
func viewErr(s openecs.Store, fn func(r openecs.Reader) error) error {
	return s.View(context.Background(), fn)
}

// updateErr runs fn in Update and returns the error it gave.
func updateErr(s openecs.Store, fn func(tx openecs.Tx) error) error {
	return s.Update(context.Background(), fn)
}

// wantErr fails the test unless err is (or wraps) want. ErrNotFound must be
// the sentinel itself, not a wrapper: callers compare it with ==.
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == openecs.ErrNotFound && err != want {
		t.Fatalf("%s: error = %v, want openecs.ErrNotFound itself", what, err)
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: error = %v, want %v", what, err, want)
	}
}

// base is the suite's reference time: UTC, with millisecond precision, which
// is what every store keeps.
var base = time.Date(2026, 11, 22, 10, 4, 5, 123_000_000, time.UTC)

// at returns base plus d.
func at(d time.Duration) time.Time { return base.Add(d) }

// diff compares two structs (or pointers to structs) field by field and
// describes each field that differs; "" means equal. Nil and empty slices
// and maps count as equal: the suite does not require a driver to tell them
// apart except where the model gives the difference a meaning (those tests
// check it explicitly).
func diff(got, want any) string {
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for gv.Kind() == reflect.Pointer && wv.Kind() == reflect.Pointer {
		if gv.IsNil() || wv.IsNil() {
			if gv.IsNil() == wv.IsNil() {
				return ""
			}
			return fmt.Sprintf("got %v, want %v", got, want)
		}
		gv, wv = gv.Elem(), wv.Elem()
	}
	if gv.Type() != wv.Type() || gv.Kind() != reflect.Struct {
		if !equal(gv, wv) {
			return fmt.Sprintf("got %#v, want %#v", got, want)
		}
		return ""
	}
	var out []string
	for i := range gv.NumField() {
		f := gv.Type().Field(i)
		if !equal(gv.Field(i), wv.Field(i)) {
			out = append(out, fmt.Sprintf("%s: got %#v, want %#v", f.Name, gv.Field(i).Interface(), wv.Field(i).Interface()))
		}
	}
	return strings.Join(out, "; ")
}

// equal is reflect.DeepEqual, except that a nil and an empty slice or map are
// equal at the top level.
func equal(a, b reflect.Value) bool {
	if (a.Kind() == reflect.Slice || a.Kind() == reflect.Map) && a.Kind() == b.Kind() && a.Len() == 0 && b.Len() == 0 {
		return true
	}
	if a.Kind() == reflect.Struct && a.Type() == b.Type() && a.Type() != reflect.TypeFor[time.Time]() {
		for i := range a.NumField() {
			if !a.Type().Field(i).IsExported() {
				return reflect.DeepEqual(a.Interface(), b.Interface())
			}
			if !equal(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	if a.Type() == reflect.TypeFor[time.Time]() && b.Type() == a.Type() {
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// checkDiff fails the test when got and want differ.
func checkDiff(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := diff(got, want); d != "" {
		t.Fatalf("%s differs: %s", what, d)
	}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
