package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// The network model: VPCs, vSwitches, security groups and rules, network
// interfaces and the shared tag store.

func newVpc(id, account string, opts ...func(*openecs.Vpc)) *openecs.Vpc {
	v := &openecs.Vpc{ID: id, AccountID: account, RegionID: "cn-hangzhou", CidrBlock: "172.16.0.0/12", Status: openecs.NetAvailable,
		VRouterID: "vrt-" + id, RouteTableID: "vtb-" + id, CreatedAt: base}
	for _, o := range opts {
		o(v)
	}
	return v
}

func newVSwitch(id, vpc, account, cidr string, opts ...func(*openecs.VSwitch)) *openecs.VSwitch {
	v := &openecs.VSwitch{ID: id, AccountID: account, RegionID: "cn-hangzhou", ZoneID: zone, VpcID: vpc, CidrBlock: cidr,
		Status: openecs.NetAvailable, CreatedAt: base}
	for _, o := range opts {
		o(v)
	}
	return v
}

func newGroup(id, vpc, account string, opts ...func(*openecs.SecurityGroup)) *openecs.SecurityGroup {
	g := &openecs.SecurityGroup{ID: id, AccountID: account, RegionID: "cn-hangzhou", VpcID: vpc, Type: openecs.SecurityGroupNormal, CreatedAt: base}
	for _, o := range opts {
		o(g)
	}
	return g
}

func newENI(id, vsw, ip string, opts ...func(*openecs.NetworkInterface)) *openecs.NetworkInterface {
	n := &openecs.NetworkInterface{ID: id, AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: zone, VpcID: "vpc-1", VSwitchID: vsw,
		InstanceID: "i-" + id, Type: openecs.ENIPrimary, PrivateIP: ip, MacAddress: "00:16:3e:00:00:01", SecurityGroupIDs: []string{"sg-1"}, CreatedAt: base}
	for _, o := range opts {
		o(n)
	}
	return n
}

func boolp(b bool) *bool { return &b }

