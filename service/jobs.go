package service

import (
	"context"
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
		if live {
			// The scheduler also takes the jobs that fell due while it ran
			// the previous batch, without a round through its loop.
			upTo = later(upTo, s.clock.Now())
		}
		var billed, nextJob time.Time
		var hasJob bool
		err := s.store.View(ctx, func(r openecs.Reader) error {
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
	err := s.store.Update(ctx, func(tx openecs.Tx) error {
		ran = nil
		jobs, err := tx.ClaimDueJobs(window, jobBatch)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if err := s.runJob(tx, j); err != nil {
				return &jobError{job: j, err: err}
			}
			if err := tx.DeleteJob(j.ID); err != nil {
				return err
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
			now, l := s.clock.Now(), s.JobLateness()
			for _, j := range ran {
				l.observe(now.Sub(j.DueAt))
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
			return tx.DeleteJob(j.ID)
		})
		var je *jobError
		if errors.As(err, &je) {
			s.log.Error("job failed; retrying later", "job", je.job.ID, "kind", je.job.Kind, "ref", je.job.Ref, "attempt", je.job.Attempts+1, "err", je.err)
			backoff := time.Duration(1<<min(je.job.Attempts, 10)) * time.Second
			if rerr := s.store.Update(ctx, func(tx openecs.Tx) error {
				return tx.RescheduleJob(je.job.ID, je.job.DueAt.Add(backoff), je.job.Attempts+1)
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

// runJob dispatches a job to its handler. Handlers take the job's due time as
// "now", so a clock advance replays history at the right times.
func (s *Service) runJob(tx openecs.Tx, j openecs.Job) error {
	switch j.Kind {
	case openecs.JobTransition:
		return s.finishTransition(tx, j)
	case openecs.JobSuspendAccount:
		return s.suspendAccountJob(tx, j)
	case openecs.JobRelease:
		return s.releaseJob(tx, j)
	case openecs.JobExpire:
		return s.expireJob(tx, j)
	}
	if h, ok := jobHandlers[j.Kind]; ok {
		return h(s, tx, j)
	}
	s.log.Warn("dropping a job of unknown kind", "kind", j.Kind, "id", j.ID)
	return nil
}

// jobHandlers holds the handlers of job kinds that later capabilities add
// (reserved-instance expiry, spot reclaim, …); each registers in an init.
var jobHandlers = map[string]func(*Service, openecs.Tx, openecs.Job) error{}

// RegisterJob adds a handler for a job kind.
func RegisterJob(kind string, h func(*Service, openecs.Tx, openecs.Job) error) { jobHandlers[kind] = h }

// NextWake returns when the scheduler should next look: the earliest job or
// billing point.
func (s *Service) NextWake(ctx context.Context) (time.Time, error) {
	var next time.Time
	err := s.store.View(ctx, func(r openecs.Reader) error {
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
	return next, err
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
