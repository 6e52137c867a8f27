package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// fullDisk returns a disk in which every field has a non-zero value (Seq and
// Version too: the store must overwrite them).
func fullDisk(id, account string) *openecs.Disk {
	return &openecs.Disk{
		Seq: 999, ID: id, InstanceID: "i-full", AccountID: account, RegionID: "cn-shanghai", ZoneID: "cn-shanghai-l",
		Type: openecs.DiskData, Category: "cloud_essd", SizeGiB: 500, Status: openecs.DiskInUse,
		Encrypted: true, KMSKeyID: "key-1", InArrears: true, Failed: true, CreatedAt: at(time.Minute),
		Name: "data-1", Description: "描述, with \"quotes\" and % _ *", PerformanceLevel: "PL2", ChargeType: openecs.PrePaid,
		Portable: true, DeleteWithInstance: true, Device: "/dev/xvdb", ImageID: "m-image", ResourceGroupID: "rg-1",
		AttachedAt: at(2 * time.Minute), DetachedAt: at(3 * time.Minute), TransitionJob: 42,
		DeleteAutoSnapshot: true, AutoSnapshotOff: true, BurstingEnabled: true,
		Tags: []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "owner", Value: "team, \"blue\""}}, Version: 77,
	}
}

// changeDisk changes every field UpdateDisk writes.
func changeDisk(d *openecs.Disk) {
	d.InstanceID, d.ZoneID, d.Category, d.SizeGiB, d.Status = "", "cn-shanghai-m", "cloud_ssd", 600, openecs.DiskAvailable
	d.Encrypted, d.KMSKeyID, d.InArrears, d.Failed = false, "", false, false
	d.Name, d.Description, d.PerformanceLevel, d.ChargeType = "renamed", "", "PL1", openecs.PostPaid
	d.Portable, d.DeleteWithInstance, d.Device, d.ImageID, d.ResourceGroupID = false, false, "", "", "rg-2"
	d.AttachedAt, d.DetachedAt, d.TransitionJob = at(4*time.Minute), at(5*time.Minute), 0
	d.DeleteAutoSnapshot, d.AutoSnapshotOff, d.BurstingEnabled = false, false, false
	d.Tags = []openecs.Tag{{Key: "env", Value: "dev"}}
}

// immutableDiskFields are the fields UpdateDisk leaves as they were stored.
var immutableDiskFields = []string{"Seq", "ID", "AccountID", "RegionID", "Type", "CreatedAt", "Version"}

// checkDiskFixtures makes sure the fixtures cover every field of
// openecs.Disk.
func checkDiskFixtures(t *testing.T) {
	t.Helper()
	v := reflect.ValueOf(fullDisk("d-full", "a1")).Elem()
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("fullDisk leaves %s zero: give it a value so the round-trip test covers it", v.Type().Field(i).Name)
		}
	}
	changed := fullDisk("d-full", "a1")
	changeDisk(changed)
	c := reflect.ValueOf(changed).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if slices.Contains(immutableDiskFields, name) {
			continue
		}
		if reflect.DeepEqual(v.Field(i).Interface(), c.Field(i).Interface()) {
			t.Fatalf("changeDisk leaves %s as it was: change it so the update test covers it", name)
		}
	}
}

func getDisk(t *testing.T, s openecs.Store, id string) *openecs.Disk {
	t.Helper()
	return read(t, s, func(r openecs.Reader) (*openecs.Disk, error) { return r.Disk(id) })
}

