package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/openecs/openecs"
)

// jobBatch bounds how many due jobs one commit runs.
const jobBatch = 256

// RunDue runs, in due order, every job and billing point due at or before
// upTo, and returns how many it ran. Jobs due at or before a billing point run
// before it. The background scheduler calls it with the current time; a clock
// advance calls it with the new time and returns once it is done. Across
// replicas, job claims and the billing watermark make each run exactly once;
// a job another replica is running is waited for.
func (s *Service) RunDue(ctx context.Context, upTo time.Time) (int, error) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	live := isLive(ctx)
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var billed, nextJob time.Time
		var hasJob bool
		err := s.store.View(ctx, func(r openecs.Reader) error {
			if live {
				// The scheduler also takes the jobs that fell due while it
				// ran the previous batch, without a round through its loop.
				upTo = later(upTo, r.Now())
			}
			v, err := r.Meta(metaBilledHour)
			if err != nil {
				return fmt.Errorf("billing watermark: %w", err)
			}
			if billed, err = parseMillis(v); err != nil {
				return err
			}
			nextJob, hasJob, err = r.NextJobDue()
			return err
		})
		if err != nil {
			return total, err
		}
		nextBill := billed.Add(time.Hour)
		limit := upTo
		if !nextBill.After(upTo) {
			limit = nextBill
		}
		if hasJob && !nextJob.After(limit) {
			n, err := s.runJobs(ctx, nextJob, limit)
			total += n
			if err != nil {
				return total, err
			}
			if n == 0 {
				// Due jobs exist but another replica holds them: wait for it.
				select {
				case <-ctx.Done():
					return total, ctx.Err()
				case <-time.After(5 * time.Millisecond):
				}
			}
			continue
		}
		if !nextBill.After(upTo) {
			n, err := s.billingPoints(ctx, billed, upTo)
			total += n
			if err != nil {
				return total, err
			}
			continue
		}
		return total, nil
	}
}

// runJobs claims and runs a batch of jobs due by limit. The batch is bounded
// to jobs due before first + the transition delay, so that a follow-up a job
// schedules (never sooner than that delay) cannot be overtaken by a job
// claimed in the same batch.
func (s *Service) runJobs(ctx context.Context, first, limit time.Time) (int, error) {
	window := first
	if s.cfg.TransitionDelay > time.Millisecond {
		window = first.Add(s.cfg.TransitionDelay - time.Millisecond)
	}
	if window.After(limit) {
		window = limit
	}
	var ran []openecs.Job
	var now time.Time
	err := s.store.Update(ctx, func(tx openecs.Tx) error {
		ran, now = nil, tx.Now()
		jobs, err := tx.ClaimDueJobs(window, jobBatch)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if err := s.runJob(tx, j); err != nil {
				return &jobError{job: j, err: err}
			}
		}
		ran = jobs
		return nil
	})
	var je *jobError
	if errors.As(err, &je) {
		// One job failed: run the batch one job per commit, so the others go
		// through and the failing one is retried later with a backoff.
		return s.runJobsOneByOne(ctx, window)
	}
	if err == nil && len(ran) > 0 {
		if isLive(ctx) {
			for _, j := range ran {
				s.lateness.observe(now.Sub(j.DueAt))
			}
		}
		s.wake()
	}
	return len(ran), err
}

type jobError struct {
	job openecs.Job
	err error
}

func (e *jobError) Error() string {
	return fmt.Sprintf("job %d (%s %s): %v", e.job.ID, e.job.Kind, e.job.Ref, e.err)
}

func (s *Service) runJobsOneByOne(ctx context.Context, window time.Time) (int, error) {
	n := 0
	for range jobBatch {
		var claimed bool
		err := s.store.Update(ctx, func(tx openecs.Tx) error {
			jobs, err := tx.ClaimDueJobs(window, 1)
			if err != nil || len(jobs) == 0 {
				claimed = false
				return err
			}
			claimed = true
			j := jobs[0]
			if err := s.runJob(tx, j); err != nil {
				return &jobError{job: j, err: err}
			}
			return nil
		})
		var je *jobError
		if errors.As(err, &je) {
			s.log.Error("job failed; retrying later", "job", je.job.ID, "kind", je.job.Kind, "ref", je.job.Ref, "attempt", je.job.Attempts+1, "err", je.err)
			if rerr := s.store.Update(ctx, func(tx openecs.Tx) error {
				return tx.RescheduleJob(je.job.ID, je.job.DueAt.Add(backoff(je.job.Attempts)), je.job.Attempts+1)
			}); rerr != nil {
				return n, rerr
			}
			n++
			continue
		}
		if err != nil {
			return n, err
		}
		if !claimed {
			break
		}
		n++
	}
	return n, nil
}

