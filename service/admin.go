package service

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/openecs/openecs"
)

// SetCapacity sets the free slots of a zone/type (nil: unlimited again).
func (s *Service) SetCapacity(ctx context.Context, c openecs.Capacity) error {
	if _, ok := s.cat.Zone(c.ZoneID); !ok {
		return badRequest("unknown zone_id " + c.ZoneID)
	}
	if _, ok := s.cat.InstanceType(c.InstanceType); !ok {
		return badRequest("unknown instance_type " + c.InstanceType)
	}
	if c.Available != nil && *c.Available < 0 {
		return badRequest("available must be ≥ 0 or null")
	}
	return s.update(ctx, func(tx openecs.Tx) error {
		if err := tx.PutCapacity(c); err != nil {
			return err
		}
		data := map[string]any{"zone_id": c.ZoneID, "instance_type": c.InstanceType, "available": nil}
		if c.Available != nil {
			data["available"] = *c.Available
		}
		return event(tx, tx.Now(), "", openecs.EventCapacity, c.ZoneID+"/"+c.InstanceType, "admin", data)
	})
}

// Capacities lists the limited zone/type rows.
func (s *Service) Capacities(ctx context.Context) ([]openecs.Capacity, error) {
	var out []openecs.Capacity
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.Capacities()
		return err
	})
	return out, err
}

// Events returns the event log from after on.
func (s *Service) Events(ctx context.Context, f openecs.EventFilter) ([]openecs.Event, error) {
	var out []openecs.Event
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.Events(f)
		return err
	})
	return out, err
}

// Orders returns an account's latest orders.
func (s *Service) Orders(ctx context.Context, accountID string, limit int) ([]openecs.Order, error) {
	var out []openecs.Order
	err := s.store.View(ctx, func(r openecs.Reader) error {
		if _, err := r.Account(accountID); err != nil {
			return err
		}
		var err error
		out, err = r.Orders(accountID, limit)
		return err
	})
	return out, err
}

// AddFault stores a fault rule. Count 0 means no limit (until it is removed
// or its window ends).
func (s *Service) AddFault(ctx context.Context, f openecs.Fault, window time.Duration) (*openecs.Fault, error) {
	if f.Action == "" || f.Code == "" {
		return nil, badRequest(`"action" and "code" are required`)
	}
	if f.Count < 0 {
		return nil, badRequest(`"count" must be ≥ 0 (0: no limit)`)
	}
	if f.Count == 0 {
		f.Count = -1
	}
	if f.Probability < 0 || f.Probability > 1 {
		return nil, badRequest(`"probability" must be between 0 and 1`)
	}
	if f.Probability == 0 {
		f.Probability = 1
	}
	if f.HTTPStatus != 0 && (f.HTTPStatus < 400 || f.HTTPStatus > 599) {
		return nil, badRequest(`"http_status" must be a 4xx or 5xx status`)
	}
	if f.LatencyMS < 0 || f.LatencyMS > 60_000 {
		return nil, badRequest(`"latency_ms" must be between 0 and 60000`)
	}
	err := s.update(ctx, func(tx openecs.Tx) error {
		f.CreatedAt, f.Until = tx.Now(), time.Time{}
		if window > 0 {
			f.Until = f.CreatedAt.Add(window)
		}
		return tx.InsertFault(&f)
	})
	s.forgetFaults()
	return &f, err
}

// Faults lists the fault rules.
func (s *Service) Faults(ctx context.Context) ([]openecs.Fault, error) {
	var out []openecs.Fault
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.Faults()
		return err
	})
	return out, err
}

// DeleteFault removes a fault rule.
func (s *Service) DeleteFault(ctx context.Context, id int64) error {
	err := s.update(ctx, func(tx openecs.Tx) error { return tx.DeleteFault(id) })
	s.forgetFaults()
	return err
}

// faultCacheTTL bounds how stale this process's view of the fault rules can
// be when another replica changed them.
const faultCacheTTL = 250 * time.Millisecond

// InjectedFault returns the fault a call should fail with, if a rule matches
// it (action, optionally account, probability, window) and still has calls
// left; it consumes one of its calls. Rules apply in their order.
func (s *Service) InjectedFault(ctx context.Context, action, accountID string) (*openecs.Fault, error) {
	rules, now, err := s.cachedFaults(ctx)
	if err != nil || len(rules) == 0 {
		return nil, err
	}
	for _, f := range rules {
		if f.Action != action && canonicalAction(f.Action) != canonicalAction(action) {
			continue
		}
		if f.AccountID != "" && f.AccountID != accountID {
			continue
		}
		if !f.Until.IsZero() && now.After(f.Until) {
			continue
		}
		if f.Probability < 1 && rand.Float64() >= f.Probability {
			continue
		}
		if f.Count < 0 {
			return &f, nil
		}
		var ok bool
		if err := s.update(ctx, func(tx openecs.Tx) error {
			var err error
			ok, err = tx.ConsumeFault(f.ID)
			if ok {
				return event(tx, now, accountID, openecs.EventFaultInjected, action, "fault", map[string]any{"fault_id": f.ID, "code": f.Code})
			}
			return err
		}); err != nil {
			return nil, err
		}
		s.forgetFaults()
		if ok {
			return &f, nil
		}
	}
	return nil, nil
}

// forgetFaults makes the next call read the fault rules (and the time) again.
func (s *Service) forgetFaults() {
	s.faultsMu.Lock()
	s.faultsAt = time.Time{}
	s.faultsMu.Unlock()
}

// cachedFaults returns the fault rules and the virtual time now, both from
// a read at most faultCacheTTL old (the time moved on by the wall time
// since).
func (s *Service) cachedFaults(ctx context.Context) ([]openecs.Fault, time.Time, error) {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	wall := s.Wall()
	if s.faultsAt.IsZero() || wall.Sub(s.faultsAt) >= faultCacheTTL {
		var rules []openecs.Fault
		var now time.Time
		err := s.store.View(ctx, func(r openecs.Reader) error {
			var err error
			rules, now = nil, r.Now()
			rules, err = r.Faults()
			return err
		})
		if err != nil {
			return nil, time.Time{}, err
		}
		s.faults, s.faultsAt, s.faultsNow = rules, wall, now
	}
	return s.faults, s.faultsNow.Add(wall.Sub(s.faultsAt)), nil
}