func listDisks(t *testing.T, s openecs.Store, f openecs.DiskFilter) []string {
	t.Helper()
	ds := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) { return r.ListDisks(f) })
	out := []string{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func countDisks(t *testing.T, s openecs.Store, f openecs.DiskFilter) int {
	t.Helper()
	return read(t, s, func(r openecs.Reader) (int, error) { return r.CountDisks(f) })
}

func insertDisks(t *testing.T, s openecs.Store, ds ...*openecs.Disk) {
	t.Helper()
	exec(t, s, func(tx openecs.Tx) error {
		for _, d := range ds {
			if err := tx.InsertDisk(d); err != nil {
				return err
			}
		}
		return nil
	})
}

func testDiskResources(t *testing.T, h harness) {
	checkDiskFixtures(t)
	parallel(t, map[string]func(t *testing.T){
		"every field round-trips; InsertDisk sets Seq and Version": func(t *testing.T) {
			s := h.store(t)
			a, b := fullDisk("d-a", "a1"), fullDisk("d-b", "a1")
			insertDisks(t, s, a)
			insertDisks(t, s, b)
			if a.Seq == 999 || a.Version == 77 || a.Seq <= 0 || b.Seq <= a.Seq || a.Version != 1 {
				t.Fatalf("after two inserts Seq = %d, %d and Version = %d; want increasing sequences set by the store and version 1", a.Seq, b.Seq, a.Version)
			}
			checkDiff(t, "Disk", getDisk(t, s, a.ID), a)
			list := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) {
				return r.ListDisks(openecs.DiskFilter{IDs: []string{b.ID}})
			})
			if len(list) != 1 {
				t.Fatalf("ListDisks(IDs: [%s]) = %d disks, want 1", b.ID, len(list))
			}
			checkDiff(t, "ListDisks()[0]", &list[0], b)
		},
		"UpdateDisk writes every field and is compare-and-set": func(t *testing.T) {
			s := h.store(t)
			d := fullDisk("d-1", "a1")
			insertDisks(t, s, d)
			stale := *d
			changed := *d
			changeDisk(&changed)
			exec(t, s, func(tx openecs.Tx) error { return tx.UpdateDisk(&changed) })
			if changed.Version != d.Version+1 {
				t.Fatalf("UpdateDisk left Version %d, want %d", changed.Version, d.Version+1)
			}
			checkDiff(t, "Disk after UpdateDisk", getDisk(t, s, d.ID), &changed)
			wantErr(t, "UpdateDisk(stale version)", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateDisk(&stale) }), openecs.ErrConflict)
			checkDiff(t, "Disk after a lost compare-and-set", getDisk(t, s, d.ID), &changed)
			missing := fullDisk("d-missing", "a1")
			wantErr(t, "UpdateDisk(missing)", updateErr(s, func(tx openecs.Tx) error { return tx.UpdateDisk(missing) }), openecs.ErrNotFound)
			// The tag index follows the tags.
			if got := listDisks(t, s, openecs.DiskFilter{Tags: []openecs.Tag{{Key: "owner"}}}); len(got) != 0 {
				t.Fatalf("a tag removed by UpdateDisk still matches: %v", got)
			}
			if got := listDisks(t, s, openecs.DiskFilter{Tags: []openecs.Tag{{Key: "env", Value: "dev"}}}); !slices.Equal(got, []string{"d-1"}) {
				t.Fatalf("the tag set by UpdateDisk matches %v, want [d-1]", got)
			}
		},
		"ListDisks and CountDisks filter": func(t *testing.T) {
			s := h.store(t)
			mk := func(id, account, region, zone, instance string, typ openecs.DiskType, mod func(*openecs.Disk)) *openecs.Disk {
				d := &openecs.Disk{ID: id, InstanceID: instance, AccountID: account, RegionID: region, ZoneID: zone, Type: typ,
					Category: "cloud_essd", SizeGiB: 40, Status: openecs.DiskInUse, CreatedAt: base, ChargeType: openecs.PostPaid, DeleteWithInstance: true}
				if mod != nil {
					mod(d)
				}
				return d
			}
			insertDisks(t, s,
				mk("d-1", "a1", "cn-hangzhou", "cn-hangzhou-h", "i-1", openecs.DiskSystem, func(d *openecs.Disk) { d.Name = "sys" }),
				mk("d-2", "a1", "cn-hangzhou", "cn-hangzhou-h", "i-1", openecs.DiskData, func(d *openecs.Disk) {
					d.Portable, d.Tags = true, []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "blue"}}
				}),
				mk("d-3", "a1", "cn-hangzhou", "cn-hangzhou-h", "i-1", openecs.DiskLocal, func(d *openecs.Disk) { d.Category = "local_ssd_pro" }),
				mk("d-4", "a1", "cn-hangzhou", "cn-hangzhou-i", "", openecs.DiskData, func(d *openecs.Disk) {
					d.Status, d.Portable, d.DeleteWithInstance, d.Encrypted, d.KMSKeyID = openecs.DiskAvailable, true, false, true, "key-4"
					d.Tags = []openecs.Tag{{Key: "env", Value: "dev"}}
				}),
				mk("d-5", "a1", "cn-shanghai", "cn-shanghai-l", "i-9", openecs.DiskSystem, nil),
				mk("d-6", "a2", "cn-hangzhou", "cn-hangzhou-h", "i-2", openecs.DiskSystem, nil),
			)
			yes, no := true, false
			cases := []struct {
				name string
				f    openecs.DiskFilter
				want []string
			}{
				{"all", openecs.DiskFilter{}, []string{"d-1", "d-2", "d-3", "d-4", "d-5", "d-6"}},
				{"account and region", openecs.DiskFilter{AccountID: "a1", RegionID: "cn-hangzhou"}, []string{"d-1", "d-2", "d-3", "d-4"}},
				{"zone", openecs.DiskFilter{ZoneID: "cn-hangzhou-i"}, []string{"d-4"}},
				{"ids", openecs.DiskFilter{IDs: []string{"d-4", "d-1", "d-none"}}, []string{"d-1", "d-4"}},
				{"empty ids match nothing", openecs.DiskFilter{IDs: []string{}}, []string{}},
				{"instance", openecs.DiskFilter{InstanceID: "i-1"}, []string{"d-1", "d-2", "d-3"}},
				{"system", openecs.DiskFilter{AccountID: "a1", Types: []openecs.DiskType{openecs.DiskSystem}}, []string{"d-1", "d-5"}},
				{"data and local", openecs.DiskFilter{InstanceID: "i-1", Types: []openecs.DiskType{openecs.DiskData, openecs.DiskLocal}}, []string{"d-2", "d-3"}},
				{"category", openecs.DiskFilter{Category: "local_ssd_pro"}, []string{"d-3"}},
				{"status", openecs.DiskFilter{Statuses: []openecs.DiskStatus{openecs.DiskAvailable}}, []string{"d-4"}},
				{"name", openecs.DiskFilter{Name: "sys"}, []string{"d-1"}},
				{"portable", openecs.DiskFilter{AccountID: "a1", Portable: &yes}, []string{"d-2", "d-4"}},
				{"not portable", openecs.DiskFilter{AccountID: "a1", RegionID: "cn-hangzhou", Portable: &no}, []string{"d-1", "d-3"}},
				{"delete with instance false", openecs.DiskFilter{DeleteWithInstance: &no}, []string{"d-4"}},
				{"encrypted", openecs.DiskFilter{Encrypted: &yes}, []string{"d-4"}},
				{"key", openecs.DiskFilter{KMSKeyID: "key-4"}, []string{"d-4"}},
				{"tag key", openecs.DiskFilter{Tags: []openecs.Tag{{Key: "env"}}}, []string{"d-2", "d-4"}},
				{"tag key and value", openecs.DiskFilter{Tags: []openecs.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "blue"}}}, []string{"d-2"}},
				{"tags all must match", openecs.DiskFilter{Tags: []openecs.Tag{{Key: "env", Value: "dev"}, {Key: "team"}}}, []string{}},
			}
			for _, c := range cases {
				if got := listDisks(t, s, c.f); !slices.Equal(got, c.want) {
					t.Fatalf("%s: ListDisks = %v, want %v", c.name, got, c.want)
				}
				if n := countDisks(t, s, c.f); n != len(c.want) {
					t.Fatalf("%s: CountDisks = %d, want %d", c.name, n, len(c.want))
				}
			}
			// Paging: keyset, offset and limit; the count ignores them.
			all := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) {
				return r.ListDisks(openecs.DiskFilter{AccountID: "a1"})
			})
			f := openecs.DiskFilter{AccountID: "a1", AfterSeq: all[1].Seq, Limit: 2}
			if got := listDisks(t, s, f); !slices.Equal(got, []string{"d-3", "d-4"}) {
				t.Fatalf("AfterSeq d-2, Limit 2: %v, want [d-3 d-4]", got)
			}
			if n := countDisks(t, s, f); n != 5 {
				t.Fatalf("CountDisks with paging = %d, want 5 (paging ignored)", n)
			}
			if got := listDisks(t, s, openecs.DiskFilter{AccountID: "a1", Offset: 3}); !slices.Equal(got, []string{"d-4", "d-5"}) {
				t.Fatalf("Offset 3 without Limit: %v, want [d-4 d-5]", got)
			}
			if got := listDisks(t, s, openecs.DiskFilter{AccountID: "a1", Offset: 1, Limit: 1}); !slices.Equal(got, []string{"d-2"}) {
				t.Fatalf("Offset 1, Limit 1: %v, want [d-2]", got)
			}
		},
		"DeleteDisk removes the disk and its tags": func(t *testing.T) {
			s := h.store(t)
			d := fullDisk("d-1", "a1")
			insertDisks(t, s, d)
			exec(t, s, func(tx openecs.Tx) error { return tx.DeleteDisk("d-1") })
			wantErr(t, "Disk(deleted)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Disk("d-1")
				return err
			}), openecs.ErrNotFound)
			wantErr(t, "DeleteDisk(again)", updateErr(s, func(tx openecs.Tx) error { return tx.DeleteDisk("d-1") }), openecs.ErrNotFound)
			if got := listDisks(t, s, openecs.DiskFilter{Tags: []openecs.Tag{{Key: "env"}}}); len(got) != 0 {
				t.Fatalf("tags of a deleted disk still match: %v", got)
			}
			// The id may be used again, with none of the old tags.
			again := fullDisk("d-1", "a1")
			again.Tags = nil
			insertDisks(t, s, again)
			if got := getDisk(t, s, "d-1"); len(got.Tags) != 0 {
				t.Fatalf("a new disk with a deleted one's id has tags %v", got.Tags)
			}
		},
		"DeleteInstance removes its attached disks and user data, not the others": func(t *testing.T) {
			s := h.store(t)
			in := newInstance("i-1", "a1")
			insertInstances(t, s, in)
			attached, detached := fullDisk("d-att", "a1"), fullDisk("d-det", "a1")
			attached.InstanceID, detached.InstanceID = "i-1", ""
			insertDisks(t, s, attached, detached)
			exec(t, s, func(tx openecs.Tx) error { return tx.PutUserData("i-1", "IyEvYmluL3No") })
			exec(t, s, func(tx openecs.Tx) error { return tx.DeleteInstance("i-1") })
			wantErr(t, "Disk(attached to the deleted instance)", viewErr(s, func(r openecs.Reader) error {
				_, err := r.Disk("d-att")
				return err
			}), openecs.ErrNotFound)
			getDisk(t, s, "d-det")
			if got := listDisks(t, s, openecs.DiskFilter{Tags: []openecs.Tag{{Key: "env"}}}); !slices.Equal(got, []string{"d-det"}) {
				t.Fatalf("tags after DeleteInstance match %v, want [d-det]", got)
			}
			if ud := read(t, s, func(r openecs.Reader) (string, error) { return r.UserData("i-1") }); ud != "" {
				t.Fatalf("user data of a deleted instance: %q", ud)
			}
		},
		"Disks in a write transaction sees its own writes, and callers cannot change it": func(t *testing.T) {
			s := h.store(t)
			a, b := fullDisk("d-a", "a1"), fullDisk("d-b", "a1")
			a.InstanceID, b.InstanceID = "i-1", "i-1"
			insertDisks(t, s, a, b)
			errRollback := errors.New("roll back")
			// Read twice, changing what the first read returned; write; read.
			err := updateErr(s, func(tx openecs.Tx) error {
				first, err := tx.Disks("i-1")
				if err != nil {
					return err
				}
				first[0].Status, first[0].Tags[0].Value = "Changed", "changed"
				second, err := tx.Disks("i-1")
				if err != nil {
					return err
				}
				if second[0].Status != openecs.DiskInUse || second[0].Tags[0].Value != "prod" {
					return fmt.Errorf("a second read sees what the caller did to the first: %+v", second[0])
				}
				d := second[0]
				d.Status = openecs.DiskError
				if err := tx.UpdateDisk(&d); err != nil {
					return err
				}
				third, err := tx.Disks("i-1")
				if err != nil {
					return err
				}
				if third[0].Status != openecs.DiskError {
					return fmt.Errorf("a read after UpdateDisk does not see it: %s", third[0].Status)
				}
				if err := tx.DeleteDisk("d-b"); err != nil {
					return err
				}
				if fourth, err := tx.Disks("i-1"); err != nil || len(fourth) != 1 {
					return fmt.Errorf("a read after DeleteDisk: %d disks, %v", len(fourth), err)
				}
				return errRollback
			})
			wantErr(t, "the update", err, errRollback)
			// Rolled back: both disks as they were, in later transactions too.
			for range 2 {
				got := read(t, s, func(r openecs.Reader) ([]openecs.Disk, error) { return r.Disks("i-1") })
				if len(got) != 2 || got[0].Status != openecs.DiskInUse {
					t.Fatalf("after a rolled-back update: %d disks, first %s", len(got), got[0].Status)
				}
				exec(t, s, func(tx openecs.Tx) error {
					ds, err := tx.Disks("i-1")
					if err != nil {
						return err
					}
					if len(ds) != 2 || ds[0].Status != openecs.DiskInUse {
						return fmt.Errorf("a write transaction after the rollback sees %d disks, first %s", len(ds), ds[0].Status)
					}
					return nil
				})
			}
		},
		"user data: put, replace, remove; none is empty": func(t *testing.T) {
			s := h.store(t)
			get := func(id string) string {
				return read(t, s, func(r openecs.Reader) (string, error) { return r.UserData(id) })
			}
			if got := get("i-1"); got != "" {
				t.Fatalf("UserData(never set) = %q, want empty", got)
			}
			big := make([]byte, 44000)
			for i := range big {
				big[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i%64]
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.PutUserData("i-1", "IyEvYmluL3No") })
			exec(t, s, func(tx openecs.Tx) error { return tx.PutUserData("i-2", string(big)) })
			if got := get("i-1"); got != "IyEvYmluL3No" {
				t.Fatalf("UserData = %q", got)
			}
			if got := get("i-2"); got != string(big) {
				t.Fatalf("UserData of 44000 characters came back with %d", len(got))
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.PutUserData("i-1", "ZWNobyBoaQ==") })
			if got := get("i-1"); got != "ZWNobyBoaQ==" {
				t.Fatalf("UserData after replacing = %q", got)
			}
			exec(t, s, func(tx openecs.Tx) error { return tx.PutUserData("i-1", "") })
			if got := get("i-1"); got != "" {
				t.Fatalf("UserData after removing = %q", got)
			}
			if got := get("i-2"); got != string(big) {
				t.Fatal("removing one instance's user data touched another's")
			}
		},
	})
}
