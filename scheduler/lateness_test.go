package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/service"
)

// The scheduler records how late it ran each job; a clock advance, which
// replays due work on purpose, records nothing.
func TestRunOnceRecordsJobLateness(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s, a := newService(t, func() time.Time { return now }, 10*time.Second)
	w := New(s, Config{MaxSleep: time.Hour})
	ctx := context.Background()
	if _, err := s.RunInstances(ctx, service.Caller{AccountID: a.ID, Action: "RunInstances"}, service.RunRequest{Start: true,
		RegionID: "cn-hangzhou", ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.g7.large", ChargeType: openecs.PostPaid, Amount: 1}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(10*time.Second + 7*time.Millisecond) // the Pending step, 7 ms late
	if _, err := w.runOnce(ctx); err != nil {
		t.Fatal(err)
	}
	snap := s.JobLateness().Snapshot()
	if snap.Count != 1 || snap.CountsMS[7] != 1 || snap.MaxMS != 7 {
		t.Fatalf("after one job 7 ms late: count %d, bucket 7 = %d, max %v ms", snap.Count, snap.CountsMS[7], snap.MaxMS)
	}
	if _, err := s.AdvanceClock(ctx, time.Hour); err != nil { // runs the Starting step an hour "late"
		t.Fatal(err)
	}
	if got := s.JobLateness().Snapshot().Count; got != 1 {
		t.Fatalf("a clock advance recorded lateness: count %d, want 1", got)
	}
}
