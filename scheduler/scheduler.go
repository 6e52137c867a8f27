// Package scheduler runs the service's due work (transitions, billing points,
// suspensions, expiries, releases) in the background. All of that work lives
// in the store with a due time; the worker only decides when to look. It
// sleeps until the earliest due time, wakes early when a call schedules
// something sooner, and polls at least every MaxSleep so that work scheduled
// by another replica is picked up.
package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/openecs/openecs/service"
)

// Config configures the worker.
type Config struct {
	// MaxSleep bounds a sleep (default 1s).
	MaxSleep time.Duration
	// ErrorBackoff is the pause after a failed pass (default 500ms).
	ErrorBackoff time.Duration
	Logger       *slog.Logger
}

// Worker runs due work in the background.
type Worker struct {
	svc    *service.Service
	cfg    Config
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a stopped worker.
func New(svc *service.Service, cfg Config) *Worker {
	if cfg.MaxSleep <= 0 {
		cfg.MaxSleep = time.Second
	}
	if cfg.ErrorBackoff <= 0 {
		cfg.ErrorBackoff = 500 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Worker{svc: svc, cfg: cfg}
}

// Start starts the worker.
func (w *Worker) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go w.loop(ctx)
}

// Stop stops the worker and waits for the pass in progress (its commit is
// atomic, so stopping mid-pass loses nothing).
func (w *Worker) Stop() {
	if w.cancel == nil {
		return
	}
	w.cancel()
	<-w.done
}

func (w *Worker) loop(ctx context.Context) {
	defer close(w.done)
	for {
		sleep, err := w.runOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			w.cfg.Logger.Error("scheduler pass failed", "err", err)
			sleep = w.cfg.ErrorBackoff
		}
		t := time.NewTimer(sleep)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.svc.Kicked():
			t.Stop()
		case <-t.C:
		}
	}
}

// runOnce runs everything due now and returns how long to sleep.
func (w *Worker) runOnce(ctx context.Context) (time.Duration, error) {
	now, err := w.svc.Now(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := w.svc.RunDue(service.Live(ctx), now); err != nil {
		return 0, err
	}
	next, now, err := w.svc.NextWake(ctx)
	if err != nil {
		return 0, err
	}
	d := next.Sub(now)
	if d < 0 {
		d = 0
	}
	return min(d, w.cfg.MaxSleep), nil
}
