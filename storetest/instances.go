package storetest

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// immutableInstanceFields are the fields UpdateInstance does not write: the
// identity of an instance and its creation.
var immutableInstanceFields = []string{"Seq", "ID", "AccountID", "RegionID", "CreatedAt", "Version"}

// changeInstance gives every mutable field of in a new value, different from
// the one fullInstance sets.
func changeInstance(in *openecs.Instance) {
	in.ZoneID, in.InstanceType, in.Family = "cn-shanghai-m", "ecs.g8i.xlarge", "ecs.g8i"
	in.CPU, in.MemoryMiB, in.GPUAmount = 4, 16384, 2
	in.LocalStorage = openecs.LocalStorage{Amount: 1, Capacity: 894, Category: "local_ssd"}
	in.ImageID, in.OSName, in.OSNameEn, in.OSType = "win2022_dc", "Windows Server 2022", "Windows Server 2022 en", "windows"
	in.Name, in.Description, in.HostName = "renamed", "changed", "iZbp1renamed"
	in.Status, in.ChargeType, in.StoppedMode = openecs.StatusRunning, openecs.PostPaid, openecs.StopCharging
	in.BillingState, in.Locks = openecs.BillingImageExpired, []openecs.LockReason{openecs.LockRecycling}
	in.SpotStrategy, in.SpotPriceLimit, in.SpotInterruptionBehavior, in.SpotDuration = openecs.SpotAsPriceGo, openecs.MustMoney("0.000001"), "Terminate", 6
	in.HourlyPrice = openecs.MustMoney("0.0875")
	in.InternetChargeType, in.InternetMaxBandwidthIn, in.InternetMaxBandwidthOut = "PayByBandwidth", 100, 5
	in.VpcID, in.VSwitchID, in.SecurityGroupIDs = "vpc-new", "vsw-new", []string{"sg-new"}
	in.PrivateIP, in.PublicIP, in.NetworkInterfaceID = "10.0.0.9", "39.1.2.3", "eni-new"
	in.MacAddress, in.SerialNumber, in.KeyPairName, in.ResourceGroupID = "00:16:3e:aa:bb:cc", "serial-new", "other-key", "rg-new"
	in.DeletionProtection, in.IoOptimized, in.CreditSpecification = false, false, "Standard"
	in.EnableJumboFrame, in.Maintenance = false, openecs.Maintenance{Windows: []openecs.MaintenanceWindow{{Start: "18:00:00Z", End: "19:00:00Z"}}}
	in.Period, in.PeriodUnit, in.AutoRenew, in.AutoRenewPeriod, in.NotRenewal = 1, "Week", false, 1, false
	in.StartedAt, in.ExpiredAt, in.AutoReleaseAt, in.SuspendedAt = at(time.Hour), at(time.Hour+time.Millisecond), time.Time{}, time.Time{}
	in.HoldsCapacity, in.HostReady, in.TransitionJob = false, false, 0
	in.Tags = []openecs.Tag{{Key: "env", Value: "dev"}}
}

// checkFixtures makes sure the fixtures still cover every field of
// openecs.Instance, so that a field added later is not silently left out of
// the round-trip tests.
func checkFixtures(t *testing.T) {
	t.Helper()
	full := fullInstance("i-full", "a1")
	v := reflect.ValueOf(full).Elem()
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("fullInstance leaves %s zero: give it a value so the round-trip test covers it", v.Type().Field(i).Name)
		}
	}
	changed := fullInstance("i-full", "a1")
	changeInstance(changed)
	c := reflect.ValueOf(changed).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if slices.Contains(immutableInstanceFields, name) {
			continue
		}
		if reflect.DeepEqual(v.Field(i).Interface(), c.Field(i).Interface()) {
			t.Fatalf("changeInstance leaves %s as it was: change it so the update test covers it", name)
		}
	}
}

