package service

import (
	"errors"
	"time"

	"github.com/openecs/openecs"
)

// transitionArgs is the payload of a transition job: the status to set
// and, for RunInstances' two steps, the status after that.
type transitionArgs struct {
	To   openecs.Status `json:"to"`
	Then openecs.Status `json:"then,omitempty"`
}

func (transitionArgs) Kind() openecs.JobKind { return openecs.JobTransition }

// setStatus changes the status and records the event; it does not write the
// instance.
func setStatus(tx openecs.Tx, in *openecs.Instance, to openecs.Status, at time.Time, cause string) error {
	if in.Status == to {
		return nil
	}
	from := in.Status
	in.Status = to
	if to == openecs.StatusRunning {
		in.StartedAt = at
	}
	return event(tx, at, in.AccountID, openecs.EventInstanceStatus, in.ID, cause, map[string]any{"from": string(from), "to": string(to)})
}

// begin starts a transition: the instance moves to via now and to `to` after
// the transition delay (then, if given, to `then` after another delay). With
// a zero delay every step completes in this commit. The caller writes the
// instance afterwards.
func (s *Service) begin(tx openecs.Tx, in *openecs.Instance, at time.Time, cause string, via, to, then openecs.Status) error {
	if err := setStatus(tx, in, via, at, cause); err != nil {
		return err
	}
	if s.cfg.TransitionDelay <= 0 {
		in.TransitionJob = 0
		if err := setStatus(tx, in, to, at, cause); err != nil {
			return err
		}
		if then != "" {
			return setStatus(tx, in, then, at, cause)
		}
		return nil
	}
	return scheduleTransition(tx, in, at.Add(s.cfg.TransitionDelay), transitionArgs{To: to, Then: then})
}

// beginTransition starts t for the instance (t.Via now, t.To after the
// transition delay).
func (s *Service) beginTransition(tx openecs.Tx, in *openecs.Instance, at time.Time, cause string, t openecs.Transition) error {
	return s.begin(tx, in, at, cause, t.Via, t.To, "")
}

// scheduleTransition schedules the instance's next transition step; the
// instance remembers the job, so an older one that fires does nothing.
func scheduleTransition(tx openecs.Tx, in *openecs.Instance, due time.Time, args transitionArgs) error {
	j, err := schedule(tx, in.ID, due, args)
	if err != nil {
		return err
	}
	in.TransitionJob = j.ID
	return nil
}

// finishTransition is the transition job's handler. A job that is no longer
// the instance's pending transition (the instance was released, suspended or
// moved on) does nothing.
func (s *Service) finishTransition(tx openecs.Tx, j openecs.Job, p transitionArgs) error {
	in, err := tx.Instance(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if in.TransitionJob != j.ID {
		return nil
	}
	in.TransitionJob = 0
	if err := setStatus(tx, in, p.To, j.DueAt, "transition"); err != nil {
		return err
	}
	if p.Then != "" {
		if err := scheduleTransition(tx, in, j.DueAt.Add(s.cfg.TransitionDelay), transitionArgs{To: p.Then}); err != nil {
			return err
		}
	}
	return tx.UpdateInstance(in)
}