// insert runs each insert in one Update.
func insert(t *testing.T, s openecs.Store, fns ...func(tx openecs.Tx) error) {
	t.Helper()
	exec(t, s, func(tx openecs.Tx) error {
		for _, fn := range fns {
			if err := fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
}

func vpcIDs(vs []*openecs.Vpc) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func vswitchIDs(vs []*openecs.VSwitch) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func groupIDs(gs []*openecs.SecurityGroup) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}

func eniIDs(ns []*openecs.NetworkInterface) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func wantIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func testNetworks(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"VPC round trip, missing and duplicate": func(t *testing.T) {
			s := h.store(t)
			full := &openecs.Vpc{Seq: 99, ID: "vpc-full", AccountID: "a1", RegionID: "cn-shanghai", Name: "name, \"quoted\" 名前",
				Description: "% _ * characters", CidrBlock: "10.0.0.0/8", IsDefault: true, Status: openecs.NetPending,
				VRouterID: "vrt-full", RouteTableID: "vtb-full", ResourceGroupID: "rg-1", CreatedAt: at(1 * time.Second), Version: 7}
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertVpc(full) })
			if full.Seq == 99 || full.Seq <= 0 || full.Version != 1 {
				t.Fatalf("after insert: Seq %d, Version %d; want a store-assigned Seq and Version 1", full.Seq, full.Version)
			}
			checkDiff(t, "VPC", read(t, s, func(r openecs.Reader) (*openecs.Vpc, error) { return r.Vpc("vpc-full") }), full)
			checkDiff(t, "VPC by route table", read(t, s, func(r openecs.Reader) (*openecs.Vpc, error) { return r.VpcByRouteTable("vtb-full") }), full)
			checkDiff(t, "default VPC", read(t, s, func(r openecs.Reader) (*openecs.Vpc, error) { return r.DefaultVpc("a1", "cn-shanghai") }), full)
			wantErr(t, "a duplicate id", updateErr(s, func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-full", "a2")) }), openecs.ErrConflict)
			wantErr(t, "a missing VPC", viewErr(s, func(r openecs.Reader) error { _, err := r.Vpc("vpc-none"); return err }), openecs.ErrNotFound)
			wantErr(t, "a missing route table", viewErr(s, func(r openecs.Reader) error { _, err := r.VpcByRouteTable("vtb-none"); return err }), openecs.ErrNotFound)
			wantErr(t, "no default VPC", viewErr(s, func(r openecs.Reader) error { _, err := r.DefaultVpc("a1", "cn-hangzhou"); return err }), openecs.ErrNotFound)
		},
		"one default VPC per account and region": func(t *testing.T) {
			s := h.store(t)
			def := func(v *openecs.Vpc) { v.IsDefault = true }
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-1", "a1", def)) })
			wantErr(t, "a second default VPC", updateErr(s, func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-2", "a1", def)) }), openecs.ErrConflict)
			insert(t, s,
				func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-3", "a2", def)) },
				func(tx openecs.Tx) error {
					return tx.InsertVpc(newVpc("vpc-4", "a1", def, func(v *openecs.Vpc) { v.RegionID = "cn-beijing" }))
				},
				func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-5", "a1")) })
		},
		"VPC update is compare-and-set": func(t *testing.T) {
			s := h.store(t)
			v := newVpc("vpc-1", "a1")
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertVpc(v) })
			stale := *v
			v.Name, v.Description, v.CidrBlock, v.Status, v.IsDefault, v.ResourceGroupID = "n", "d", "172.16.0.0/16", openecs.NetPending, true, "rg"
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateVpc(v) })
			if v.Version != 2 {
				t.Fatalf("Version after update = %d, want 2", v.Version)
			}
			checkDiff(t, "updated VPC", read(t, s, func(r openecs.Reader) (*openecs.Vpc, error) { return r.Vpc("vpc-1") }), v)
			wantErr(t, "a stale update", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateVpc(&stale) }), openecs.ErrConflict)
			gone := newVpc("vpc-gone", "a1")
			wantErr(t, "updating a missing VPC", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateVpc(gone) }), openecs.ErrNotFound)
		},
		"VPC listing, filters and paging": func(t *testing.T) {
			s := h.store(t)
			insert(t, s,
				func(tx openecs.Tx) error {
					return tx.InsertVpc(newVpc("vpc-c", "a1", func(v *openecs.Vpc) { v.Name = "web" }))
				},
				func(tx openecs.Tx) error {
					return tx.InsertVpc(newVpc("vpc-a", "a1", func(v *openecs.Vpc) { v.IsDefault = true }))
				},
				func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-b", "a2")) },
				func(tx openecs.Tx) error {
					return tx.InsertVpc(newVpc("vpc-d", "a1", func(v *openecs.Vpc) { v.RegionID = "cn-beijing" }))
				},
				func(tx openecs.Tx) error {
					return tx.InsertVpc(newVpc("vpc-e", "a1", func(v *openecs.Vpc) { v.Name = "web" }))
				},
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagVpc, ResourceID: "vpc-e", AccountID: "a1", RegionID: "cn-hangzhou", Key: "env", Value: "prod"})
				})
			list := func(f openecs.VpcFilter) []string {
				t.Helper()
				return vpcIDs(read(t, s, func(r openecs.Reader) ([]*openecs.Vpc, error) { return r.Vpcs(f) }))
			}
			cnt := func(f openecs.VpcFilter) int {
				t.Helper()
				return read(t, s, func(r openecs.Reader) (int, error) { return r.CountVpcs(f) })
			}
			a1 := openecs.VpcFilter{AccountID: "a1", RegionID: "cn-hangzhou"}
			wantIDs(t, "a1's VPCs in creation order", list(a1), []string{"vpc-c", "vpc-a", "vpc-e"})
			f := a1
			f.Name = "web"
			wantIDs(t, "by name", list(f), []string{"vpc-c", "vpc-e"})
			f = a1
			f.IsDefault = boolp(true)
			wantIDs(t, "default only", list(f), []string{"vpc-a"})
			f.IsDefault = boolp(false)
			wantIDs(t, "non-default only", list(f), []string{"vpc-c", "vpc-e"})
			f = a1
			f.IDs = []string{"vpc-e", "vpc-b", "vpc-c"}
			wantIDs(t, "by ids (another account's left out)", list(f), []string{"vpc-c", "vpc-e"})
			f.IDs = []string{}
			wantIDs(t, "an empty id list", list(f), []string{})
			f = a1
			f.VRouterID, f.RouteTableID = "vrt-vpc-a", "vtb-vpc-a"
			wantIDs(t, "by router and route table", list(f), []string{"vpc-a"})
			f = a1
			f.Tags = []openecs.Tag{{Key: "env"}}
			wantIDs(t, "by tag key", list(f), []string{"vpc-e"})
			f.Tags = []openecs.Tag{{Key: "env", Value: "dev"}}
			wantIDs(t, "by tag value", list(f), []string{})
			f = a1
			f.Offset, f.Limit = 1, 1
			wantIDs(t, "page 2 of 1", list(f), []string{"vpc-a"})
			if n := cnt(f); n != 3 {
				t.Fatalf("CountVpcs ignores paging: got %d, want 3", n)
			}
			f.Limit = 0
			wantIDs(t, "offset without limit", list(f), []string{"vpc-a", "vpc-e"})
		},
		"VPC delete takes its tags and its route table's": func(t *testing.T) {
			s := h.store(t)
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertVpc(newVpc("vpc-1", "a1")) },
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagVpc, ResourceID: "vpc-1", AccountID: "a1", RegionID: "cn-hangzhou", Key: "k", Value: "v"})
				},
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagRouteTable, ResourceID: "vtb-vpc-1", AccountID: "a1", RegionID: "cn-hangzhou", Key: "k", Value: "v"})
				})
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteVpc("vpc-1") })
			wantErr(t, "the deleted VPC", viewErr(s, func(r openecs.Reader) error { _, err := r.Vpc("vpc-1"); return err }), openecs.ErrNotFound)
			if tags := read(t, s, func(r openecs.Reader) ([]openecs.ResourceTag, error) {
				return r.ListResourceTags(openecs.ResourceTagFilter{AccountID: "a1"})
			}); len(tags) != 0 {
				t.Fatalf("tags left after DeleteVpc: %v", tags)
			}
			wantErr(t, "deleting it again", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteVpc("vpc-1") }), openecs.ErrNotFound)
		},
		"vSwitch round trip, default, update and delete": func(t *testing.T) {
			s := h.store(t)
			full := &openecs.VSwitch{Seq: 5, ID: "vsw-full", AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-i", VpcID: "vpc-1",
				Name: "名前", Description: "d", CidrBlock: "172.16.3.0/24", IsDefault: true, Status: openecs.NetPending, NextHost: 41, CreatedAt: at(2 * time.Second), Version: 3}
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertVSwitch(full) })
			if full.Seq == 5 || full.Version != 1 {
				t.Fatalf("after insert: Seq %d, Version %d", full.Seq, full.Version)
			}
			checkDiff(t, "vSwitch", read(t, s, func(r openecs.Reader) (*openecs.VSwitch, error) { return r.VSwitch("vsw-full") }), full)
			checkDiff(t, "default vSwitch", read(t, s, func(r openecs.Reader) (*openecs.VSwitch, error) { return r.DefaultVSwitch("a1", "cn-hangzhou-i") }), full)
			wantErr(t, "a second default vSwitch in the zone", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertVSwitch(newVSwitch("vsw-2", "vpc-1", "a1", "172.16.4.0/24", func(v *openecs.VSwitch) { v.ZoneID, v.IsDefault = "cn-hangzhou-i", true }))
			}), openecs.ErrConflict)
			wantErr(t, "a duplicate id", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertVSwitch(newVSwitch("vsw-full", "vpc-1", "a2", "10.0.0.0/24"))
			}), openecs.ErrConflict)
			wantErr(t, "no default vSwitch", viewErr(s, func(r openecs.Reader) error { _, err := r.DefaultVSwitch("a2", "cn-hangzhou-i"); return err }), openecs.ErrNotFound)

			stale := *full
			full.Name, full.Description, full.Status, full.NextHost = "n", "", openecs.NetAvailable, 9999
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateVSwitch(full) })
			full.NextHost = 41 // UpdateVSwitch leaves the cursor
			checkDiff(t, "updated vSwitch", read(t, s, func(r openecs.Reader) (*openecs.VSwitch, error) { return r.VSwitch("vsw-full") }), full)
			wantErr(t, "a stale update", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateVSwitch(&stale) }), openecs.ErrConflict)

			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteVSwitch("vsw-full") })
			wantErr(t, "the deleted vSwitch", viewErr(s, func(r openecs.Reader) error { _, err := r.VSwitch("vsw-full"); return err }), openecs.ErrNotFound)
			wantErr(t, "deleting it again", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteVSwitch("vsw-full") }), openecs.ErrNotFound)
			wantErr(t, "updating it", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateVSwitch(full) }), openecs.ErrNotFound)
		},
		"vSwitch listing and filters": func(t *testing.T) {
			s := h.store(t)
			insert(t, s,
				func(tx openecs.Tx) error {
					return tx.InsertVSwitch(newVSwitch("vsw-1", "vpc-1", "a1", "172.16.1.0/24"))
				},
				func(tx openecs.Tx) error {
					return tx.InsertVSwitch(newVSwitch("vsw-2", "vpc-2", "a1", "172.16.2.0/24", func(v *openecs.VSwitch) { v.ZoneID, v.Name = "cn-hangzhou-i", "db" }))
				},
				func(tx openecs.Tx) error {
					return tx.InsertVSwitch(newVSwitch("vsw-3", "vpc-1", "a2", "172.16.3.0/24"))
				},
				func(tx openecs.Tx) error {
					return tx.InsertVSwitch(newVSwitch("vsw-4", "vpc-1", "a1", "172.16.4.0/24", func(v *openecs.VSwitch) { v.IsDefault = true }))
				},
				func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagVSwitch, ResourceID: "vsw-4", AccountID: "a1", RegionID: "cn-hangzhou", Key: "tier", Value: "web"})
				})
			list := func(f openecs.VSwitchFilter) []string {
				t.Helper()
				return vswitchIDs(read(t, s, func(r openecs.Reader) ([]*openecs.VSwitch, error) { return r.VSwitches(f) }))
			}
			wantIDs(t, "a1's", list(openecs.VSwitchFilter{AccountID: "a1"}), []string{"vsw-1", "vsw-2", "vsw-4"})
			wantIDs(t, "by VPC", list(openecs.VSwitchFilter{VpcID: "vpc-1"}), []string{"vsw-1", "vsw-3", "vsw-4"})
			wantIDs(t, "by zone", list(openecs.VSwitchFilter{ZoneID: "cn-hangzhou-i"}), []string{"vsw-2"})
			wantIDs(t, "by name", list(openecs.VSwitchFilter{Name: "db"}), []string{"vsw-2"})
			wantIDs(t, "default", list(openecs.VSwitchFilter{IsDefault: boolp(true)}), []string{"vsw-4"})
			wantIDs(t, "by ids", list(openecs.VSwitchFilter{AccountID: "a1", IDs: []string{"vsw-3", "vsw-4"}}), []string{"vsw-4"})
			wantIDs(t, "by tag", list(openecs.VSwitchFilter{Tags: []openecs.Tag{{Key: "tier", Value: "web"}}}), []string{"vsw-4"})
			wantIDs(t, "paged", list(openecs.VSwitchFilter{AccountID: "a1", Offset: 2, Limit: 5}), []string{"vsw-4"})
			if n := read(t, s, func(r openecs.Reader) (int, error) {
				return r.CountVSwitches(openecs.VSwitchFilter{VpcID: "vpc-1", Limit: 1})
			}); n != 3 {
				t.Fatalf("CountVSwitches = %d, want 3", n)
			}
		},
		"the address cursor moves once per call, also concurrently": func(t *testing.T) {
			s := h.store(t)
			insert(t, s, func(tx openecs.Tx) error {
				return tx.InsertVSwitch(newVSwitch("vsw-1", "vpc-1", "a1", "10.0.0.0/16", func(v *openecs.VSwitch) { v.NextHost = 7 }))
			})
			if got := write(t, s, func(tx openecs.Tx) (int64, error) { return tx.NextPrivateHost("vsw-1") }); got != 7 {
				t.Fatalf("first NextPrivateHost = %d, want 7", got)
			}
			var mu sync.Mutex
			var seen []int64
			var wg sync.WaitGroup
			errs := make(chan error, 20)
			for range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var got int64
					err := updateErr(s, func(tx openecs.Tx) error {
						var err error
						got, err = tx.NextPrivateHost("vsw-1")
						return err
					})
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					seen = append(seen, got)
					mu.Unlock()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("NextPrivateHost: %v", err)
			}
			slices.Sort(seen)
			for i, v := range seen {
				if v != int64(8+i) {
					t.Fatalf("concurrent cursors = %v, want 8…27 once each", seen)
				}
			}
			if got := read(t, s, func(r openecs.Reader) (*openecs.VSwitch, error) { return r.VSwitch("vsw-1") }); got.NextHost != 28 {
				t.Fatalf("NextHost = %d, want 28", got.NextHost)
			}
			wantErr(t, "a missing vSwitch", updateErr(s, func(tx openecs.Tx) error { _, err := tx.NextPrivateHost("vsw-none"); return err }), openecs.ErrNotFound)
		},
	})
}

