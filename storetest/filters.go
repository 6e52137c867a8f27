package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// filterFixture is the set of instances the filter tests run against. They are
// inserted in this order, and their ids are deliberately not in that order,
// so a listing sorted by id instead of Seq shows up.
func filterFixture() []*openecs.Instance {
	type row struct {
		id, account, region, zone, itype, family, name string
		status                                         openecs.Status
		charge                                         openecs.ChargeType
		billing                                        openecs.BillingState
		locks                                          []openecs.LockReason
		image, vpc, vsw                                string
		sgs                                            []string
		tags                                           []openecs.Tag
	}
	const hz, bj = "cn-hangzhou", "cn-beijing"
	g7, c7 := "ecs.g7", "ecs.c7"
	tag := func(kv ...string) []openecs.Tag {
		var out []openecs.Tag
		for i := 0; i < len(kv); i += 2 {
			out = append(out, openecs.Tag{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	fin, sec := openecs.LockFinancial, openecs.LockSecurity
	rows := []row{
		{"i-k", "a1", hz, "cn-hangzhou-h", "ecs.g7.large", g7, "web-1", openecs.StatusRunning, openecs.PostPaid, openecs.BillingNormal, nil,
			"img-a", "vpc-1", "vsw-1", []string{"sg-1"}, tag("env", "prod", "team", "blue")},
		{"i-c", "a1", hz, "cn-hangzhou-i", "ecs.c7.xlarge", c7, "web-2", openecs.StatusStopped, openecs.PrePaid, openecs.BillingExpired, []openecs.LockReason{fin},
			"img-b", "vpc-2", "vsw-2", []string{"sg-2", "sg-1"}, tag("env", "dev")},
		{"i-x", "a1", hz, "cn-hangzhou-h", "ecs.g7.xlarge", g7, "db%1", openecs.StatusPending, openecs.PostPaid, openecs.BillingNormal, []openecs.LockReason{sec},
			"img-a", "vpc-1", "vsw-1", []string{"sg-1"}, tag("team", "red")},
		{"i-a", "a1", hz, "cn-hangzhou-h", "ecs.g7.large", g7, "db_1", openecs.StatusStarting, openecs.PostPaid, openecs.BillingImageExpired, []openecs.LockReason{fin, sec},
			"img-a", "vpc-1", "vsw-3", []string{"sg-3"}, nil},
		{"i-m", "a1", hz, "cn-hangzhou-i", "ecs.c7.xlarge", c7, "dbx1", openecs.StatusStopping, openecs.PostPaid, openecs.BillingNormal, nil,
			"img-c", "vpc-2", "vsw-2", []string{"sg-2"}, tag("env", "prod")},
		{"i-b", "a1", hz, "cn-hangzhou-h", "ecs.g7.large", g7, "Web-3", openecs.StatusRunning, openecs.PostPaid, openecs.BillingEcsAndImageExpired, nil,
			"img-a", "vpc-1", "vsw-1", []string{"sg-1"}, tag("env", "")},
		{"i-z", "a2", hz, "cn-hangzhou-h", "ecs.g7.large", g7, "web-1", openecs.StatusRunning, openecs.PostPaid, openecs.BillingNormal, nil,
			"img-a", "vpc-9", "vsw-9", []string{"sg-9"}, tag("env", "prod")},
		{"i-d", "a1", bj, "cn-beijing-a", "ecs.g7.large", g7, "web-bj", openecs.StatusRunning, openecs.PostPaid, openecs.BillingNormal, nil,
			"img-a", "vpc-b", "vsw-b", []string{"sg-b"}, tag("env", "prod")},
	}
	out := make([]*openecs.Instance, len(rows))
	for i, r := range rows {
		out[i] = newInstance(r.id, r.account, func(in *openecs.Instance) {
			in.RegionID, in.ZoneID, in.InstanceType, in.Family, in.Name = r.region, r.zone, r.itype, r.family, r.name
			in.Status, in.ChargeType, in.BillingState, in.Locks = r.status, r.charge, r.billing, r.locks
			in.ImageID, in.VpcID, in.VSwitchID, in.SecurityGroupIDs, in.Tags = r.image, r.vpc, r.vsw, r.sgs, r.tags
			// Creation an hour apart in insertion order; public addresses,
			// resource groups and expiry on a few.
			in.CreatedAt = base.Add(time.Duration(i) * time.Hour)
			if a, ok := fixtureAddresses[r.id]; ok {
				in.PublicIP, in.ResourceGroupID = a.public, a.group
			}
			if r.charge == openecs.PrePaid {
				in.ExpiredAt = base.Add(30 * 24 * time.Hour)
			}
		})
	}
	return out
}

// fixtureAddresses are the addresses and resource groups of some of the
// filter fixture's instances; each has a primary interface with its private
// address.
var fixtureAddresses = map[string]struct{ private, public, group string }{
	"i-k": {"10.0.0.5", "47.1.1.1", "rg-a"},
	"i-c": {"10.0.0.6", "", "rg-b"},
	"i-x": {"10.0.0.7", "47.1.1.2", ""},
	"i-z": {"10.0.0.5", "47.1.1.9", "rg-a"},
}

// insertInterfaces gives the instances of fixtureAddresses their primary
// interfaces.
func insertInterfaces(t *testing.T, s openecs.Store, fixture []*openecs.Instance) {
	t.Helper()
	exec(t, s, func(tx openecs.Tx) error {
		for _, in := range fixture {
			a, ok := fixtureAddresses[in.ID]
			if !ok {
				continue
			}
			err := tx.InsertNetworkInterface(&openecs.NetworkInterface{ID: "eni-" + in.ID, AccountID: in.AccountID, RegionID: in.RegionID,
				ZoneID: in.ZoneID, VpcID: in.VpcID, VSwitchID: in.VSwitchID + "-" + in.AccountID, InstanceID: in.ID, Type: openecs.ENIPrimary,
				PrivateIP: a.private, SecurityGroupIDs: in.SecurityGroupIDs, CreatedAt: in.CreatedAt})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func testInstanceFilters(t *testing.T, h harness) {
	s := h.store(t)
	fixture := filterFixture()
	insertInstances(t, s, fixture...)
	insertInterfaces(t, s, fixture)
	seq := map[string]int64{}
	for _, in := range fixture {
		seq[in.ID] = in.Seq
	}
	all := ids(fixture)
	list := func(want ...string) []string { return want }

	cases := []struct {
		name string
		f    openecs.InstanceFilter
		want []string
		// count is what CountInstances must say; -1 means len(want). It
		// differs for paged filters: the count ignores AfterSeq, Offset and
		// Limit (it is the TotalCount of a paged listing).
		count int
	}{
		{"no filter", openecs.InstanceFilter{}, all, -1},
		{"AccountID", openecs.InstanceFilter{AccountID: "a2"}, list("i-z"), -1},
		{"AccountID and RegionID", openecs.InstanceFilter{AccountID: "a1", RegionID: "cn-hangzhou"}, list("i-k", "i-c", "i-x", "i-a", "i-m", "i-b"), -1},
		{"RegionID", openecs.InstanceFilter{RegionID: "cn-beijing"}, list("i-d"), -1},
		{"IDs nil does not filter", openecs.InstanceFilter{IDs: nil}, all, -1},
		{"IDs empty matches nothing", openecs.InstanceFilter{IDs: []string{}}, nil, -1},
		{"IDs listed, returned in Seq order", openecs.InstanceFilter{IDs: []string{"i-m", "i-k", "i-missing"}}, list("i-k", "i-m"), -1},
		{"IDs with AccountID", openecs.InstanceFilter{AccountID: "a2", IDs: []string{"i-k", "i-z"}}, list("i-z"), -1},
		{"Statuses one", openecs.InstanceFilter{Statuses: []openecs.Status{openecs.StatusRunning}}, list("i-k", "i-b", "i-z", "i-d"), -1},
		{"Statuses two", openecs.InstanceFilter{Statuses: []openecs.Status{openecs.StatusStopping, openecs.StatusPending}}, list("i-x", "i-m"), -1},
		{"ZoneID", openecs.InstanceFilter{ZoneID: "cn-hangzhou-i"}, list("i-c", "i-m"), -1},
		{"InstanceType", openecs.InstanceFilter{InstanceType: "ecs.c7.xlarge"}, list("i-c", "i-m"), -1},
		{"Family", openecs.InstanceFilter{Family: "ecs.g7"}, list("i-k", "i-x", "i-a", "i-b", "i-z", "i-d"), -1},
		{"ChargeType PrePaid", openecs.InstanceFilter{ChargeType: openecs.PrePaid}, list("i-c"), -1},
		{"ChargeType PostPaid", openecs.InstanceFilter{ChargeType: openecs.PostPaid}, list("i-k", "i-x", "i-a", "i-m", "i-b", "i-z", "i-d"), -1},
		{"LockReason financial", openecs.InstanceFilter{LockReason: openecs.LockFinancial}, list("i-c", "i-a"), -1},
		{"LockReason security", openecs.InstanceFilter{LockReason: openecs.LockSecurity}, list("i-x", "i-a"), -1},
		{"LockReason recycling", openecs.InstanceFilter{LockReason: openecs.LockRecycling}, nil, -1},
		{"Name exact", openecs.InstanceFilter{Name: "web-1"}, list("i-k", "i-z"), -1},
		{"Name exact is not a prefix match", openecs.InstanceFilter{Name: "web"}, nil, -1},
		{"Name exact with _", openecs.InstanceFilter{Name: "db_1"}, list("i-a"), -1},
		{"Name exact with %", openecs.InstanceFilter{Name: "db%1"}, list("i-x"), -1},
		{"Name wildcard prefix", openecs.InstanceFilter{Name: "web*"}, list("i-k", "i-c", "i-z", "i-d"), -1},
		{"Name wildcard is case-sensitive", openecs.InstanceFilter{Name: "Web*"}, list("i-b"), -1},
		{"Name wildcard suffix", openecs.InstanceFilter{Name: "*-1"}, list("i-k", "i-z"), -1},
		{"Name wildcard inside", openecs.InstanceFilter{Name: "db*1"}, list("i-x", "i-a", "i-m"), -1},
		{"Name wildcard with literal %", openecs.InstanceFilter{Name: "db%*"}, list("i-x"), -1},
		{"Name wildcard with literal _", openecs.InstanceFilter{Name: "db_*"}, list("i-a"), -1},
		{"Name wildcard alone", openecs.InstanceFilter{Name: "*"}, all, -1},
		{"ImageID", openecs.InstanceFilter{ImageID: "img-b"}, list("i-c"), -1},
		{"VpcID", openecs.InstanceFilter{VpcID: "vpc-2"}, list("i-c", "i-m"), -1},
		{"VSwitchID", openecs.InstanceFilter{VSwitchID: "vsw-1"}, list("i-k", "i-x", "i-b"), -1},
		{"SecurityGroup matches any of the instance's groups", openecs.InstanceFilter{SecurityGroup: "sg-1"}, list("i-k", "i-c", "i-x", "i-b"), -1},
		{"SecurityGroup second", openecs.InstanceFilter{SecurityGroup: "sg-2"}, list("i-c", "i-m"), -1},
		{"SecurityGroup is not a prefix match", openecs.InstanceFilter{SecurityGroup: "sg"}, nil, -1},
		{"BillingStates one", openecs.InstanceFilter{BillingStates: []openecs.BillingState{openecs.BillingExpired}}, list("i-c"), -1},
		{"BillingStates two", openecs.InstanceFilter{BillingStates: []openecs.BillingState{openecs.BillingImageExpired, openecs.BillingEcsAndImageExpired}}, list("i-a", "i-b"), -1},
		{"Tags key only matches any value", openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "env"}}}, list("i-k", "i-c", "i-m", "i-b", "i-z", "i-d"), -1},
		{"Tags key and value", openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "env", Value: "prod"}}}, list("i-k", "i-m", "i-z", "i-d"), -1},
		{"Tags all must match", openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "blue"}}}, list("i-k"), -1},
		{"Tags key only, other key", openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "team"}}}, list("i-k", "i-x"), -1},
		{"Tags no instance has both", openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "red"}}}, nil, -1},
		{"Tags value is not a key", openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "prod"}}}, nil, -1},
		{"several fields together", openecs.InstanceFilter{AccountID: "a1", Statuses: []openecs.Status{openecs.StatusRunning}, Tags: []openecs.Tag{{Key: "env", Value: "prod"}}},
			list("i-k", "i-d"), -1},
		{"PrivateIPs", openecs.InstanceFilter{PrivateIPs: []string{"10.0.0.5", "10.0.0.7"}}, list("i-k", "i-x", "i-z"), -1},
		{"PrivateIPs with AccountID", openecs.InstanceFilter{AccountID: "a2", PrivateIPs: []string{"10.0.0.5"}}, list("i-z"), -1},
		{"PrivateIPs none held", openecs.InstanceFilter{PrivateIPs: []string{"10.0.0.99"}}, nil, -1},
		{"PrivateIPs empty matches nothing", openecs.InstanceFilter{PrivateIPs: []string{}}, nil, -1},
		{"PublicIPs", openecs.InstanceFilter{PublicIPs: []string{"47.1.1.2", "47.1.1.9", "47.9.9.9"}}, list("i-x", "i-z"), -1},
		{"PublicIPs empty matches nothing", openecs.InstanceFilter{PublicIPs: []string{}}, nil, -1},
		{"ResourceGroupID", openecs.InstanceFilter{ResourceGroupID: "rg-a"}, list("i-k", "i-z"), -1},
		{"CreatedFrom, end included", openecs.InstanceFilter{CreatedFrom: base.Add(6 * time.Hour)}, list("i-z", "i-d"), -1},
		{"CreatedTo, end included", openecs.InstanceFilter{CreatedTo: base.Add(time.Hour)}, list("i-k", "i-c"), -1},
		{"CreatedFrom and CreatedTo", openecs.InstanceFilter{CreatedFrom: base.Add(90 * time.Minute), CreatedTo: base.Add(3 * time.Hour)}, list("i-x", "i-a"), -1},
		{"ExpiresTo: only what expires", openecs.InstanceFilter{ExpiresTo: base.Add(31 * 24 * time.Hour)}, list("i-c"), -1},
		{"ExpiresFrom: what never expires is after it", openecs.InstanceFilter{ExpiresFrom: base.Add(31 * 24 * time.Hour)}, list("i-k", "i-x", "i-a", "i-m", "i-b", "i-z", "i-d"), -1},
		{"AfterSeq", openecs.InstanceFilter{AfterSeq: seq["i-a"]}, list("i-m", "i-b", "i-z", "i-d"), len(all)},
		{"AfterSeq with a filter", openecs.InstanceFilter{AfterSeq: seq["i-a"], Statuses: []openecs.Status{openecs.StatusRunning}}, list("i-b", "i-z", "i-d"), 4},
		{"AfterSeq and Limit", openecs.InstanceFilter{AfterSeq: seq["i-c"], Limit: 2}, list("i-x", "i-a"), len(all)},
		{"Limit", openecs.InstanceFilter{Limit: 3}, list("i-k", "i-c", "i-x"), len(all)},
		{"Limit and Offset", openecs.InstanceFilter{Limit: 3, Offset: 2}, list("i-x", "i-a", "i-m"), len(all)},
		{"Offset without Limit", openecs.InstanceFilter{Offset: 6}, list("i-z", "i-d"), len(all)},
		{"Offset past the end", openecs.InstanceFilter{Limit: 5, Offset: 8}, nil, len(all)},
		{"Limit and Offset with a filter", openecs.InstanceFilter{Family: "ecs.g7", Limit: 2, Offset: 1}, list("i-x", "i-a"), 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) { return r.Instances(c.f) }))
			if !slices.Equal(got, c.want) {
				t.Fatalf("Instances(%+v) = %v, want %v", c.f, got, c.want)
			}
			wantCount := c.count
			if wantCount < 0 {
				wantCount = len(c.want)
			}
			if n := read(t, s, func(r openecs.Reader) (int, error) { return r.CountInstances(c.f) }); n != wantCount {
				t.Fatalf("CountInstances(%+v) = %d, want %d", c.f, n, wantCount)
			}
			// InstanceStatuses selects the same rows, with their Seq and Status.
			sts := read(t, s, func(r openecs.Reader) ([]openecs.InstanceStatus, error) { return r.InstanceStatuses(c.f) })
			var stIDs []string
			for _, st := range sts {
				in := fixture[slices.IndexFunc(fixture, func(in *openecs.Instance) bool { return in.ID == st.ID })]
				if st.Seq != in.Seq || st.Status != in.Status {
					t.Fatalf("InstanceStatuses(%+v) gives %+v for %s, want Seq %d and Status %s", c.f, st, in.ID, in.Seq, in.Status)
				}
				stIDs = append(stIDs, st.ID)
			}
			if !slices.Equal(stIDs, c.want) {
				t.Fatalf("InstanceStatuses(%+v) = %v, want %v", c.f, stIDs, c.want)
			}
		})
	}

	t.Run("keyset paging visits every instance once, in Seq order", func(t *testing.T) {
		t.Parallel()
		var got []string
		var after int64
		for page := 0; ; page++ {
			if page > len(all) {
				t.Fatalf("keyset paging did not end after %d pages (got %v so far)", page, got)
			}
			rows := read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
				return r.Instances(openecs.InstanceFilter{AfterSeq: after, Limit: 3})
			})
			if len(rows) == 0 {
				break
			}
			for i, in := range rows {
				if in.Seq <= after || (i > 0 && in.Seq <= rows[i-1].Seq) {
					t.Fatalf("page %d is not in increasing Seq order after %d: %v", page, after, ids(rows))
				}
			}
			got = append(got, ids(rows)...)
			after = rows[len(rows)-1].Seq
		}
		if !slices.Equal(got, all) {
			t.Fatalf("keyset pages = %v, want %v", got, all)
		}
	})
}
