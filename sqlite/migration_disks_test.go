package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"github.com/openecs/openecs"
)

// TestDiskMigrationKeepsOldDisks checks migration 0007 on a database made
// before it: the disks of existing instances keep their rows, take their
// instance's region and zone, follow creation order (system, data, local),
// and only pay-as-you-go data disks become portable.
func TestDiskMigrationKeepsOldDisks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "openecs.db")
	s := open(t, path)
	pre := newMigrationInstance("i-pre", openecs.PrePaid)
	post := newMigrationInstance("i-post", openecs.PostPaid)
	if err := s.Update(ctx, func(tx openecs.Tx) error {
		if err := tx.InsertInstance(pre); err != nil {
			return err
		}
		return tx.InsertInstance(post)
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Back to the schema before 0007, with disks written the old way.
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE disks`, `DROP TABLE disk_tags`, `DROP TABLE instance_user_data`, `DELETE FROM schema_migrations WHERE version = 7`,
		`CREATE TABLE disks (id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, account_id TEXT NOT NULL, type TEXT NOT NULL, category TEXT NOT NULL,
			size_gib INTEGER NOT NULL, status TEXT NOT NULL, encrypted INTEGER NOT NULL DEFAULT 0, kms_key_id TEXT NOT NULL DEFAULT '',
			in_arrears INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)`,
		`INSERT INTO disks VALUES ('d-z-local', 'i-post', 'a1', 'local', 'local_ssd_pro', 894, 'In_use', 0, '', 0, 1, 1000)`,
		`INSERT INTO disks VALUES ('d-y-data', 'i-post', 'a1', 'data', 'cloud_essd', 100, 'In_use', 1, 'key-1', 0, 0, 1000)`,
		`INSERT INTO disks VALUES ('d-x-sys', 'i-post', 'a1', 'system', 'cloud_essd', 40, 'Error', 0, '', 1, 0, 1000)`,
		`INSERT INTO disks VALUES ('d-w-data', 'i-pre', 'a1', 'data', 'cloud_ssd', 50, 'In_use', 0, '', 0, 0, 500)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	var postDisks []openecs.Disk
	var preDisk *openecs.Disk
	if err := s.View(ctx, func(r openecs.Reader) error {
		var err error
		if postDisks, err = r.Disks("i-post"); err != nil {
			return err
		}
		preDisk, err = r.Disk("d-w-data")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range postDisks {
		ids = append(ids, d.ID)
		if d.RegionID != "cn-hangzhou" || d.ZoneID != "cn-hangzhou-h" || d.Version != 1 || !d.DeleteWithInstance {
			t.Fatalf("%s after the migration: region %q, zone %q, version %d, DeleteWithInstance %v", d.ID, d.RegionID, d.ZoneID, d.Version, d.DeleteWithInstance)
		}
		if want := d.Type == openecs.DiskData; d.Portable != want {
			t.Fatalf("%s (%s, pay-as-you-go instance) Portable = %v, want %v", d.ID, d.Type, d.Portable, want)
		}
	}
	if want := []string{"d-x-sys", "d-y-data", "d-z-local"}; !slices.Equal(ids, want) {
		t.Fatalf("disks after the migration in order %v, want %v", ids, want)
	}
	sys, data, local := postDisks[0], postDisks[1], postDisks[2]
	if sys.Status != "Error" || !sys.InArrears || !data.Encrypted || data.KMSKeyID != "key-1" || data.SizeGiB != 100 || !local.Failed {
		t.Fatalf("old columns lost: system %+v, data %+v, local %+v", sys, data, local)
	}
	if preDisk.Portable || preDisk.Seq >= sys.Seq {
		t.Fatalf("the subscription instance's data disk: Portable %v, Seq %d (system disk of the later instance: %d)", preDisk.Portable, preDisk.Seq, sys.Seq)
	}
}

func newMigrationInstance(id string, charge openecs.ChargeType) *openecs.Instance {
	return &openecs.Instance{ID: id, AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large",
		Family: "ecs.g7", ImageID: "img", Name: id, Status: openecs.StatusRunning, ChargeType: charge, StoppedMode: openecs.NotApplicable,
		BillingState: openecs.BillingNormal, HostReady: true}
}
