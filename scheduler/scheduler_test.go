package scheduler

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/service"
	"github.com/openecs/openecs/sqlite"
)

func newService(t *testing.T, wall func() time.Time, delay time.Duration) (*service.Service, *openecs.Account) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: t.TempDir() + "/s.db", Synchronous: "OFF", Wall: wall})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := service.DefaultConfig()
	cfg.TransitionDelay = delay
	s := service.New(st, wall, catalog.Builtin(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a, err := s.Init(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

func TestRunOnceRunsDueWorkAndSleepsUntilTheNext(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	s, a := newService(t, func() time.Time { return now }, 10*time.Second)
	w := New(s, Config{MaxSleep: time.Hour})
	ctx := context.Background()
	res, err := s.RunInstances(ctx, service.Caller{AccountID: a.ID, Action: "RunInstances"}, service.RunRequest{Start: true,
		RegionID: "cn-hangzhou", ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.g7.large", ChargeType: openecs.PostPaid, Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	sleep, err := w.runOnce(ctx)
	if err != nil || sleep != 10*time.Second {
		t.Fatalf("runOnce before anything is due: sleep %s, %v (want 10s, the Pending step)", sleep, err)
	}
	now = now.Add(10 * time.Second)
	if sleep, err = w.runOnce(ctx); err != nil || sleep != 10*time.Second {
		t.Fatalf("runOnce at the first step: sleep %s, %v", sleep, err)
	}
	now = now.Add(10 * time.Second)
	if _, err = w.runOnce(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := s.InstanceDetail(ctx, res.InstanceIDs[0])
	if err != nil || d.Instance.Status != openecs.StatusRunning {
		t.Fatalf("after both steps: %v %v", d.Instance.Status, err)
	}
	// Nothing left but the next billing point, an hour away at most.
	sleep, err = w.runOnce(ctx)
	if err != nil || sleep <= 0 || sleep > time.Hour {
		t.Fatalf("idle sleep %s, %v", sleep, err)
	}
}

func TestWorkerStartStop(t *testing.T) {
	s, a := newService(t, nil, 20*time.Millisecond)
	w := New(s, Config{})
	w.Start()
	defer w.Stop()
	res, err := s.RunInstances(context.Background(), service.Caller{AccountID: a.ID, Action: "RunInstances"}, service.RunRequest{Start: true,
		RegionID: "cn-hangzhou", ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.g7.large", ChargeType: openecs.PostPaid, Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second) // bounds a hung test; nothing asserts the time
	for {
		d, err := s.InstanceDetail(context.Background(), res.InstanceIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		if d.Instance.Status == openecs.StatusRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker never finished the transitions: %s", d.Instance.Status)
		}
		time.Sleep(5 * time.Millisecond)
	}
	w.Stop()
	w.Stop() // idempotent
}
