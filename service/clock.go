package service

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/openecs/openecs"
)

// metaBilledHour is the meta key of the billing watermark: the last billing
// point that ran, in Unix milliseconds.
const metaBilledHour = "billed_hour_ms"

func formatMillis(t time.Time) string { return strconv.FormatInt(openecs.Millis(t), 10) }

func parseMillis(s string) (time.Time, error) {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s, err)
	}
	return openecs.FromMillis(ms), nil
}

// Now returns the virtual time, read from the store.
func (s *Service) Now(ctx context.Context) (time.Time, error) {
	var now time.Time
	err := s.store.View(ctx, func(r openecs.Reader) error {
		now = r.Now()
		return nil
	})
	return now, err
}

// ClockReading is the virtual clock as the admin API shows it.
type ClockReading struct {
	Now    time.Time
	Offset time.Duration // ahead of the wall clock
}

// Clock reads the virtual clock and its offset from the store.
func (s *Service) Clock(ctx context.Context) (ClockReading, error) {
	var c ClockReading
	err := s.store.View(ctx, func(r openecs.Reader) error {
		c.Now = r.Now()
		off, err := storedOffset(r)
		c.Offset = off
		return err
	})
	return c, err
}

// storedOffset reads the clock offset ("" or absent is zero).
func storedOffset(r openecs.Reader) (time.Duration, error) {
	v, err := r.Meta(openecs.MetaClockOffset)
	if err == openecs.ErrNotFound {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return openecs.ParseClockOffset(v)
}

// AdvanceClock moves the virtual clock forward by d and returns only after
// every job and billing point due by the new time has run, in due order.
//
// Errors (ErrBadRequest): a negative d, or one that would take the offset
// past openecs.MaxClockOffset (the clock is left untouched).
func (s *Service) AdvanceClock(ctx context.Context, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, badRequest("the clock only moves forward")
	}
	s.advMu.Lock()
	defer s.advMu.Unlock()
	err := s.store.Update(ctx, func(tx openecs.Tx) error {
		cur, err := storedOffset(tx)
		if err != nil {
			return err
		}
		if d > openecs.MaxClockOffset-cur {
			return badRequest(fmt.Sprintf("advancing by %s would take the clock more than %s ahead of the wall clock (it is %s ahead now); the clock is unchanged",
				d, openecs.MaxClockOffset, cur))
		}
		from := tx.Now()
		if err := tx.SetMeta(openecs.MetaClockOffset, openecs.FormatClockOffset(cur+d)); err != nil {
			return err
		}
		return event(tx, from.Add(d), "", openecs.EventClockAdvanced, "", "admin", map[string]any{"by": d.String(), "from": from.Format(time.RFC3339)})
	})
	if err != nil {
		return time.Time{}, err
	}
	s.forgetFaults() // their windows are in virtual time
	now, err := s.Now(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if _, err := s.RunDue(ctx, now); err != nil {
		return time.Time{}, err
	}
	return now, nil
}
