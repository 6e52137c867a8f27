package service

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
	"github.com/openecs/openecs/sqlite"
)

// newTestService returns a service on a fresh SQLite store with a wall clock
// pinned at wall.
func newTestService(t *testing.T, delay time.Duration) (*Service, *openecs.Account) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: t.TempDir() + "/svc.db", Synchronous: "OFF"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wall := time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)
	cfg := DefaultConfig()
	cfg.TransitionDelay = delay
	s := New(st, openecs.NewVirtualClock(func() time.Time { return wall }, 0), catalog.Builtin(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a, err := s.Init(context.Background())
	if err != nil || a == nil {
		t.Fatalf("Init: %v %v", a, err)
	}
	return s, a
}

func TestStaleTransitionJobDoesNothing(t *testing.T) {
	s, a := newTestService(t, time.Minute)
	ctx := context.Background()
	c := Caller{AccountID: a.ID, Action: "RunInstances"}
	res, err := s.RunInstances(ctx, c, RunRequest{Start: true, RegionID: "cn-hangzhou", ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd",
		InstanceType: "ecs.g7.large", ChargeType: openecs.PostPaid, Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := res.InstanceIDs[0]
	if _, err := s.AdvanceClock(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	// Stop it, then release it before the stop's transition job is due.
	if _, err := s.StopInstances(ctx, Caller{AccountID: a.ID, Action: "StopInstance"}, PowerRequest{InstanceIDs: []string{id}}); err != nil {
		t.Fatal(err)
	}
	var job openecs.Job
	if err := s.store.View(ctx, func(r openecs.Reader) error {
		in, err := r.Instance(id)
		if err != nil {
			return err
		}
		if in.Status != openecs.StatusStopping || in.TransitionJob == 0 {
			t.Fatalf("after StopInstance: %s, job %d", in.Status, in.TransitionJob)
		}
		job.ID, job.Ref = in.TransitionJob, id
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// A job that is not the instance's pending transition is ignored.
	p, _ := json.Marshal(transitionPayload{To: openecs.StatusRunning})
	if err := s.store.Update(ctx, func(tx openecs.Tx) error {
		return s.finishTransition(tx, openecs.Job{ID: job.ID + 1000, Ref: id, Payload: p})
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.store.View(ctx, func(r openecs.Reader) error {
		in, err := r.Instance(id)
		if err == nil && in.Status != openecs.StatusStopping {
			t.Fatalf("a stale job moved the instance to %s", in.Status)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteInstances(ctx, Caller{AccountID: a.ID, Action: "DeleteInstance"}, PowerRequest{InstanceIDs: []string{id}, Force: true}); err != nil {
		t.Fatal(err)
	}
	// The real job now finds no instance and completes quietly.
	if n, err := s.RunDue(ctx, s.clock.Now().Add(time.Hour)); err != nil || n == 0 {
		t.Fatalf("RunDue = %d, %v", n, err)
	}
}

func TestJobsBeforeTheBillingPoint(t *testing.T) {
	// The wall clock sits at 10:30; with a 30-minute delay a start lands at
	// exactly 11:00, the next billing point: the transition runs first, and
	// the hour is charged once.
	s, a := newTestService(t, 30*time.Minute)
	ctx := context.Background()
	res, err := s.RunInstances(ctx, Caller{AccountID: a.ID, Action: "CreateInstance"}, RunRequest{RegionID: "cn-hangzhou",
		ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.g7.large", ChargeType: openecs.PostPaid, Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartInstances(ctx, Caller{AccountID: a.ID, Action: "StartInstance"}, PowerRequest{InstanceIDs: res.InstanceIDs}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdvanceClock(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx, openecs.EventFilter{ResourceID: res.InstanceIDs[0]})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	want := []string{"instance.created", "instance.status", "instance.status", "charge"}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want %v", kinds, want)
		}
	}
	if evs[2].At != evs[3].Hour {
		t.Fatalf("the transition ran at %s, the billing point is %s", evs[2].At, evs[3].Hour)
	}
}

func TestClockOnlyMovesForward(t *testing.T) {
	s, _ := newTestService(t, 0)
	if _, err := s.AdvanceClock(context.Background(), -time.Hour); err == nil {
		t.Fatal("a negative advance was accepted")
	}
	before := s.clock.Now()
	now, err := s.AdvanceClock(context.Background(), 36*time.Hour)
	if err != nil || now.Sub(before) != 36*time.Hour {
		t.Fatalf("advance: %v %v", now.Sub(before), err)
	}
	s.clock.SetOffset(0) // ignored: the offset never shrinks
	if s.clock.Now().Sub(before) != 36*time.Hour {
		t.Fatal("the clock went back")
	}
}