func testSecurityGroups(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"round trip, default, update and delete": func(t *testing.T) {
			s := h.store(t)
			full := &openecs.SecurityGroup{Seq: 3, ID: "sg-full", AccountID: "a1", RegionID: "cn-shanghai", VpcID: "vpc-1", Name: "web, \"x\"",
				Description: "描述", Type: openecs.SecurityGroupEnterprise, IsDefault: true, ResourceGroupID: "rg", CreatedAt: at(3 * time.Second), Version: 9}
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertSecurityGroup(full) })
			if full.Seq == 3 || full.Version != 1 {
				t.Fatalf("after insert: Seq %d, Version %d", full.Seq, full.Version)
			}
			checkDiff(t, "group", read(t, s, func(r openecs.Reader) (*openecs.SecurityGroup, error) { return r.SecurityGroup("sg-full") }), full)
			checkDiff(t, "default group", read(t, s, func(r openecs.Reader) (*openecs.SecurityGroup, error) {
				return r.DefaultSecurityGroup("a1", "cn-shanghai")
			}), full)
			wantErr(t, "a second default group", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertSecurityGroup(newGroup("sg-2", "vpc-1", "a1", func(g *openecs.SecurityGroup) { g.RegionID, g.IsDefault = "cn-shanghai", true }))
			}), openecs.ErrConflict)
			wantErr(t, "a duplicate id", updateErr(s, func(tx openecs.Tx) error { return tx.InsertSecurityGroup(newGroup("sg-full", "vpc-1", "a2")) }), openecs.ErrConflict)
			stale := *full
			full.Name, full.Description, full.IsDefault, full.Type = "n", "", false, openecs.SecurityGroupNormal
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateSecurityGroup(full) })
			checkDiff(t, "updated group", read(t, s, func(r openecs.Reader) (*openecs.SecurityGroup, error) { return r.SecurityGroup("sg-full") }), full)
			wantErr(t, "a stale update", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateSecurityGroup(&stale) }), openecs.ErrConflict)
			wantErr(t, "no default group now", viewErr(s, func(r openecs.Reader) error {
				_, err := r.DefaultSecurityGroup("a1", "cn-shanghai")
				return err
			}), openecs.ErrNotFound)
		},
		"listing, filters and token paging": func(t *testing.T) {
			s := h.store(t)
			var gs []*openecs.SecurityGroup
			for i, o := range []func(*openecs.SecurityGroup){
				func(g *openecs.SecurityGroup) {},
				func(g *openecs.SecurityGroup) { g.VpcID = "vpc-2" },
				func(g *openecs.SecurityGroup) { g.Name = "web" },
				func(g *openecs.SecurityGroup) { g.Type = openecs.SecurityGroupEnterprise },
				func(g *openecs.SecurityGroup) { g.AccountID = "a2" },
			} {
				gs = append(gs, newGroup(fmt.Sprintf("sg-%d", i), "vpc-1", "a1", o))
			}
			insert(t, s, func(tx openecs.Tx) error {
				for _, g := range gs {
					if err := tx.InsertSecurityGroup(g); err != nil {
						return err
					}
				}
				return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagSecurityGroup, ResourceID: "sg-2", AccountID: "a1", RegionID: "cn-hangzhou", Key: "app", Value: "x"})
			})
			list := func(f openecs.SecurityGroupFilter) []string {
				t.Helper()
				return groupIDs(read(t, s, func(r openecs.Reader) ([]*openecs.SecurityGroup, error) { return r.SecurityGroups(f) }))
			}
			a1 := openecs.SecurityGroupFilter{AccountID: "a1", RegionID: "cn-hangzhou"}
			wantIDs(t, "a1's", list(a1), []string{"sg-0", "sg-1", "sg-2", "sg-3"})
			f := a1
			f.VpcID = "vpc-1"
			wantIDs(t, "by VPC", list(f), []string{"sg-0", "sg-2", "sg-3"})
			f = a1
			f.Name, f.Type = "web", openecs.SecurityGroupNormal
			wantIDs(t, "by name and type", list(f), []string{"sg-2"})
			f = a1
			f.IDs = []string{"sg-4", "sg-3", "sg-0"}
			wantIDs(t, "by ids", list(f), []string{"sg-0", "sg-3"})
			f = a1
			f.Tags = []openecs.Tag{{Key: "app"}}
			wantIDs(t, "by tag", list(f), []string{"sg-2"})
			f = a1
			f.AfterSeq, f.Limit = gs[1].Seq, 1
			wantIDs(t, "after a token", list(f), []string{"sg-2"})
			if n := read(t, s, func(r openecs.Reader) (int, error) { return r.CountSecurityGroups(f) }); n != 4 {
				t.Fatalf("CountSecurityGroups ignores the token and the limit: got %d, want 4", n)
			}
		},
		"rules: order, update, delete, references, and the group's delete": func(t *testing.T) {
			s := h.store(t)
			r1 := openecs.SecurityGroupRule{ID: "sgr-1", GroupID: "sg-1", AccountID: "a1", Direction: openecs.Ingress, IpProtocol: "tcp", PortRange: "22/22",
				SourcePortRange: "1/65535", SourceCidrIp: "0.0.0.0/0", Ipv6SourceCidrIp: "", SourceGroupID: "", SourcePrefixListID: "pl-1",
				DestCidrIp: "10.0.0.0/8", Policy: "accept", Priority: 1, NicType: "intranet", Description: "ssh, \"x\"", CreatedAt: at(1 * time.Second)}
			r2 := openecs.SecurityGroupRule{ID: "sgr-2", GroupID: "sg-1", AccountID: "a1", Direction: openecs.Egress, IpProtocol: "all", PortRange: "-1/-1",
				Ipv6DestCidrIp: "::/0", DestGroupID: "sg-2", DestPrefixListID: "pl-2", Ipv6SourceCidrIp: "2001:db8::/32", Policy: "drop", Priority: 100, NicType: "intranet", CreatedAt: at(2 * time.Second)}
			r3 := openecs.SecurityGroupRule{ID: "sgr-3", GroupID: "sg-2", AccountID: "a1", Direction: openecs.Ingress, IpProtocol: "icmp", PortRange: "-1/-1",
				SourceGroupID: "sg-1", Policy: "accept", Priority: 5, NicType: "intranet", CreatedAt: at(3 * time.Second)}
			insert(t, s,
				func(tx openecs.Tx) error { return tx.InsertSecurityGroup(newGroup("sg-1", "vpc-1", "a1")) },
				func(tx openecs.Tx) error { return tx.InsertSecurityGroup(newGroup("sg-2", "vpc-1", "a1")) },
				func(tx openecs.Tx) error { return tx.InsertSecurityGroupRule(&r2) },
				func(tx openecs.Tx) error { return tx.InsertSecurityGroupRule(&r1) },
				func(tx openecs.Tx) error { return tx.InsertSecurityGroupRule(&r3) })
			rules := read(t, s, func(r openecs.Reader) ([]openecs.SecurityGroupRule, error) { return r.SecurityGroupRules("sg-1") })
			if len(rules) != 2 {
				t.Fatalf("rules of sg-1 = %d, want 2", len(rules))
			}
			checkDiff(t, "first rule added", rules[0], r2)
			checkDiff(t, "second rule added", rules[1], r1)
			wantErr(t, "a duplicate rule id", updateErr(s, func(tx openecs.Tx) error { return tx.InsertSecurityGroupRule(&r1) }), openecs.ErrConflict)
			for id, want := range map[string]int{"sg-1": 1, "sg-2": 1, "sg-3": 0} {
				if n := read(t, s, func(r openecs.Reader) (int, error) { return r.CountRulesReferencing(id) }); n != want {
					t.Fatalf("CountRulesReferencing(%s) = %d, want %d", id, n, want)
				}
			}
			r1.Description, r1.Priority, r1.PortRange = "", 7, "80/80"
			insert(t, s, func(tx openecs.Tx) error { return tx.UpdateSecurityGroupRule(&r1) })
			rules = read(t, s, func(r openecs.Reader) ([]openecs.SecurityGroupRule, error) { return r.SecurityGroupRules("sg-1") })
			checkDiff(t, "updated rule", rules[1], r1)
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteSecurityGroupRule("sgr-2") })
			wantErr(t, "deleting a missing rule", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteSecurityGroupRule("sgr-2") }), openecs.ErrNotFound)
			wantErr(t, "updating a missing rule", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateSecurityGroupRule(&r2) }), openecs.ErrNotFound)
			insert(t, s, func(tx openecs.Tx) error {
				return tx.PutResourceTag(openecs.ResourceTag{ResourceType: openecs.TagSecurityGroup, ResourceID: "sg-1", AccountID: "a1", RegionID: "cn-hangzhou", Key: "k", Value: ""})
			})
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteSecurityGroup("sg-1") })
			if rules := read(t, s, func(r openecs.Reader) ([]openecs.SecurityGroupRule, error) { return r.SecurityGroupRules("sg-1") }); len(rules) != 0 {
				t.Fatalf("rules left after DeleteSecurityGroup: %v", rules)
			}
			if tags := read(t, s, func(r openecs.Reader) ([]openecs.Tag, error) { return r.ResourceTags(openecs.TagSecurityGroup, "sg-1") }); len(tags) != 0 {
				t.Fatalf("tags left after DeleteSecurityGroup: %v", tags)
			}
			wantErr(t, "deleting it again", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteSecurityGroup("sg-1") }), openecs.ErrNotFound)
		},
	})
}