// backoff is how long a failed or deferred job waits before its next try.
func backoff(attempts int) time.Duration { return time.Duration(1<<min(attempts, 10)) * time.Second }

// runJob runs a claimed job with its kind's handler and deletes it, in tx.
// Handlers take the job's due time as "now", so a clock advance replays
// history at the right times. A job whose kind this binary does not know —
// written by a newer replica during a rolling upgrade — is kept: deferred
// with a backoff from the transaction's time (so that a clock advance is not
// held up by it), counted, and retried until a binary that knows it runs it.
func (s *Service) runJob(tx openecs.Tx, j openecs.Job) error {
	w, ok := s.workers[j.Kind]
	if !ok {
		s.unknown.Add(1)
		s.log.Warn("deferring a job of a kind this binary does not know", "kind", j.Kind, "id", j.ID, "ref", j.Ref, "attempt", j.Attempts+1)
		return tx.RescheduleJob(j.ID, later(j.DueAt, tx.Now()).Add(backoff(j.Attempts)), j.Attempts+1)
	}
	if err := w(s, tx, j); err != nil {
		return err
	}
	return tx.DeleteJob(j.ID)
}

// UnknownJobs counts the runs of jobs whose kind this binary does not know
// (each one deferred, never dropped), since the start.
func (s *Service) UnknownJobs() uint64 { return s.unknown.Load() }

// jobArgs is the payload of one job kind; each kind has exactly one.
type jobArgs interface {
	Kind() openecs.JobKind
}

// worker runs one claimed job of its kind.
type worker func(s *Service, tx openecs.Tx, j openecs.Job) error

// workers is the table of job handlers, by kind.
type workers map[openecs.JobKind]worker

// newWorkers lists every job kind this binary runs, with its handler. To add
// a kind: a constant in the domain (job.go), a payload type with a Kind
// method, a handler taking it, and a line here.
func newWorkers() workers {
	w := workers{}
	addWorker(w, (*Service).finishTransition)
	addWorker(w, (*Service).suspendAccountJob)
	addWorker(w, (*Service).releaseJob)
	addWorker(w, (*Service).expireJob)
	addWorker(w, (*Service).reservedActivateJob)
	addWorker(w, (*Service).reservedExpireJob)
	addWorker(w, (*Service).spotReclaimJob)
	addWorker(w, (*Service).vpcAvailableJob)
	addWorker(w, (*Service).vswitchAvailableJob)
	addWorker(w, (*Service).diskTransitionJob)
	return w
}

// addWorker makes h the handler of T's kind. The payload is decoded here,
// the one place any job payload is read.
func addWorker[T jobArgs](w workers, h func(s *Service, tx openecs.Tx, j openecs.Job, args T) error) {
	var zero T
	kind := zero.Kind()
	if _, dup := w[kind]; dup {
		panic("service: two handlers for job kind " + string(kind))
	}
	w[kind] = func(s *Service, tx openecs.Tx, j openecs.Job) error {
		var args T
		if err := json.Unmarshal(j.Payload, &args); err != nil {
			return fmt.Errorf("decoding the payload of job %d (%s): %w", j.ID, j.Kind, err)
		}
		return h(s, tx, j, args)
	}
}

// schedule stores a job of args' kind acting on ref, due at due. The payload
// is encoded here, the one place any job payload is written.
func schedule[T jobArgs](tx openecs.Tx, ref string, due time.Time, args T) (*openecs.Job, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("encoding a %s job: %w", args.Kind(), err)
	}
	j := &openecs.Job{Kind: args.Kind(), Ref: ref, DueAt: due, Payload: b}
	if err := tx.InsertJob(j); err != nil {
		return nil, err
	}
	return j, nil
}

// NextWake returns when the scheduler should next look — the earliest job
// or billing point — and the virtual time now, read together.
func (s *Service) NextWake(ctx context.Context) (next, now time.Time, err error) {
	err = s.store.View(ctx, func(r openecs.Reader) error {
		now = r.Now()
		v, err := r.Meta(metaBilledHour)
		if err != nil {
			return err
		}
		billed, err := parseMillis(v)
		if err != nil {
			return err
		}
		next = billed.Add(time.Hour)
		due, ok, err := r.NextJobDue()
		if err != nil {
			return err
		}
		if ok && due.Before(next) {
			next = due
		}
		return nil
	})
	return next, now, err
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
