package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/openecs/openecs"
)

const (
	metaClockOffset = "clock_offset_ms"
	metaBilledHour  = "billed_hour_ms"
)

func formatMillis(t time.Time) string { return strconv.FormatInt(openecs.Millis(t), 10) }

func parseMillis(s string) (time.Time, error) {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s, err)
	}
	return openecs.FromMillis(ms), nil
}

// SyncClock loads the persisted clock offset (another replica may have moved
// it). The clock never goes back.
func (s *Service) SyncClock(ctx context.Context) error {
	return s.store.View(ctx, func(r openecs.Reader) error {
		v, err := r.Meta(metaClockOffset)
		if errors.Is(err, openecs.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("bad stored clock offset %q", v)
		}
		s.clock.SetOffset(time.Duration(ms) * time.Millisecond)
		return nil
	})
}

// AdvanceClock moves the virtual clock forward by d and returns only after
// every job and billing point due by the new time has run, in due order.
func (s *Service) AdvanceClock(ctx context.Context, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, errors.New("the clock only moves forward")
	}
	s.advMu.Lock()
	defer s.advMu.Unlock()
	if err := s.SyncClock(ctx); err != nil {
		return time.Time{}, err
	}
	from := s.clock.Now()
	var newOffset time.Duration
	err := s.store.Update(ctx, func(tx openecs.Tx) error {
		cur := time.Duration(0)
		if v, err := tx.Meta(metaClockOffset); err == nil {
			ms, perr := strconv.ParseInt(v, 10, 64)
			if perr != nil {
				return fmt.Errorf("bad stored clock offset %q", v)
			}
			cur = time.Duration(ms) * time.Millisecond
		} else if !errors.Is(err, openecs.ErrNotFound) {
			return err
		}
		newOffset = cur + d
		if err := tx.SetMeta(metaClockOffset, strconv.FormatInt(newOffset.Milliseconds(), 10)); err != nil {
			return err
		}
		return event(tx, from.Add(d), "", openecs.EventClockAdvanced, "", "admin", map[string]any{"by": d.String(), "from": from.Format(time.RFC3339)})
	})
	if err != nil {
		return time.Time{}, err
	}
	s.clock.SetOffset(newOffset)
	if _, err := s.RunDue(ctx, s.clock.Now()); err != nil {
		return time.Time{}, err
	}
	return s.clock.Now(), nil
}
