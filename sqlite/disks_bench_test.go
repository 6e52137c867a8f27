package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/openecs/openecs"
)

// BenchmarkDisksOfInstance is the read StartInstance and RebootInstance
// make (twice) for their disk and KMS checks: the disks of one instance
// (a system disk and a data disk), in a write transaction.
func BenchmarkDisksOfInstance(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	if err := s.Update(ctx, func(tx openecs.Tx) error {
		for i, typ := range []openecs.DiskType{openecs.DiskSystem, openecs.DiskData} {
			d := &openecs.Disk{ID: "d-" + string(typ), InstanceID: "i-1", AccountID: "a1", Type: typ, Category: "cloud_essd", SizeGiB: 40 + i,
				Status: openecs.DiskInUse, CreatedAt: now}
			if err := tx.InsertDisk(d); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Update(ctx, func(tx openecs.Tx) error {
			for range 2 {
				ds, err := tx.Disks("i-1")
				if err != nil {
					return err
				}
				if len(ds) != 2 {
					b.Errorf("%d disks", len(ds))
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