func testNetworkInterfaces(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"round trip, filters and paging": func(t *testing.T) {
			s := h.store(t)
			n1 := newENI("eni-1", "vsw-1", "10.0.0.1", func(n *openecs.NetworkInterface) { n.SecurityGroupIDs = []string{"sg-1", "sg-2"} })
			n2 := newENI("eni-2", "vsw-1", "10.0.0.2", func(n *openecs.NetworkInterface) {
				n.Type, n.InstanceID, n.SecurityGroupIDs = openecs.ENISecondary, "", nil
			})
			n3 := newENI("eni-3", "vsw-2", "10.0.0.1", func(n *openecs.NetworkInterface) { n.VpcID, n.AccountID = "vpc-2", "a2" })
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertNetworkInterface(n1) },
				func(tx openecs.Tx) error { return tx.InsertNetworkInterface(n2) },
				func(tx openecs.Tx) error { return tx.InsertNetworkInterface(n3) })
			if n1.Seq <= 0 || n2.Seq <= n1.Seq {
				t.Fatalf("Seq not assigned in order: %d, %d", n1.Seq, n2.Seq)
			}
			checkDiff(t, "interface", read(t, s, func(r openecs.Reader) (*openecs.NetworkInterface, error) { return r.NetworkInterface("eni-1") }), n1)
			checkDiff(t, "interface without groups", read(t, s, func(r openecs.Reader) (*openecs.NetworkInterface, error) { return r.NetworkInterface("eni-2") }), n2)
			list := func(f openecs.NetworkInterfaceFilter) []string {
				t.Helper()
				return eniIDs(read(t, s, func(r openecs.Reader) ([]*openecs.NetworkInterface, error) { return r.NetworkInterfaces(f) }))
			}
			wantIDs(t, "a1's", list(openecs.NetworkInterfaceFilter{AccountID: "a1", RegionID: "cn-hangzhou"}), []string{"eni-1", "eni-2"})
			wantIDs(t, "by ids", list(openecs.NetworkInterfaceFilter{IDs: []string{"eni-3", "eni-2"}}), []string{"eni-2", "eni-3"})
			wantIDs(t, "by instance", list(openecs.NetworkInterfaceFilter{InstanceID: "i-eni-1"}), []string{"eni-1"})
			wantIDs(t, "by VPC", list(openecs.NetworkInterfaceFilter{VpcID: "vpc-2"}), []string{"eni-3"})
			wantIDs(t, "by vSwitch", list(openecs.NetworkInterfaceFilter{VSwitchID: "vsw-1"}), []string{"eni-1", "eni-2"})
			wantIDs(t, "by a second group", list(openecs.NetworkInterfaceFilter{SecurityGroupID: "sg-2"}), []string{"eni-1"})
			wantIDs(t, "by address", list(openecs.NetworkInterfaceFilter{PrivateIP: "10.0.0.1"}), []string{"eni-1", "eni-3"})
			wantIDs(t, "by type", list(openecs.NetworkInterfaceFilter{Type: openecs.ENISecondary}), []string{"eni-2"})
			wantIDs(t, "after a token", list(openecs.NetworkInterfaceFilter{AfterSeq: n1.Seq, Limit: 1}), []string{"eni-2"})
			wantIDs(t, "with an offset", list(openecs.NetworkInterfaceFilter{Offset: 2}), []string{"eni-3"})
			if n := read(t, s, func(r openecs.Reader) (int, error) {
				return r.CountNetworkInterfaces(openecs.NetworkInterfaceFilter{VSwitchID: "vsw-1", AfterSeq: n2.Seq, Limit: 1})
			}); n != 2 {
				t.Fatalf("CountNetworkInterfaces = %d, want 2 (the token and limit ignored)", n)
			}
		},
		"an address is given out once per vSwitch": func(t *testing.T) {
			s := h.store(t)
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertNetworkInterface(newENI("eni-1", "vsw-1", "10.0.0.5")) })
			wantErr(t, "the same address in the same vSwitch", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertNetworkInterface(newENI("eni-2", "vsw-1", "10.0.0.5"))
			}), openecs.ErrConflict)
			wantErr(t, "a duplicate id", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertNetworkInterface(newENI("eni-1", "vsw-9", "10.0.0.9"))
			}), openecs.ErrConflict)
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertNetworkInterface(newENI("eni-3", "vsw-2", "10.0.0.5")) })
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteNetworkInterface("eni-1") })
			insert(t, s, func(tx openecs.Tx) error { return tx.InsertNetworkInterface(newENI("eni-4", "vsw-1", "10.0.0.5")) })
			wantErr(t, "deleting a missing interface", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteNetworkInterface("eni-1") }), openecs.ErrNotFound)
			wantErr(t, "reading it", viewErr(s, func(r openecs.Reader) error { _, err := r.NetworkInterface("eni-1"); return err }), openecs.ErrNotFound)
		},
		"releasing an instance releases its interfaces": func(t *testing.T) {
			s := h.store(t)
			in := newInstance("i-1", "a1")
			insertInstances(t, s, in)
			insert(t, s, func(tx openecs.Tx) error {
				return tx.InsertNetworkInterface(newENI("eni-1", "vsw-1", "10.0.0.5", func(n *openecs.NetworkInterface) { n.InstanceID = "i-1" }))
			}, func(tx openecs.Tx) error { return tx.InsertNetworkInterface(newENI("eni-2", "vsw-1", "10.0.0.6")) })
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-1") })
			got := eniIDs(read(t, s, func(r openecs.Reader) ([]*openecs.NetworkInterface, error) {
				return r.NetworkInterfaces(openecs.NetworkInterfaceFilter{})
			}))
			wantIDs(t, "interfaces after DeleteInstance", got, []string{"eni-2"})
		},
	})
}