func testInstances(t *testing.T, h harness) {
	checkFixtures(t)
	parallel(t, map[string]func(t *testing.T){
		"InsertInstance sets Seq and Version": func(t *testing.T) {
			s := h.store(t)
			a, b := fullInstance("i-a", "a1"), fullInstance("i-b", "a1")
			a.Seq, a.Version, b.Seq, b.Version = 0, 0, 0, 0
			insertInstances(t, s, a)
			insertInstances(t, s, b)
			if a.Seq <= 0 || b.Seq <= a.Seq {
				t.Fatalf("Seq after two inserts = %d, %d; want positive and increasing", a.Seq, b.Seq)
			}
			if a.Version == 0 {
				t.Fatal("InsertInstance left Version 0")
			}
			for _, in := range []*openecs.Instance{a, b} {
				got := getInstance(t, s, in.ID)
				if got.Seq != in.Seq || got.Version != in.Version {
					t.Fatalf("%s stored Seq, Version = %d, %d; InsertInstance set %d, %d", in.ID, got.Seq, got.Version, in.Seq, in.Version)
				}
			}
		},
		"every field round-trips": func(t *testing.T) {
			s := h.store(t)
			want := fullInstance("i-full", "a1")
			insertInstances(t, s, want)
			if want.Seq == 999 || want.Version == 77 {
				t.Fatalf("InsertInstance kept the caller's Seq %d / Version %d instead of setting its own", want.Seq, want.Version)
			}
			checkDiff(t, "Instance", getInstance(t, s, want.ID), want)
			list := read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
				return r.Instances(openecs.InstanceFilter{IDs: []string{want.ID}})
			})
			if len(list) != 1 {
				t.Fatalf("Instances(IDs: [%s]) returned %d instances, want 1", want.ID, len(list))
			}
			checkDiff(t, "Instances()[0]", list[0], want)
		},
		"zero values round-trip": func(t *testing.T) {
			s := h.store(t)
			want := &openecs.Instance{ID: "i-zero", AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h",
				InstanceType: "ecs.t6", Family: "ecs.t6", ImageID: "img", Status: openecs.StatusPending, ChargeType: openecs.PostPaid,
				StoppedMode: openecs.NotApplicable, BillingState: openecs.BillingNormal, CreatedAt: base}
			insertInstances(t, s, want)
			got := getInstance(t, s, want.ID)
			checkDiff(t, "Instance", got, want)
			if got.HostReady || got.HoldsCapacity || got.DeletionProtection || !got.StartedAt.IsZero() || !got.ExpiredAt.IsZero() {
				t.Fatalf("zero flags or times came back set: HostReady %v, HoldsCapacity %v, DeletionProtection %v, StartedAt %v, ExpiredAt %v",
					got.HostReady, got.HoldsCapacity, got.DeletionProtection, got.StartedAt, got.ExpiredAt)
			}
		},
		"an update sees its own writes": func(t *testing.T) {
			s := h.store(t)
			in := fullInstance("i-own", "a1")
			got := write(t, s, func(tx openecs.Tx) (*openecs.Instance, error) {
				if err := tx.InsertInstance(in); err != nil {
					return nil, err
				}
				return tx.Instance(in.ID)
			})
			checkDiff(t, "Instance read in the inserting transaction", got, in)
		},
		"duplicate id is ErrConflict": func(t *testing.T) {
			s := h.store(t)
			insertInstances(t, s, newInstance("i-dup", "a1"))
			wantErr(t, "InsertInstance(duplicate)", updateErr(s, func(tx openecs.Tx) error {
				return tx.InsertInstance(newInstance("i-dup", "a2"))
			}), openecs.ErrConflict)
			if got := getInstance(t, s, "i-dup").AccountID; got != "a1" {
				t.Fatalf("after a rejected duplicate the instance belongs to %q, want a1", got)
			}
		},
		"missing is ErrNotFound": func(t *testing.T) {
			s := h.store(t)
			wantErr(t, "Instance(missing)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Instance("i-missing")
				return err
			}), openecs.ErrNotFound)
			wantErr(t, "DeleteInstance(missing)", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-missing") }), openecs.ErrNotFound)
			err := updateErr(s, func(tx openecs.Tx) error { return tx.UpdateInstance(newInstance("i-missing", "a1")) })
			if !errors.Is(err, openecs.ErrConflict) && !errors.Is(err, openecs.ErrNotFound) {
				t.Fatalf("UpdateInstance(missing): error = %v, want ErrConflict or ErrNotFound", err)
			}
		},
		"UpdateInstance writes every mutable field": func(t *testing.T) {
			s := h.store(t)
			orig := fullInstance("i-upd", "a1")
			other := fullInstance("i-other", "a1")
			insertInstances(t, s, orig, other)
			want := getInstance(t, s, orig.ID)
			changeInstance(want)
			before := want.Version
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(want) })
			if want.Version != before+1 {
				t.Fatalf("UpdateInstance set Version to %d, want %d (incremented)", want.Version, before+1)
			}
			checkDiff(t, "updated instance", getInstance(t, s, orig.ID), want)
			checkDiff(t, "untouched instance", getInstance(t, s, other.ID), other)

			// A second update from the new version works too.
			want.Name = "renamed again"
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(want) })
			checkDiff(t, "instance after a second update", getInstance(t, s, orig.ID), want)
		},
		"UpdateInstance with a stale Version is ErrConflict and changes nothing": func(t *testing.T) {
			s := h.store(t)
			insertInstances(t, s, newInstance("i-cas", "a1"))
			first, stale := getInstance(t, s, "i-cas"), getInstance(t, s, "i-cas")
			first.Status = openecs.StatusStopping
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(first) })

			stale.Name, stale.Status = "lost update", openecs.StatusStopped
			staleVersion := stale.Version
			wantErr(t, "UpdateInstance(stale)", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateInstance(stale) }), openecs.ErrConflict)
			if stale.Version != staleVersion {
				t.Fatalf("a failed UpdateInstance moved Version from %d to %d", staleVersion, stale.Version)
			}
			checkDiff(t, "instance after a stale update", getInstance(t, s, "i-cas"), first)
		},
		"concurrent compare-and-set: exactly one writer wins": func(t *testing.T) {
			s := h.store(t)
			insertInstances(t, s, newInstance("i-race", "a1"))
			snapshot := getInstance(t, s, "i-race")
			const writers = 20
			errs := make([]error, writers)
			var wg sync.WaitGroup
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = updateErr(s, func(tx openecs.Tx) error {
						mine := *snapshot
						mine.Name = "writer-" + strconv.Itoa(i)
						return tx.UpdateInstance(&mine)
					})
				}()
			}
			wg.Wait()
			won := 0
			for i, err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, openecs.ErrConflict):
					t.Fatalf("writer %d: error = %v, want nil or ErrConflict", i, err)
				}
			}
			if won != 1 {
				t.Fatalf("%d of %d concurrent updates from the same version succeeded, want exactly 1", won, writers)
			}
			if got := getInstance(t, s, "i-race").Version; got != snapshot.Version+1 {
				t.Fatalf("Version after the race = %d, want %d", got, snapshot.Version+1)
			}
		},
		"tags follow UpdateInstance": func(t *testing.T) {
			s := h.store(t)
			in := newInstance("i-tags", "a1", func(in *openecs.Instance) { in.Tags = []openecs.Tag{{Key: "env", Value: "prod"}} })
			insertInstances(t, s, in)
			byTag := func(tags ...openecs.Tag) []string {
				t.Helper()
				return ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
					return r.Instances(openecs.InstanceFilter{Tags: tags})
				}))
			}
			in.Tags = []openecs.Tag{{Key: "env", Value: "dev"}, {Key: "team", Value: "blue"}}
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(in) })
			if got := byTag(openecs.Tag{Key: "env", Value: "prod"}); len(got) != 0 {
				t.Fatalf("tag filter env=prod after retagging to env=dev = %v, want none", got)
			}
			if got := byTag(openecs.Tag{Key: "env", Value: "dev"}, openecs.Tag{Key: "team"}); !slices.Equal(got, []string{"i-tags"}) {
				t.Fatalf("tag filter env=dev, team after retagging = %v, want [i-tags]", got)
			}
			in.Tags = nil
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateInstance(in) })
			if got := byTag(openecs.Tag{Key: "env"}); len(got) != 0 {
				t.Fatalf("tag filter env after removing every tag = %v, want none", got)
			}
			if got := getInstance(t, s, "i-tags").Tags; len(got) != 0 {
				t.Fatalf("Tags after removing every tag = %v, want none", got)
			}
		},
		"DeleteInstance removes the instance, its tags and disks": func(t *testing.T) {
			s := h.store(t)
			gone := newInstance("i-gone", "a1", func(in *openecs.Instance) { in.Tags = []openecs.Tag{{Key: "env", Value: "prod"}} })
			kept := newInstance("i-kept", "a1")
			insertInstances(t, s, gone, kept)
			exec(t, s, func(tx openecs.Tx) error {
				for _, d := range []*openecs.Disk{
					newDisk("d-gone-sys", gone.ID, openecs.DiskSystem, 0),
					newDisk("d-gone-data", gone.ID, openecs.DiskData, 1),
					newDisk("d-kept-sys", kept.ID, openecs.DiskSystem, 0),
				} {
					if err := tx.InsertDisk(d); err != nil {
						return err
					}
				}
				return nil
			})
			exec(t, s, func(tx openecs.Tx) error { return tx.DeleteInstance(gone.ID) })

			wantErr(t, "Instance(deleted)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Instance(gone.ID)
				return err
			}), openecs.ErrNotFound)
			if d := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) { return r.Disks(gone.ID) }); len(d) != 0 {
				t.Fatalf("Disks(deleted instance) = %d disks, want 0", len(d))
			}
			wantErr(t, "Disk(disk of deleted instance)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Disk("d-gone-data")
				return err
			}), openecs.ErrNotFound)
			if d := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) { return r.Disks(kept.ID) }); len(d) != 1 {
				t.Fatalf("Disks(other instance) = %d disks, want 1", len(d))
			}
			if n := read(t, s, func(r openecs.Reader) (int, error) { return r.CountInstances(openecs.InstanceFilter{}) }); n != 1 {
				t.Fatalf("CountInstances after delete = %d, want 1", n)
			}
			// The same id again, untagged: no old tag must cling to it.
			insertInstances(t, s, newInstance(gone.ID, "a1"))
			got := ids(read(t, s, func(r openecs.Reader) ([]*openecs.Instance, error) {
				return r.Instances(openecs.InstanceFilter{Tags: []openecs.Tag{{Key: "env"}}})
			}))
			if len(got) != 0 {
				t.Fatalf("tag filter env after deleting and re-creating %s untagged = %v, want none", gone.ID, got)
			}
		},
		"InstanceStatusCounts": func(t *testing.T) {
			s := h.store(t)
			if got := read(t, s, func(r openecs.Reader) (map[openecs.Status]int, error) { return r.InstanceStatusCounts() }); len(got) != 0 {
				t.Fatalf("InstanceStatusCounts on an empty store = %v, want empty", got)
			}
			statuses := []openecs.Status{openecs.StatusRunning, openecs.StatusRunning, openecs.StatusStopped, openecs.StatusPending, openecs.StatusRunning}
			for i, st := range statuses {
				account := "a1"
				if i%2 == 1 {
					account = "a2"
				}
				insertInstances(t, s, newInstance("i-"+strconv.Itoa(i), account, func(in *openecs.Instance) { in.Status = st }))
			}
			got := read(t, s, func(r openecs.Reader) (map[openecs.Status]int, error) { return r.InstanceStatusCounts() })
			want := map[openecs.Status]int{openecs.StatusRunning: 3, openecs.StatusStopped: 1, openecs.StatusPending: 1}
			for _, st := range openecs.Statuses {
				if got[st] != want[st] {
					t.Fatalf("InstanceStatusCounts = %v, want %v", got, want)
				}
			}
		},
	})
}
