package storetest

import (
	"errors"
	"testing"

	"github.com/openecs/openecs"
)

// testInstanceCounts checks CountInstances by account and region (the
// TotalCount of an unfiltered DescribeInstances page, which a driver may
// keep as a running count) through inserts, deletes, and writes that are
// rolled back.
func testInstanceCounts(t *testing.T, h harness) {
	s := h.store(t)
	const hz, bj = "cn-hangzhou", "cn-beijing"
	in := func(id, account, region string) *openecs.Instance {
		return newInstance(id, account, func(in *openecs.Instance) { in.RegionID = region })
	}
	insertInstances(t, s, in("i-1", "a1", hz), in("i-2", "a1", hz), in("i-3", "a1", bj), in("i-4", "a2", hz), in("i-5", "a2", hz))
	exec(t, s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-2") })
	// A failed Update rolls its insert and delete back.
	boom := errors.New("boom")
	err := updateErr(s, func(tx openecs.Tx) error {
		if err := tx.InsertInstance(in("i-6", "a1", hz)); err != nil {
			return err
		}
		if err := tx.DeleteInstance("i-4"); err != nil {
			return err
		}
		return boom
	})
	wantErr(t, "failing Update", err, boom)
	wantErr(t, "deleting a missing instance", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-2") }), openecs.ErrNotFound)
	for _, c := range []struct {
		f    openecs.InstanceFilter
		want int
	}{
		{openecs.InstanceFilter{}, 4},
		{openecs.InstanceFilter{AccountID: "a1"}, 2},
		{openecs.InstanceFilter{AccountID: "a1", RegionID: hz}, 1},
		{openecs.InstanceFilter{AccountID: "a1", RegionID: bj}, 1},
		{openecs.InstanceFilter{AccountID: "a2", RegionID: hz}, 2},
		{openecs.InstanceFilter{AccountID: "a2", RegionID: bj}, 0},
		{openecs.InstanceFilter{AccountID: "a3"}, 0},
		{openecs.InstanceFilter{RegionID: hz}, 3},
		{openecs.InstanceFilter{AccountID: "a2", RegionID: hz, Limit: 1, Offset: 1, AfterSeq: 1}, 2},
	} {
		if n := read(t, s, func(r openecs.Reader) (int, error) { return r.CountInstances(c.f) }); n != c.want {
			t.Errorf("CountInstances(%+v) = %d, want %d", c.f, n, c.want)
		}
	}
}
