package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/postgres/pgtest"
)

// TestDiskMigrationKeepsOldDisks is the PostgreSQL side of the SQLite test
// of the same name: migration 0007 keeps the disks made before it, gives
// them their instance's region and zone, keeps creation order and makes
// only pay-as-you-go data disks portable.
func TestDiskMigrationKeepsOldDisks(t *testing.T) {
	pgtest.Skip(t)
	t.Parallel()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s := open(t, url)
	mk := func(id string, charge openecs.ChargeType) *openecs.Instance {
		return &openecs.Instance{ID: id, AccountID: "a1", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", InstanceType: "ecs.g7.large",
			Family: "ecs.g7", ImageID: "img", Name: id, Status: openecs.StatusRunning, ChargeType: charge, StoppedMode: openecs.NotApplicable,
			BillingState: openecs.BillingNormal, HostReady: true}
	}
	if err := s.Update(ctx, func(tx openecs.Tx) error {
		if err := tx.InsertInstance(mk("i-pre", openecs.PrePaid)); err != nil {
			return err
		}
		return tx.InsertInstance(mk("i-post", openecs.PostPaid))
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TABLE disks`, `DROP TABLE disk_tags`, `DROP TABLE instance_user_data`, `DELETE FROM schema_migrations WHERE version = 7`,
		`CREATE TABLE disks (id TEXT COLLATE "C" PRIMARY KEY, instance_id TEXT NOT NULL, account_id TEXT NOT NULL, type TEXT NOT NULL,
			category TEXT NOT NULL, size_gib INTEGER NOT NULL, status TEXT NOT NULL, encrypted INTEGER NOT NULL DEFAULT 0,
			kms_key_id TEXT NOT NULL DEFAULT '', in_arrears INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)`,
		`INSERT INTO disks VALUES ('d-z-local', 'i-post', 'a1', 'local', 'local_ssd_pro', 894, 'In_use', 0, '', 0, 1, 1000)`,
		`INSERT INTO disks VALUES ('d-y-data', 'i-post', 'a1', 'data', 'cloud_essd', 100, 'In_use', 1, 'key-1', 0, 0, 1000)`,
		`INSERT INTO disks VALUES ('d-x-sys', 'i-post', 'a1', 'system', 'cloud_essd', 40, 'Error', 0, '', 1, 0, 1000)`,
		`INSERT INTO disks VALUES ('d-w-data', 'i-pre', 'a1', 'data', 'cloud_ssd', 50, 'In_use', 0, '', 0, 0, 500)`,
	} {
		if _, err := s.Write().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, url)
	defer s.Close()
	var post []openecs.Disk
	var pre *openecs.Disk
	if err := s.View(ctx, func(r openecs.Reader) error {
		var err error
		if post, err = r.Disks("i-post"); err != nil {
			return err
		}
		pre, err = r.Disk("d-w-data")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range post {
		ids = append(ids, d.ID)
		if d.RegionID != "cn-hangzhou" || d.ZoneID != "cn-hangzhou-h" || d.Version != 1 || !d.DeleteWithInstance || d.Portable != (d.Type == openecs.DiskData) {
			t.Fatalf("%s after the migration: %+v", d.ID, d)
		}
	}
	if want := []string{"d-x-sys", "d-y-data", "d-z-local"}; !slices.Equal(ids, want) {
		t.Fatalf("disks after the migration in order %v, want %v", ids, want)
	}
	if post[0].Status != "Error" || !post[0].InArrears || !post[1].Encrypted || post[1].KMSKeyID != "key-1" || !post[2].Failed {
		t.Fatalf("old columns lost: %+v", post)
	}
	if pre.Portable || pre.Seq >= post[0].Seq {
		t.Fatalf("the subscription instance's data disk: Portable %v, Seq %d (later system disk %d)", pre.Portable, pre.Seq, post[0].Seq)
	}
}
