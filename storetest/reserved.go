package storetest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// newReserved returns an Active one-year reserved instance of account,
// starting at base.
func newReserved(id, account string, opts ...func(*openecs.ReservedInstance)) *openecs.ReservedInstance {
	ri := &openecs.ReservedInstance{
		ID: id, AccountID: account, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", Scope: openecs.ScopeZone,
		InstanceType: "ecs.g7.large", Family: "ecs.g7", InstanceAmount: 1, Platform: openecs.PlatformLinux,
		OfferingType: openecs.AllUpfront, YearlyPrice: openecs.MustMoney("2770"), Status: openecs.ReservedActive,
		CreatedAt: base, StartAt: base, ExpiredAt: base.AddDate(1, 0, 0),
	}
	for _, o := range opts {
		o(ri)
	}
	return ri
}

func insertReserved(t *testing.T, s openecs.Store, ris ...*openecs.ReservedInstance) {
	t.Helper()
	exec(t, s, func(tx openecs.Tx) error {
		for _, ri := range ris {
			if err := tx.InsertReservedInstance(ri); err != nil {
				return err
			}
		}
		return nil
	})
}

func reservedIDs(ris []*openecs.ReservedInstance) []string {
	out := make([]string, len(ris))
	for i, ri := range ris {
		out[i] = ri.ID
	}
	return out
}

