package service

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

func TestSeedMakesOrdinaryInstances(t *testing.T) {
	s, boot := newTestService(t, time.Minute)
	ctx := context.Background()
	var calls []int
	res, err := s.Seed(ctx, SeedRequest{Instances: SeedChunk + 10, Accounts: 2, AccountIDs: []string{boot.ID}, Regions: []string{"cn-hangzhou"},
		Statuses: map[openecs.Status]float64{openecs.StatusRunning: 2, openecs.StatusStopped: 1, openecs.StatusStarting: 1}},
		func(done int) { calls = append(calls, done) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Instances != SeedChunk+10 || len(res.Accounts) != 2 || len(res.AccountIDs) != 3 || !reflect.DeepEqual(calls, []int{SeedChunk, SeedChunk + 10}) {
		t.Fatalf("Seed = %+v (progress %v)", res, calls)
	}
	counts := map[openecs.Status]int{}
	perAccount := map[string]int{}
	var seeded *openecs.Instance
	var disks []openecs.Disk
	if err := s.store.View(ctx, func(r openecs.Reader) error {
		ins, err := r.Instances(openecs.InstanceFilter{})
		for _, in := range ins {
			counts[in.Status]++
			perAccount[in.AccountID]++
			if in.AccountID == boot.ID && in.Status == openecs.StatusStopped && seeded == nil {
				seeded = in
			}
		}
		if err == nil {
			disks, err = r.Disks(seeded.ID)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	n := SeedChunk + 10
	near := func(got, want int) bool { return got >= want-5 && got <= want+5 }
	if !near(counts[openecs.StatusRunning], n/2) || !near(counts[openecs.StatusStarting], n/4) || !near(counts[openecs.StatusStopped], n/4) {
		t.Errorf("statuses %v, want about 2:1:1 of %d", counts, n)
	}
	for _, id := range res.AccountIDs {
		if perAccount[id] < n/3-1 {
			t.Errorf("account %s has %d instances, want about %d", id, perAccount[id], n/3)
		}
	}
	if len(disks) != 1 || disks[0].Type != openecs.DiskSystem {
		t.Errorf("disks of a seeded instance: %+v", disks)
	}

	// The same instance made by RunInstances differs only in what is
	// random or placed.
	c := Caller{AccountID: boot.ID, Action: "CreateInstance"}
	run, err := s.RunInstances(ctx, c, RunRequest{RegionID: seeded.RegionID, ZoneID: seeded.ZoneID, ImageID: seedImage,
		InstanceType: seeded.InstanceType, ChargeType: openecs.PostPaid, Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	made, _ := s.InstanceDetail(ctx, run.InstanceIDs[0])
	a, b := *seeded, *made.Instance
	for _, in := range []*openecs.Instance{&a, &b} {
		in.Seq, in.ID, in.Name, in.HostName, in.PrivateIP, in.NetworkInterfaceID, in.MacAddress, in.SerialNumber = 0, "", "", "", "", "", "", ""
		in.CreatedAt, in.Version = time.Time{}, 0
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("a seeded instance differs from a created one:\nseeded  %+v\ncreated %+v", a, b)
	}

	// Seeded instances start, and transitional ones finish on the clock.
	if _, err := s.StartInstances(ctx, Caller{AccountID: boot.ID, Action: "StartInstance"}, PowerRequest{InstanceIDs: []string{seeded.ID}}); err != nil {
		t.Fatalf("StartInstance on a seeded instance: %v", err)
	}
	if _, err := s.AdvanceClock(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	var starting int
	s.store.View(ctx, func(r openecs.Reader) error {
		starting, err = r.CountInstances(openecs.InstanceFilter{Statuses: []openecs.Status{openecs.StatusStarting}})
		return err
	})
	if starting != 0 {
		t.Errorf("%d instances still Starting after the transition delay", starting)
	}
}

func TestSeedRefusesBadRequests(t *testing.T) {
	s, _ := newTestService(t, 0)
	for name, r := range map[string]SeedRequest{
		"too many":       {Instances: MaxSeedPerCall + 1},
		"unknown region": {Instances: 1, Regions: []string{"mars-1"}},
		"unknown status": {Instances: 1, Statuses: map[openecs.Status]float64{"Flying": 1}},
		"zero shares":    {Instances: 1, Statuses: map[openecs.Status]float64{openecs.StatusRunning: 0}},
		"no account":     {Instances: 1, AccountIDs: []string{"nope"}},
	} {
		if _, err := s.Seed(context.Background(), r, nil); err == nil {
			t.Errorf("%s: no error", name)
		} else if _, ok := err.(*ErrBadRequest); !ok {
			t.Errorf("%s: %v is not a bad request", name, err)
		}
	}
}
