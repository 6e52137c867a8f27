package storetest

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

func testDurability(t *testing.T, h harness) {
	parallel(t, map[string]func(t *testing.T){
		"writes survive closing and reopening": func(t *testing.T) {
			db := h.database(t)
			s1 := openOn(t, db)
			acct := newAccount("a1")
			key := &openecs.AccessKey{ID: "LTAIkey", AccountID: "a1", Secret: "secret", AllowedActions: []string{}, CreatedAt: base}
			vpc, vsw := newVpc("vpc-durable", "a1"), newVSwitch("vsw-durable", "vpc-durable", "a1", "172.16.3.0/24")
			in := fullInstance("i-durable", "a1")
			disk := newDisk("d-durable", in.ID, openecs.DiskSystem, 0)
			job := &openecs.Job{Kind: openecs.JobTransition, Ref: in.ID, DueAt: at(time.Minute), Payload: []byte(`{"to":"Running"}`), Attempts: 1}
			ev := &openecs.Event{At: base, AccountID: "a1", Kind: openecs.EventCharge, ResourceID: in.ID, Hour: at(time.Hour), Amount: openecs.MustMoney("0.5")}
			order := &openecs.Order{ID: "200000000000001", AccountID: "a1", Kind: "instance.buy", Amount: openecs.Yuan(3), CreatedAt: base, Resources: []string{in.ID}}
			fault := &openecs.Fault{Action: "StartInstance", Code: "X", Count: 2, Probability: 1, CreatedAt: base}
			idem := &openecs.IdempotencyRecord{AccountID: "a1", Action: "RunInstances", Token: "t", ParamsHash: "h", Response: []byte(`{}`), CreatedAt: base}
			exec(t, s1, func(tx openecs.Tx) error {
				for _, step := range []func() error{
					func() error { return tx.InsertAccount(acct) },
					func() error { return tx.InsertAccessKey(key) },
					func() error { return tx.InsertVpc(vpc) },
					func() error { return tx.InsertVSwitch(vsw) },
					func() error { return tx.InsertInstance(in) },
					func() error { return tx.InsertDisk(disk) },
					func() error { return tx.InsertJob(job) },
					func() error { return tx.AppendEvent(ev) },
					func() error { return tx.InsertOrder(order) },
					func() error { return tx.InsertFault(fault) },
					func() error { return tx.PutIdempotency(idem) },
					func() error { return tx.SetMeta("clock_offset_ms", "3600000") },
					func() error { return tx.SetImageExpired("m-market", true) },
					func() error {
						return tx.PutCapacity(openecs.Capacity{ZoneID: zone, InstanceType: itype, Available: ptr(3)})
					},
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return nil
			})
			// A second commit on top of the first.
			acct.Balance = write(t, s1, func(tx openecs.Tx) (openecs.Money, error) { return tx.AddBalance("a1", openecs.MustMoney("-0.000001")) })
			if !write(t, s1, func(tx openecs.Tx) (bool, error) { return tx.TakeCapacity(zone, itype) }) {
				t.Fatal("TakeCapacity with 3 free failed")
			}
			if err := s1.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}

			s2 := openOn(t, db)
			checkDiff(t, "account after reopen", read(t, s2, func(r openecs.Reader) (*openecs.Account, error) { return r.Account("a1") }), acct)
			gotKey := read(t, s2, func(r openecs.Reader) (*openecs.AccessKey, error) { return r.AccessKey(key.ID) })
			checkDiff(t, "access key after reopen", gotKey, key)
			if gotKey.AllowedActions == nil {
				t.Fatal("an empty allow-list came back nil (every action) after reopen")
			}
			checkDiff(t, "VPC after reopen", read(t, s2, func(r openecs.Reader) (*openecs.Vpc, error) { return r.Vpc(vpc.ID) }), vpc)
			checkDiff(t, "vSwitch after reopen", read(t, s2, func(r openecs.Reader) (*openecs.VSwitch, error) { return r.VSwitch(vsw.ID) }), vsw)
			checkDiff(t, "instance after reopen", getInstance(t, s2, in.ID), in)
			checkDiff(t, "disk after reopen", read(t, s2, func(r openecs.Reader) (*openecs.Disk, error) { return r.Disk(disk.ID) }), disk)
			jobs := write(t, s2, func(tx openecs.Tx) ([]openecs.Job, error) { return tx.ClaimDueJobs(at(time.Hour), 10) })
			if len(jobs) != 1 {
				t.Fatalf("jobs after reopen = %d, want 1", len(jobs))
			}
			checkDiff(t, "job after reopen", &jobs[0], job)
			evs := read(t, s2, func(r openecs.Reader) ([]openecs.Event, error) { return r.Events(openecs.EventFilter{}) })
			if len(evs) != 1 {
				t.Fatalf("events after reopen = %d, want 1", len(evs))
			}
			checkDiff(t, "event after reopen", &evs[0], ev)
			orders := read(t, s2, func(r openecs.Reader) ([]openecs.Order, error) { return r.Orders("a1", 10) })
			if len(orders) != 1 {
				t.Fatalf("orders after reopen = %d, want 1", len(orders))
			}
			checkDiff(t, "order after reopen", &orders[0], order)
			faults := read(t, s2, func(r openecs.Reader) ([]openecs.Fault, error) { return r.Faults() })
			if len(faults) != 1 {
				t.Fatalf("faults after reopen = %d, want 1", len(faults))
			}
			checkDiff(t, "fault after reopen", &faults[0], fault)
			checkDiff(t, "idempotency record after reopen", read(t, s2, func(r openecs.Reader) (*openecs.IdempotencyRecord, error) {
				return r.Idempotency("a1", "RunInstances", "t")
			}), idem)
			if v := read(t, s2, func(r openecs.Reader) (string, error) { return r.Meta("clock_offset_ms") }); v != "3600000" {
				t.Fatalf("meta after reopen = %q, want 3600000", v)
			}
			if !read(t, s2, func(r openecs.Reader) (bool, error) { return r.ImageExpired("m-market") }) {
				t.Fatal("image expiry lost on reopen")
			}
			if c := read(t, s2, func(r openecs.Reader) (*openecs.Capacity, error) { return r.Capacity(zone, itype) }); *c.Available != 2 {
				t.Fatalf("free capacity after reopen = %d, want 2", *c.Available)
			}
			if got := ids(read(t, s2, func(r openecs.Reader) ([]*openecs.Instance, error) {
				return r.Instances(openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "env", Value: "prod"}}})
			})); len(got) != 1 || got[0] != in.ID {
				t.Fatalf("tag filter after reopen = %v, want [%s]", got, in.ID)
			}

			// Sequences carry on where they were.
			next := newInstance("i-next", "a1")
			nextEv := &openecs.Event{At: base, Kind: openecs.EventClockAdvanced}
			nextJob := &openecs.Job{Kind: openecs.JobRelease, Ref: "i-next", DueAt: base}
			nextFault := &openecs.Fault{Action: "StopInstance", Code: "Y", Count: 1, Probability: 1, CreatedAt: base}
			exec(t, s2, func(tx openecs.Tx) error {
				for _, step := range []func() error{
					func() error { return tx.InsertInstance(next) },
					func() error { return tx.AppendEvent(nextEv) },
					func() error { return tx.InsertJob(nextJob) },
					func() error { return tx.InsertFault(nextFault) },
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return nil
			})
			if next.Seq <= in.Seq || nextEv.ID <= ev.ID || nextJob.ID <= job.ID || nextFault.ID <= fault.ID {
				t.Fatalf("ids after reopen went back: Seq %d→%d, event %d→%d, job %d→%d, fault %d→%d",
					in.Seq, next.Seq, ev.ID, nextEv.ID, job.ID, nextJob.ID, fault.ID, nextFault.ID)
			}
		},
		"an acknowledged update is never lost to a concurrent Close": func(t *testing.T) {
			db := h.database(t)
			s1 := openOn(t, db)
			const n = 100
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = updateErr(s1, func(tx openecs.Tx) error { return writeFootprint(tx, strconv.Itoa(i)) })
				}()
			}
			close(start)
			time.Sleep(time.Millisecond)
			if err := s1.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			wg.Wait()
			if err := s1.Update(context.Background(), func(tx openecs.Tx) error { return nil }); err == nil {
				t.Fatal("Update on a closed store returned nil, want an error")
			}

			s2 := openOn(t, db)
			for i, err := range errs {
				got, ferr := footprint(s2, strconv.Itoa(i))
				if ferr != nil {
					t.Fatalf("reading update %d: %v", i, ferr)
				}
				switch {
				case err == nil && got != 5:
					t.Fatalf("update %d was acknowledged but %d of its 5 writes survived the close", i, got)
				case err != nil && got != 0:
					t.Fatalf("update %d failed (%v) but %d of its writes are there", i, err, got)
				}
			}
		},
		"a second store over the same database sees committed writes": func(t *testing.T) {
			db := h.database(t)
			s1, s2 := openOn(t, db), openOn(t, db)
			exec(t, s1, func(tx openecs.Tx) error { return writeFootprint(tx, "one") })
			if n, err := footprint(s2, "one"); err != nil || n != 5 {
				t.Fatalf("the second store sees %d of 5 writes (err %v)", n, err)
			}
			exec(t, s2, func(tx openecs.Tx) error { return writeFootprint(tx, "two") })
			if n, err := footprint(s1, "two"); err != nil || n != 5 {
				t.Fatalf("the first store sees %d of the second's 5 writes (err %v)", n, err)
			}
			// Compare-and-set works across them.
			in := getInstance(t, s1, "i-one")
			in.Name = "from s2"
			exec(t, s2, func(tx openecs.Tx) error { return tx.UpdateInstance(in) })
			stale := getInstance(t, s1, "i-one")
			stale.Version--
			err := updateErr(s1, func(tx openecs.Tx) error { return tx.UpdateInstance(stale) })
			if !errors.Is(err, openecs.ErrConflict) {
				t.Fatalf("stale UpdateInstance through the other store: error = %v, want ErrConflict", err)
			}
		},
	})
}
