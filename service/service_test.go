package service

import (
	"context"
	"errors"
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
	wall := func() time.Time { return time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC) }
	st, err := sqlite.Open(context.Background(), sqlite.Options{Path: t.TempDir() + "/svc.db", Synchronous: "OFF", Wall: wall})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := DefaultConfig()
	cfg.TransitionDelay = delay
	s := New(st, wall, catalog.Builtin(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
	if err := s.store.Update(ctx, func(tx openecs.Tx) error {
		return s.finishTransition(tx, openecs.Job{ID: job.ID + 1000, Ref: id}, transitionArgs{To: openecs.StatusRunning})
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
	now, err := s.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.RunDue(ctx, now.Add(time.Hour)); err != nil || n == 0 {
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
	var kinds []openecs.EventKind
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	want := []openecs.EventKind{openecs.EventInstanceCreated, openecs.EventInstanceStatus, openecs.EventInstanceStatus, openecs.EventCharge}
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
	ctx := context.Background()
	before, err := s.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now, err := s.AdvanceClock(ctx, 36*time.Hour)
	if err != nil || now.Sub(before) != 36*time.Hour {
		t.Fatalf("advance: %v %v", now.Sub(before), err)
	}
	if after, err := s.Now(ctx); err != nil || after.Sub(before) != 36*time.Hour {
		t.Fatalf("the clock reads %v (%v) after the advance, want %v", after, err, before.Add(36*time.Hour))
	}
}

// TestClockAdvanceThatWouldOverflowIsRefused: an advance past the largest
// offset the clock keeps is refused and leaves the clock as it was, however
// the total is reached (issue: a wrapped offset made every later advance a
// no-op and sent the clock back after a restart).
func TestClockAdvanceThatWouldOverflowIsRefused(t *testing.T) {
	s, _ := newTestService(t, 0)
	ctx := context.Background()
	if _, err := s.AdvanceClock(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Now(ctx)
	for _, d := range []time.Duration{2562047 * time.Hour, openecs.MaxClockOffset, openecs.MaxClockOffset - time.Hour + time.Millisecond} {
		_, err := s.AdvanceClock(ctx, d)
		var bad *ErrBadRequest
		if !errors.As(err, &bad) {
			t.Fatalf("advance by %s: %v, want ErrBadRequest", d, err)
		}
		if now, _ := s.Now(ctx); !now.Equal(before) {
			t.Fatalf("a refused advance by %s moved the clock from %s to %s", d, before, now)
		}
	}
	// A sum of advances: with the offset an hour short of the bound (set
	// directly: replaying a century of billing points is not this test's
	// business), two more hours are refused.
	if err := s.store.Update(ctx, func(tx openecs.Tx) error {
		return tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(openecs.MaxClockOffset-time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	near, _ := s.Now(ctx)
	var bad *ErrBadRequest
	if _, err := s.AdvanceClock(ctx, 2*time.Hour); !errors.As(err, &bad) {
		t.Fatalf("an advance past the bound from near it: %v", err)
	}
	if now, _ := s.Now(ctx); !now.Equal(near) {
		t.Fatalf("the refused advance moved the clock from %s to %s", near, now)
	}
}

// TestJobOfUnknownKindIsKept: a job this binary does not know (a newer
// replica wrote it during a rolling upgrade) is deferred with a backoff and
// counted, never deleted; the jobs around it still run, and a clock advance
// is not held up by it.
func TestJobOfUnknownKindIsKept(t *testing.T) {
	s, a := newTestService(t, time.Minute)
	ctx := context.Background()
	now, err := s.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var unknown openecs.Job
	if err := s.store.Update(ctx, func(tx openecs.Tx) error {
		unknown = openecs.Job{Kind: "from.the.future", Ref: "x-1", DueAt: now.Add(time.Second), Payload: []byte(`{"v":2}`)}
		return tx.InsertJob(&unknown)
	}); err != nil {
		t.Fatal(err)
	}
	res, err := s.RunInstances(ctx, Caller{AccountID: a.ID, Action: "RunInstances"}, RunRequest{Start: true, RegionID: "cn-hangzhou",
		ImageID: "aliyun_3_x64_20G_alibase_20240819.vhd", InstanceType: "ecs.g7.large", ChargeType: openecs.PostPaid, Amount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdvanceClock(ctx, 3*time.Hour); err != nil {
		t.Fatalf("a clock advance over a job of unknown kind: %v", err)
	}
	if got := s.UnknownJobs(); got != 1 {
		t.Fatalf("UnknownJobs = %d, want 1 (one deferral, then it is due after the advance)", got)
	}
	var kept openecs.Job
	var found bool
	if err := s.store.Update(ctx, func(tx openecs.Tx) error {
		jobs, err := tx.ClaimDueJobs(now.Add(1000*time.Hour), 100)
		for _, j := range jobs {
			if j.ID == unknown.ID {
				kept, found = j, true
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("the job of unknown kind was dropped")
	}
	after, _ := s.Now(ctx)
	if kept.Attempts != 1 || !kept.DueAt.After(after) || string(kept.Payload) != `{"v":2}` || kept.Kind != "from.the.future" {
		t.Fatalf("kept job %+v; want attempts 1, due after %s, payload and kind as written", kept, after)
	}
	d, err := s.InstanceDetail(ctx, res.InstanceIDs[0])
	if err != nil || d.Instance.Status != openecs.StatusRunning {
		t.Fatalf("the instance's own transitions did not run around the unknown job: %v %v", d, err)
	}
}