func testResourceTags(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"put, read, list and delete": func(t *testing.T) {
			s := h.store(t)
			put := func(rt openecs.TagResourceType, id, account, region, k, v string) func(tx openecs.Tx) error {
				return func(tx openecs.Tx) error {
					return tx.PutResourceTag(openecs.ResourceTag{ResourceType: rt, ResourceID: id, AccountID: account, RegionID: region, Key: k, Value: v})
				}
			}
			insert(t, s,
				put(openecs.TagVpc, "vpc-1", "a1", "cn-hangzhou", "team", "blue"),
				put(openecs.TagVpc, "vpc-1", "a1", "cn-hangzhou", "env", "prod"),
				put(openecs.TagVpc, "vpc-2", "a1", "cn-hangzhou", "env", "dev"),
				put(openecs.TagVpc, "vpc-3", "a1", "cn-beijing", "env", "prod"),
				put(openecs.TagVpc, "vpc-4", "a2", "cn-hangzhou", "env", "prod"),
				put(openecs.TagVSwitch, "vsw-1", "a1", "cn-hangzhou", "env", "prod"),
				put(openecs.TagVpc, "vpc-1", "a1", "cn-hangzhou", "team", "red")) // a new value
			tags := read(t, s, func(r openecs.Reader) ([]openecs.Tag, error) { return r.ResourceTags(openecs.TagVpc, "vpc-1") })
			checkDiff(t, "vpc-1's tags by key", tags, []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "red"}})
			list := func(f openecs.ResourceTagFilter) []string {
				t.Helper()
				out := []string{}
				for _, tag := range read(t, s, func(r openecs.Reader) ([]openecs.ResourceTag, error) { return r.ListResourceTags(f) }) {
					out = append(out, tag.ResourceID+":"+tag.Key+"="+tag.Value)
				}
				return out
			}
			f := openecs.ResourceTagFilter{AccountID: "a1", RegionID: "cn-hangzhou", ResourceType: openecs.TagVpc}
			wantIDs(t, "a1's VPC tags", list(f), []string{"vpc-1:env=prod", "vpc-1:team=red", "vpc-2:env=dev"})
			g := f
			g.ResourceIDs = []string{"vpc-2", "vpc-4"}
			wantIDs(t, "by resource", list(g), []string{"vpc-2:env=dev"})
			g = f
			g.Tags = []openecs.Tag{{Key: "env", Value: "prod"}}
			wantIDs(t, "resources with env=prod", list(g), []string{"vpc-1:env=prod", "vpc-1:team=red"})
			g.Tags = []openecs.Tag{{Key: "team"}}
			wantIDs(t, "resources with team", list(g), []string{"vpc-1:env=prod", "vpc-1:team=red"})
			g = f
			g.AfterResource, g.AfterKey, g.Limit = "vpc-1", "env", 1
			wantIDs(t, "after vpc-1/env, one", list(g), []string{"vpc-1:team=red"})
			g.Limit = 0
			g.AfterKey = "team"
			wantIDs(t, "after vpc-1/team", list(g), []string{"vpc-2:env=dev"})

			insert(t, s, func(tx openecs.Tx) error {
				return tx.DeleteResourceTags(openecs.TagVpc, "vpc-1", []string{"team", "nope"})
			})
			wantIDs(t, "after deleting team", list(f), []string{"vpc-1:env=prod", "vpc-2:env=dev"})
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteResourceTags(openecs.TagVpc, "vpc-2", []string{}) })
			wantIDs(t, "an empty key list deletes nothing", list(f), []string{"vpc-1:env=prod", "vpc-2:env=dev"})
			insert(t, s, func(tx openecs.Tx) error { return tx.DeleteResourceTags(openecs.TagVpc, "vpc-1", nil) })
			wantIDs(t, "after deleting all of vpc-1's", list(f), []string{"vpc-2:env=dev"})
			if got := list(openecs.ResourceTagFilter{ResourceType: openecs.TagVSwitch}); len(got) != 1 {
				t.Fatalf("the vSwitch's tag went with the VPC's: %v", got)
			}
		},
	})
}
