package storetest

import (
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// Elastic IP addresses: round trip, unique addresses per region, one EIP per
// instance, compare-and-set, filters and paging, tags, and an instance's
// deletion leaving its EIP Available.

func newEip(id, account, ip string, opts ...func(*openecs.Eip)) *openecs.Eip {
	e := &openecs.Eip{ID: id, AccountID: account, RegionID: "cn-hangzhou", IPAddress: ip, Bandwidth: 5,
		InternetChargeType: openecs.EipPayByBandwidth, ChargeType: openecs.PostPaid, ISP: "BGP", Status: openecs.EipAvailable, CreatedAt: base}
	for _, o := range opts {
		o(e)
	}
	return e
}

func associated(instance string) func(*openecs.Eip) {
	return func(e *openecs.Eip) {
		e.Status, e.InstanceID, e.InstanceType = openecs.EipInUse, instance, openecs.EipInstanceECS
	}
}

func eipIDs(es []*openecs.Eip) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func testEips(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"round trip, missing and duplicates": func(t *testing.T) {
			s := h.store(t)
			full := &openecs.Eip{Seq: 99, ID: "eip-full", AccountID: "a1", RegionID: "cn-shanghai", IPAddress: "198.18.0.1",
				Name: "name, \"quoted\" 名前", Description: "% _ * characters", Bandwidth: 200, InternetChargeType: openecs.EipPayByTraffic,
				ChargeType: openecs.PostPaid, ISP: "BGP_PRO", Status: openecs.EipInUse, ResourceGroupID: "rg-1", InstanceID: "i-1",
				InstanceType: openecs.EipInstanceECS, CreatedAt: at(1 * time.Second), Version: 7}
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertEip(full) })
			if full.Seq == 99 || full.Seq <= 0 || full.Version != 1 {
				t.Fatalf("after insert: Seq %d, Version %d; want a store-assigned Seq and Version 1", full.Seq, full.Version)
			}
			checkDiff(t, "EIP", read(t, s, func(r openecs.Reader) (*openecs.Eip, error) { return r.Eip("eip-full") }), full)
			wantErr(t, "a missing EIP", viewErr(s, func(r openecs.Reader) error { _, err := r.Eip("eip-none"); return err }), openecs.ErrNotFound)
			wantErr(t, "a duplicate id", updateErr(s, func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-full", "a2", "198.18.0.2")) }),
				openecs.ErrConflict)
			wantErr(t, "an address the region holds", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertEip(newEip("eip-2", "a2", "198.18.0.1", func(e *openecs.Eip) { e.RegionID = "cn-shanghai" }))
			}), openecs.ErrConflict)
			wantErr(t, "a second EIP of an instance", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertEip(newEip("eip-3", "a1", "198.18.0.3", associated("i-1")))
			}), openecs.ErrConflict)
			// The same address in another region, and EIPs associated with
			// nothing, are fine.
			insert(t, s,
				func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-4", "a2", "198.18.0.1")) },
				func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-5", "a2", "198.18.0.5")) })
		},
		"update is compare-and-set; delete removes the tags": func(t *testing.T) {
			s := h.store(t)
			e := newEip("eip-1", "a1", "198.18.0.1")
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertEip(e) },
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagEip, ResourceID: "eip-1", AccountID: "a1",
						RegionID: "cn-hangzhou", Key: "k", Value: "v"})
				})
			stale := *e
			e.Name, e.Description, e.Bandwidth, e.ResourceGroupID = "n", "d", 50, "rg"
			associated("i-9")(e)
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateEip(e) })
			if e.Version != 2 {
				t.Fatalf("Version after update = %d, want 2", e.Version)
			}
			checkDiff(t, "updated EIP", read(t, s, func(r openecs.Reader) (*openecs.Eip, error) { return r.Eip("eip-1") }), e)
			wantErr(t, "a stale update", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateEip(&stale) }), openecs.ErrConflict)
			wantErr(t, "updating a missing EIP", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateEip(newEip("eip-gone", "a1", "198.18.9.9")) }),
				openecs.ErrNotFound)
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteEip("eip-1") })
			wantErr(t, "a deleted EIP", viewErr(s, func(r openecs.Reader) error { _, err := r.Eip("eip-1"); return err }), openecs.ErrNotFound)
			if tags := read(t, s, func(r openecs.Reader) ([]openecs.Tag, error) { return r.ResourceTags(openecs.TagEip, "eip-1") }); len(tags) != 0 {
				t.Fatalf("a deleted EIP's tags remain: %v", tags)
			}
			wantErr(t, "deleting a missing EIP", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteEip("eip-1") }), openecs.ErrNotFound)
		},
		"listing, filters and paging": func(t *testing.T) {
			s := h.store(t)
			insert(t, s,
				func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-c", "a1", "198.18.0.3", associated("i-1"))) },
				func(tx openecs.Tx) error {
					return tx.InsertEip(newEip("eip-a", "a1", "198.18.0.1", func(e *openecs.Eip) { e.ISP, e.ResourceGroupID = "BGP_PRO", "rg-1" }))
				},
				func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-b", "a1", "198.18.0.2")) },
				func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-x", "a2", "198.18.0.4")) },
				func(tx openecs.Tx) error {
					return tx.InsertEip(newEip("eip-y", "a1", "198.18.0.5", func(e *openecs.Eip) { e.RegionID = "cn-beijing" }))
				},
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagEip, ResourceID: "eip-b", AccountID: "a1",
						RegionID: "cn-hangzhou", Key: "env", Value: "prod"})
				})
			list := func(f openecs.EipFilter) []string {
				t.Helper()
				f.AccountID, f.RegionID = "a1", "cn-hangzhou"
				return eipIDs(read(t, s, func(r openecs.Reader) ([]*openecs.Eip, error) { return r.Eips(f) }))
			}
			wantIDs(t, "all, in creation order", list(openecs.EipFilter{}), []string{"eip-c", "eip-a", "eip-b"})
			wantIDs(t, "by id", list(openecs.EipFilter{IDs: []string{"eip-b", "eip-x"}}), []string{"eip-b"})
			wantIDs(t, "an empty id list", list(openecs.EipFilter{IDs: []string{}}), []string{})
			wantIDs(t, "by address", list(openecs.EipFilter{IPs: []string{"198.18.0.2", "198.18.0.3"}}), []string{"eip-c", "eip-b"})
			wantIDs(t, "by instance", list(openecs.EipFilter{InstanceIDs: []string{"i-1"}}), []string{"eip-c"})
			wantIDs(t, "by status", list(openecs.EipFilter{Status: openecs.EipAvailable}), []string{"eip-a", "eip-b"})
			wantIDs(t, "by instance type", list(openecs.EipFilter{InstanceType: openecs.EipInstanceECS}), []string{"eip-c"})
			wantIDs(t, "by ISP", list(openecs.EipFilter{ISP: "BGP_PRO"}), []string{"eip-a"})
			wantIDs(t, "by resource group", list(openecs.EipFilter{ResourceGroupID: "rg-1"}), []string{"eip-a"})
			wantIDs(t, "by charge type", list(openecs.EipFilter{ChargeType: openecs.PrePaid}), []string{})
			wantIDs(t, "by tag", list(openecs.EipFilter{Tags: []openecs.Tag{{Key: "env"}}}), []string{"eip-b"})
			wantIDs(t, "by tag and value", list(openecs.EipFilter{Tags: []openecs.Tag{{Key: "env", Value: "dev"}}}), []string{})
			wantIDs(t, "a page", list(openecs.EipFilter{Offset: 1, Limit: 1}), []string{"eip-a"})
			wantIDs(t, "an offset alone", list(openecs.EipFilter{Offset: 2}), []string{"eip-b"})
			n := read(t, s, func(r openecs.Reader) (int, error) {
				return r.CountEips(openecs.EipFilter{AccountID: "a1", RegionID: "cn-hangzhou", Offset: 1, Limit: 1})
			})
			if n != 3 {
				t.Fatalf("CountEips = %d, want 3 (paging ignored)", n)
			}
		},
		"deleting an instance leaves its EIP Available; the EipAddresses filter": func(t *testing.T) {
			s := h.store(t)
			insertAccounts(t, s, "a1")
			insertInstances(t, s, newInstance("i-1", "a1"), newInstance("i-2", "a1"))
			e := newEip("eip-1", "a1", "198.18.0.1", associated("i-1"))
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertEip(e) },
				func(tx openecs.Tx) error { return tx.InsertEip(newEip("eip-2", "a1", "198.18.0.2")) })
			byEip := func(ips []string) []string {
				t.Helper()
				return ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
					return r.Instances(openecs.InstanceFilter{AccountID: "a1", EipAddresses: ips})
				}))
			}
			wantIDs(t, "EipAddresses of the associated EIP", byEip([]string{"198.18.0.9", "198.18.0.1"}), []string{"i-1"})
			wantIDs(t, "EipAddresses of an EIP associated with nothing", byEip([]string{"198.18.0.2"}), []string{})
			wantIDs(t, "an empty EipAddresses", byEip([]string{}), []string{})
			wantIDs(t, "no EipAddresses filter", byEip(nil), []string{"i-1", "i-2"})
			n := read(t, s, func(r openecs.Reader) (int, error) {
				return r.CountInstances(openecs.InstanceFilter{AccountID: "a1", EipAddresses: []string{"198.18.0.1"}})
			})
			if n != 1 {
				t.Fatalf("CountInstances with EipAddresses = %d, want 1", n)
			}

			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-1") })
			got := read(t, s, func(r openecs.Reader) (*openecs.Eip, error) { return r.Eip("eip-1") })
			if got.Status != openecs.EipAvailable || got.InstanceID != "" || got.InstanceType != "" || got.Version != e.Version+1 {
				t.Fatalf("the EIP of a deleted instance = %+v", got)
			}
			wantIDs(t, "EipAddresses after the deletion", byEip([]string{"198.18.0.1"}), []string{})
			// An instance deleted without an EIP touches none.
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-2") })
			if v := read(t, s, func(r openecs.Reader) (*openecs.Eip, error) { return r.Eip("eip-2") }).Version; v != 1 {
				t.Fatalf("another EIP's Version moved to %d", v)
			}
		},
	})
}