func testReserved(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"round trip of every field": func(t *testing.T) {
			s := h.store(t)
			full := &openecs.ReservedInstance{
				Seq: 999, ID: "ecsri-full", AccountID: "a1", RegionID: "cn-shanghai", ZoneID: "", Scope: openecs.ScopeRegion,
				InstanceType: "ecs.c7.xlarge", Family: "ecs.c7", InstanceAmount: 7, Platform: openecs.PlatformWindows,
				OfferingType: openecs.PartialUpfront, YearlyPrice: openecs.MustMoney("4260.123456"),
				Name: "ri, \"quoted\" 名前", Description: "% _ * characters", ResourceGroupID: "rg-1",
				Status: openecs.ReservedCreating, Locks: []openecs.LockReason{openecs.LockFinancial, openecs.LockSecurity},
				AutoRenew: true, AutoRenewPeriod: 36, CreatedAt: base, StartAt: at(time.Hour), ExpiredAt: at(time.Hour).AddDate(3, 0, 0),
				Tags: []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: ""}}, Version: 55,
			}
			insertReserved(t, s, full)
			if full.Seq == 999 || full.Seq <= 0 || full.Version != 1 {
				t.Fatalf("after insert: Seq %d, Version %d; want a store-assigned Seq and Version 1", full.Seq, full.Version)
			}
			got := read(t, s, func(r openecs.Reader) (*openecs.ReservedInstance, error) { return r.ReservedInstance("ecsri-full") })
			checkDiff(t, "reserved instance", got, full)

			err := updateErr(s, func(tx openecs.Tx) error { return tx.InsertReservedInstance(newReserved("ecsri-full", "a2")) })
			wantErr(t, "inserting a duplicate id", err, openecs.ErrConflict)
			err = viewErr(s, func(r openecs.Reader) error { _, err := r.ReservedInstance("ecsri-none"); return err })
			wantErr(t, "reading a missing id", err, openecs.ErrNotFound)
		},
		"update is compare-and-set": func(t *testing.T) {
			s := h.store(t)
			ri := newReserved("ecsri-1", "a1", func(ri *openecs.ReservedInstance) { ri.Tags = []openecs.Tag{{Key: "old", Value: "x"}} })
			insertReserved(t, s, ri)
			stale := *ri
			ri.Status, ri.ExpiredAt, ri.AutoRenew, ri.AutoRenewPeriod = openecs.ReservedExpired, at(48*time.Hour), true, 12
			ri.Locks, ri.Tags = []openecs.LockReason{openecs.LockSecurity}, []openecs.Tag{{Key: "new", Value: "y"}}
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateReservedInstance(ri) })
			if ri.Version != 2 {
				t.Fatalf("Version after update = %d, want 2", ri.Version)
			}
			got := read(t, s, func(r openecs.Reader) (*openecs.ReservedInstance, error) { return r.ReservedInstance("ecsri-1") })
			checkDiff(t, "updated reserved instance", got, ri)
			if n := read(t, s, func(r openecs.Reader) ([]*openecs.ReservedInstance, error) {
				return r.ReservedInstances(openecs.ReservedFilter{Tags: []openecs.Tag{{Key: "old"}}})
			}); len(n) != 0 {
				t.Fatal("the old tag still matches after the update")
			}

			err := updateErr(s, func(tx openecs.Tx) error { return tx.UpdateReservedInstance(&stale) })
			wantErr(t, "updating from a stale version", err, openecs.ErrConflict)
			err = updateErr(s, func(tx openecs.Tx) error { return tx.UpdateReservedInstance(newReserved("ecsri-none", "a1")) })
			wantErr(t, "updating a missing id", err, openecs.ErrNotFound)
		},
		"filters, order, paging and count": func(t *testing.T) {
			s := h.store(t)
			rows := []*openecs.ReservedInstance{
				newReserved("ecsri-a", "a1", func(ri *openecs.ReservedInstance) { ri.Name = "web" }),
				newReserved("ecsri-b", "a1", func(ri *openecs.ReservedInstance) {
					ri.Scope, ri.ZoneID, ri.OfferingType = openecs.ScopeRegion, "", openecs.NoUpfront
					ri.Tags = []openecs.Tag{{Key: "env", Value: "prod"}}
				}),
				newReserved("ecsri-c", "a1", func(ri *openecs.ReservedInstance) {
					ri.InstanceType, ri.Family, ri.Status = "ecs.c7.large", "ecs.c7", openecs.ReservedExpired
					ri.Locks = []openecs.LockReason{openecs.LockFinancial}
					ri.Tags = []openecs.Tag{{Key: "env", Value: "dev"}}
				}),
				newReserved("ecsri-d", "a1", func(ri *openecs.ReservedInstance) {
					ri.RegionID, ri.ZoneID, ri.Status = "cn-shanghai", "cn-shanghai-e", openecs.ReservedCreating
				}),
				newReserved("ecsri-e", "a2", func(ri *openecs.ReservedInstance) { ri.ZoneID = "cn-hangzhou-i" }),
			}
			insertReserved(t, s, rows...)
			cases := []struct {
				name string
				f    openecs.ReservedFilter
				want []string
			}{
				{"none", openecs.ReservedFilter{}, []string{"ecsri-a", "ecsri-b", "ecsri-c", "ecsri-d", "ecsri-e"}},
				{"account", openecs.ReservedFilter{AccountID: "a1"}, []string{"ecsri-a", "ecsri-b", "ecsri-c", "ecsri-d"}},
				{"region", openecs.ReservedFilter{AccountID: "a1", RegionID: "cn-hangzhou"}, []string{"ecsri-a", "ecsri-b", "ecsri-c"}},
				{"ids", openecs.ReservedFilter{IDs: []string{"ecsri-e", "ecsri-a", "ecsri-x"}}, []string{"ecsri-a", "ecsri-e"}},
				{"empty ids match nothing", openecs.ReservedFilter{IDs: []string{}}, nil},
				{"name", openecs.ReservedFilter{Name: "web"}, []string{"ecsri-a"}},
				{"statuses", openecs.ReservedFilter{Statuses: []openecs.ReservedStatus{openecs.ReservedExpired, openecs.ReservedCreating}}, []string{"ecsri-c", "ecsri-d"}},
				{"lock", openecs.ReservedFilter{LockReason: openecs.LockFinancial}, []string{"ecsri-c"}},
				{"lock absent", openecs.ReservedFilter{LockReason: openecs.LockSecurity}, nil},
				{"type", openecs.ReservedFilter{InstanceType: "ecs.c7.large"}, []string{"ecsri-c"}},
				{"family", openecs.ReservedFilter{Family: "ecs.g7"}, []string{"ecsri-a", "ecsri-b", "ecsri-d", "ecsri-e"}},
				{"zone", openecs.ReservedFilter{ZoneID: "cn-hangzhou-h"}, []string{"ecsri-a", "ecsri-c"}},
				{"scope", openecs.ReservedFilter{Scope: openecs.ScopeRegion}, []string{"ecsri-b"}},
				{"offering", openecs.ReservedFilter{OfferingType: openecs.NoUpfront}, []string{"ecsri-b"}},
				{"tag key", openecs.ReservedFilter{Tags: []openecs.Tag{{Key: "env"}}}, []string{"ecsri-b", "ecsri-c"}},
				{"tag value", openecs.ReservedFilter{Tags: []openecs.Tag{{Key: "env", Value: "dev"}}}, []string{"ecsri-c"}},
				{"page", openecs.ReservedFilter{AccountID: "a1", Offset: 1, Limit: 2}, []string{"ecsri-b", "ecsri-c"}},
				{"offset only", openecs.ReservedFilter{Offset: 3}, []string{"ecsri-d", "ecsri-e"}},
			}
			for _, c := range cases {
				got := reservedIDs(read(t, s, func(r openecs.Reader) ([]*openecs.ReservedInstance, error) { return r.ReservedInstances(c.f) }))
				if !slices.Equal(got, c.want) {
					t.Fatalf("%s: %v, want %v", c.name, got, c.want)
				}
				n := read(t, s, func(r openecs.Reader) (int, error) { return r.CountReservedInstances(c.f) })
				want := len(c.want)
				if c.f.Limit > 0 || c.f.Offset > 0 {
					c.f.Limit, c.f.Offset = 0, 0
					want = len(read(t, s, func(r openecs.Reader) ([]*openecs.ReservedInstance, error) { return r.ReservedInstances(c.f) }))
				}
				if n != want {
					t.Fatalf("%s: count %d, want %d (offset and limit ignored)", c.name, n, want)
				}
			}
		},
		"in term at a billing point": func(t *testing.T) {
			s := h.store(t)
			hour := time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC)
			term := func(start, end time.Duration) func(*openecs.ReservedInstance) {
				return func(ri *openecs.ReservedInstance) { ri.StartAt, ri.ExpiredAt = hour.Add(start), hour.Add(end) }
			}
			insertReserved(t, s,
				newReserved("ecsri-in", "a1", term(-time.Hour, time.Hour)),
				newReserved("ecsri-starts-just-before", "a1", term(-time.Millisecond, time.Hour)),
				newReserved("ecsri-starts-at", "a1", term(0, time.Hour)),
				newReserved("ecsri-ends-at", "a1", term(-time.Hour, 0)),
				newReserved("ecsri-ended", "a1", term(-2*time.Hour, -time.Millisecond)),
				newReserved("ecsri-future", "a1", term(time.Hour, 2*time.Hour)),
			)
			got := reservedIDs(read(t, s, func(r openecs.Reader) ([]*openecs.ReservedInstance, error) {
				return r.ReservedInstances(openecs.ReservedFilter{InTermAt: hour})
			}))
			want := []string{"ecsri-in", "ecsri-starts-just-before", "ecsri-ends-at"}
			if !slices.Equal(got, want) {
				t.Fatalf("in term at %v: %v, want %v (StartAt < hour ≤ ExpiredAt)", hour, got, want)
			}
		},
		"coverable instances are ChargeHour's billable ones, uncharged, by seq": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1", "a2")
			hour := time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC)
			mk := func(id string, opts ...func(*openecs.Instance)) *openecs.Instance {
				return newInstance(id, "a1", append([]func(*openecs.Instance){func(in *openecs.Instance) { in.CreatedAt = hour.Add(-time.Hour) }}, opts...)...)
			}
			insertInstances(t, s,
				mk("i-1"),
				mk("i-prepaid", func(in *openecs.Instance) { in.ChargeType = openecs.PrePaid }),
				mk("i-suspended", func(in *openecs.Instance) { in.BillingState = openecs.BillingExpired }),
				mk("i-stopfree", func(in *openecs.Instance) { in.Status, in.StoppedMode = openecs.StatusStopped, openecs.StopCharging }),
				mk("i-stopkeep", func(in *openecs.Instance) { in.Status, in.StoppedMode = openecs.StatusStopped, openecs.KeepCharging }),
				mk("i-athour", func(in *openecs.Instance) { in.CreatedAt = hour }),
				mk("i-edge", func(in *openecs.Instance) { in.CreatedAt = hour.Add(-time.Millisecond) }),
				mk("i-otherzone", func(in *openecs.Instance) { in.ZoneID = "cn-hangzhou-i" }),
				mk("i-othertype", func(in *openecs.Instance) { in.InstanceType = "ecs.c7.large" }),
				mk("i-otherregion", func(in *openecs.Instance) { in.RegionID, in.ZoneID = "cn-shanghai", "cn-shanghai-e" }),
				mk("i-otheraccount", func(in *openecs.Instance) { in.AccountID = "a2" }),
				mk("i-charged"),
				mk("i-starting", func(in *openecs.Instance) { in.Status = openecs.StatusStarting }),
			)
			exec(t, s, func(tx openecs.Tx) error {
				if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: "a1", Kind: openecs.EventCharge, ResourceID: "i-charged", Hour: hour}); err != nil {
					return err
				}
				// A charge for another hour, and another kind of event for this one, do not count.
				if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: "a1", Kind: openecs.EventCharge, ResourceID: "i-1", Hour: hour.Add(-time.Hour)}); err != nil {
					return err
				}
				return tx.AppendEvent(&openecs.Event{At: hour, AccountID: "a1", Kind: openecs.EventInstanceStatus, ResourceID: "i-edge", Hour: hour})
			})
			cover := func(f openecs.CoverFilter) []string {
				t.Helper()
				return ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) { return r.CoverableInstances(f) }))
			}
			region := openecs.CoverFilter{AccountID: "a1", RegionID: "cn-hangzhou", InstanceType: "ecs.g7.large", Hour: hour}
			if got, want := cover(region), []string{"i-1", "i-stopkeep", "i-edge", "i-otherzone", "i-starting"}; !slices.Equal(got, want) {
				t.Fatalf("region-wide: %v, want %v", got, want)
			}
			zone := region
			zone.ZoneID = "cn-hangzhou-h"
			if got, want := cover(zone), []string{"i-1", "i-stopkeep", "i-edge", "i-starting"}; !slices.Equal(got, want) {
				t.Fatalf("in the zone: %v, want %v", got, want)
			}
			page := region
			page.Limit = 2
			first := read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) { return r.CoverableInstances(page) })
			if got := ids(first); !slices.Equal(got, []string{"i-1", "i-stopkeep"}) {
				t.Fatalf("first page: %v", got)
			}
			page.AfterSeq = first[1].Seq
			if got := cover(page); !slices.Equal(got, []string{"i-edge", "i-otherzone"}) {
				t.Fatalf("second page: %v", got)
			}
			full := read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) { return r.CoverableInstances(zone) })[0]
			checkDiff(t, "a coverable instance", full, getInstance(t, s, "i-1"))
		},
		"ChargeHour's totals include reserved-instance fees charged before it": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			hour := time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC)
			insertInstances(t, s, newInstance("i-1", "a1", func(in *openecs.Instance) { in.CreatedAt = hour.Add(-time.Hour) }))
			totals := write(t, s, func(tx openecs.Tx) (map[string]openecs.Money, error) {
				if err := tx.AppendEvent(&openecs.Event{At: hour, AccountID: "a1", Kind: openecs.EventCharge, ResourceID: "ecsri-1", Hour: hour,
					Amount: openecs.MustMoney("0.31621")}); err != nil {
					return nil, err
				}
				return tx.ChargeHour(hour, hour)
			})
			if want := map[string]openecs.Money{"a1": openecs.MustMoney("0.81621")}; !maps.Equal(totals, want) {
				t.Fatalf("totals %v, want %v", totals, want)
			}
		},
		"sales states": func(t *testing.T) {
			s := h.store(t)
			err := viewErr(s, func(r openecs.Reader) error { _, err := r.SalesState("cn-hangzhou", ""); return err })
			wantErr(t, "a state never set", err, openecs.ErrNotFound)
			exec(t, s, func(tx openecs.Tx) error {
				for _, st := range []openecs.SalesState{
					{RegionID: "cn-shanghai", State: openecs.SalesSuspended, UpdatedAt: base},
					{RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", State: openecs.SalesNotOpen, UpdatedAt: base},
					{RegionID: "cn-hangzhou", State: openecs.SalesNotOnSale, UpdatedAt: base},
					{RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", State: openecs.SalesNotOnSale, UpdatedAt: at(time.Minute)},
				} {
					if err := tx.PutSalesState(st); err != nil {
						return err
					}
				}
				return nil
			})
			got := read(t, s, func(r openecs.Reader) ([]openecs.SalesState, error) { return r.SalesStates() })
			want := []openecs.SalesState{
				{RegionID: "cn-hangzhou", State: openecs.SalesNotOnSale, UpdatedAt: base},
				{RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", State: openecs.SalesNotOnSale, UpdatedAt: at(time.Minute)},
				{RegionID: "cn-shanghai", State: openecs.SalesSuspended, UpdatedAt: base},
			}
			if len(got) != len(want) {
				t.Fatalf("states %v, want %v", got, want)
			}
			for i := range want {
				checkDiff(t, "sales state", got[i], want[i])
			}
			one := read(t, s, func(r openecs.Reader) (*openecs.SalesState, error) {
				return r.SalesState("cn-hangzhou", "cn-hangzhou-h")
			})
			checkDiff(t, "one sales state", one, &want[1])
			exec(t, s, func(tx openecs.Tx) error {
				return tx.PutSalesState(openecs.SalesState{RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", State: openecs.SalesOnSale})
			})
			err = viewErr(s, func(r openecs.Reader) error { _, err := r.SalesState("cn-hangzhou", "cn-hangzhou-h"); return err })
			wantErr(t, "a state set back to on_sale", err, openecs.ErrNotFound)
		},
	})
}
