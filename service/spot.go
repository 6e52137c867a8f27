package service

import (
	"context"
	"time"

	"github.com/openecs/openecs"
)

// Spot instances (docs/errors.md, "Spot").
//
//   - Every zone and type has a spot price: the one last set through
//     PUT /admin/v1/spot-prices, else a tenth of the pay-as-you-go price. Each
//     price set is kept in a history.
//   - An instance's price limit is its SpotPriceLimit (SpotWithPriceLimit) or
//     the type's pay-as-you-go price (SpotAsPriceGo: it pays the market price
//     up to the public price). NoSpot instances have none.
//   - RunInstances, CreateInstance and StartInstance of a spot instance whose
//     limit is below the current price answer
//     OperationDenied.SpotPriceLowerThanPublicPrice 403.
//   - A price change reclaims, at once, every Pending, Starting or Running spot
//     instance of the zone/type whose limit is now below the price: it gets a
//     `recycling` lock, and SpotReclaimNotice (5 clock minutes) later a job
//     releases it (SpotInterruptionBehavior Terminate, the default) or stops
//     it with StopCharging, giving its capacity back and removing the lock
//     (Stop). Removing the recycling lock through the admin API before then
//     cancels the reclaim. A later price drop does not.
//   - While it carries the lock, StartInstance and RebootInstance answer
//     IncorrectInstanceStatus 403 with a message naming the reclaim.

// SpotQuote is a zone/type's current spot price and whether it was set or is
// the default.
type SpotQuote struct {
	openecs.SpotPrice
	Default bool
}

// spotPrice returns the current spot price of a zone/type.
func (s *Service) spotPrice(r openecs.Reader, zoneID, instanceType string) (SpotQuote, error) {
	p, err := r.SpotPrice(zoneID, instanceType)
	if err == nil {
		return SpotQuote{SpotPrice: *p}, nil
	}
	if err != openecs.ErrNotFound {
		return SpotQuote{}, err
	}
	q := SpotQuote{SpotPrice: openecs.SpotPrice{ZoneID: zoneID, InstanceType: instanceType}, Default: true}
	if t, ok := s.cat.InstanceType(instanceType); ok {
		q.Price = t.SpotPrice()
	}
	return q, nil
}

// spotLimit is the most a spot instance pays per hour; ok is false for
// NoSpot.
func (s *Service) spotLimit(strategy openecs.SpotStrategy, limit openecs.Money, instanceType string) (openecs.Money, bool) {
	switch strategy {
	case openecs.SpotWithPriceLimit:
		return limit, true
	case openecs.SpotAsPriceGo:
		if t, ok := s.cat.InstanceType(instanceType); ok {
			return t.Hourly, true
		}
	}
	return 0, false
}

// spotCheck answers OperationDenied.SpotPriceLowerThanPublicPrice when the
// limit is below the current price.
func (s *Service) spotCheck(r openecs.Reader, strategy openecs.SpotStrategy, limit openecs.Money, zoneID, instanceType string) error {
	lim, ok := s.spotLimit(strategy, limit, instanceType)
	if !ok {
		return nil
	}
	p, err := s.spotPrice(r, zoneID, instanceType)
	if err != nil {
		return err
	}
	if lim < p.Price {
		return openecs.ErrSpotPriceTooLow
	}
	return nil
}

func checkCreateSpotPrice(s *Service, tx openecs.Tx, c CreateSpec) error {
	return s.spotCheck(tx, c.SpotStrategy, c.SpotPriceLimit, c.ZoneID, c.InstanceType)
}

func checkStartSpotPrice(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	return s.spotCheck(tx, in.SpotStrategy, in.SpotPriceLimit, in.ZoneID, in.InstanceType)
}

// recyclingError is the IncorrectInstanceStatus variant for an instance
// locked for a spot reclaim.
func recyclingError(in *openecs.Instance) error {
	return openecs.ErrIncorrectInstanceStatus.With("The spot instance %s is locked for recycling (its price limit is below the spot price) and is about to be reclaimed.", in.ID)
}

// checkRecycling: a spot instance locked for a reclaim neither starts nor
// reboots.
func checkRecycling(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HasLock(openecs.LockRecycling) {
		return recyclingError(in)
	}
	return nil
}

// SpotPriceChange is the answer of SetSpotPrice.
type SpotPriceChange struct {
	openecs.SpotPrice
	Reclaimed []string // instances locked for recycling by this change
}

// SetSpotPrice sets the current spot price of a zone/type (nil: back to the
// default), records it in the history and reclaims the running spot
// instances whose limit is now below it.
func (s *Service) SetSpotPrice(ctx context.Context, zoneID, instanceType string, price *openecs.Money) (*SpotPriceChange, error) {
	if _, ok := s.cat.Zone(zoneID); !ok {
		return nil, badRequest("unknown zone_id " + zoneID)
	}
	t, ok := s.cat.InstanceType(instanceType)
	if !ok {
		return nil, badRequest("unknown instance_type " + instanceType)
	}
	p := t.SpotPrice()
	if price != nil {
		if *price <= 0 {
			return nil, badRequest(`"price" must be above zero`)
		}
		p = *price
	}
	var out SpotPriceChange
	err := s.update(ctx, func(tx openecs.Tx) error {
		now := tx.Now()
		out = SpotPriceChange{SpotPrice: openecs.SpotPrice{ZoneID: zoneID, InstanceType: instanceType, Price: p, At: now}}
		if err := tx.PutSpotPrice(out.SpotPrice); err != nil {
			return err
		}
		if err := event(tx, now, "", openecs.EventSpotPrice, zoneID+"/"+instanceType, "admin",
			map[string]any{"zone_id": zoneID, "instance_type": instanceType, "price": p.String()}); err != nil {
			return err
		}
		ids, err := s.reclaimSpot(tx, zoneID, instanceType, p, now)
		out.Reclaimed = ids
		return err
	})
	if err != nil {
		return nil, err
	}
	s.wake()
	return &out, nil
}

// reclaimArgs is the payload of a spot reclaim job.
type reclaimArgs struct {
	Price  openecs.Money `json:"price"`
	Locked int64         `json:"locked"` // when the lock was set (Unix ms)
}

func (reclaimArgs) Kind() openecs.JobKind { return openecs.JobSpotReclaim }

// reclaimSpot locks for recycling every running spot instance of the
// zone/type whose limit is below price, and schedules its reclaim.
func (s *Service) reclaimSpot(tx openecs.Tx, zoneID, instanceType string, price openecs.Money, now time.Time) ([]string, error) {
	ins, err := tx.Instances(openecs.InstanceFilter{ZoneID: zoneID, InstanceType: instanceType,
		Statuses: []openecs.Status{openecs.StatusPending, openecs.StatusStarting, openecs.StatusRunning}})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, in := range ins {
		lim, ok := s.spotLimit(in.SpotStrategy, in.SpotPriceLimit, in.InstanceType)
		if !ok || lim >= price || in.HasLock(openecs.LockRecycling) {
			continue
		}
		in.AddLock(openecs.LockRecycling)
		if err := tx.UpdateInstance(in); err != nil {
			return nil, err
		}
		if err := event(tx, now, in.AccountID, openecs.EventInstanceLocked, in.ID, string(openecs.EventSpotPrice),
			map[string]any{"reason": string(openecs.LockRecycling)}); err != nil {
			return nil, err
		}
		due := now.Add(openecs.SpotReclaimNotice)
		if err := event(tx, now, in.AccountID, openecs.EventSpotReclaim, in.ID, string(openecs.EventSpotPrice),
			map[string]any{"price": price.String(), "limit": lim.String(), "behavior": interruptionBehavior(in), "at": due.UTC().Format(time.RFC3339)}); err != nil {
			return nil, err
		}
		if _, err := schedule(tx, in.ID, due, reclaimArgs{Price: price, Locked: openecs.Millis(now)}); err != nil {
			return nil, err
		}
		ids = append(ids, in.ID)
	}
	return ids, nil
}

func interruptionBehavior(in *openecs.Instance) string {
	if in.SpotInterruptionBehavior == "Stop" {
		return "Stop"
	}
	return "Terminate"
}

// spotReclaimJob finishes a reclaim: release (Terminate) or a StopCharging
// stop (Stop). An instance gone, or whose recycling lock was removed, is
// left alone.
func (s *Service) spotReclaimJob(tx openecs.Tx, j openecs.Job, _ reclaimArgs) error {
	in, err := tx.Instance(j.Ref)
	if err == openecs.ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !in.HasLock(openecs.LockRecycling) {
		return nil
	}
	at := j.DueAt
	if interruptionBehavior(in) == "Terminate" {
		return s.release(tx, in, at, string(openecs.JobSpotReclaim))
	}
	in.RemoveLock(openecs.LockRecycling)
	if err := event(tx, at, in.AccountID, openecs.EventInstanceUnlocked, in.ID, string(openecs.JobSpotReclaim),
		map[string]any{"reason": string(openecs.LockRecycling)}); err != nil {
		return err
	}
	in.StoppedMode = openecs.StopCharging
	if in.HoldsCapacity {
		if err := tx.ReturnCapacity(in.ZoneID, in.InstanceType); err != nil {
			return err
		}
		in.HoldsCapacity = false
	}
	if openecs.TransitionReclaim.Allowed(in.Status) {
		if err := s.beginTransition(tx, in, at, string(openecs.JobSpotReclaim), openecs.TransitionReclaim); err != nil {
			return err
		}
	}
	return tx.UpdateInstance(in)
}

// SpotPrices lists the prices set (not the defaults).
func (s *Service) SpotPrices(ctx context.Context) ([]openecs.SpotPrice, error) {
	var out []openecs.SpotPrice
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		out, err = r.SpotPrices()
		return err
	})
	return out, err
}

// SpotPriceHistory returns a zone/type's current price and the prices set
// for it since a time, oldest first.
func (s *Service) SpotPriceHistory(ctx context.Context, zoneID, instanceType string, since time.Time, limit int) (SpotQuote, []openecs.SpotPrice, error) {
	var cur SpotQuote
	var hist []openecs.SpotPrice
	err := s.store.View(ctx, func(r openecs.Reader) error {
		var err error
		if zoneID != "" && instanceType != "" {
			if cur, err = s.spotPrice(r, zoneID, instanceType); err != nil {
				return err
			}
		}
		hist, err = r.SpotPriceHistory(zoneID, instanceType, since, limit)
		return err
	})
	return cur, hist, err
}

// SpotPriceTimeline is DescribeSpotPriceHistory's data: for each zone, the
// price in effect at start (the default if none was set by then) followed by
// every price set after start and up to end, oldest first.
func (s *Service) SpotPriceTimeline(ctx context.Context, zoneIDs []string, instanceType string, start, end time.Time) ([]openecs.SpotPrice, error) {
	t, ok := s.cat.InstanceType(instanceType)
	if !ok {
		return nil, openecs.ErrInvalidInstanceType
	}
	var out []openecs.SpotPrice
	err := s.store.View(ctx, func(r openecs.Reader) error {
		out = nil
		for _, z := range zoneIDs {
			hist, err := r.SpotPriceHistory(z, instanceType, time.Time{}, 0)
			if err != nil {
				return err
			}
			first := openecs.SpotPrice{ZoneID: z, InstanceType: instanceType, Price: t.SpotPrice(), At: start}
			var later []openecs.SpotPrice
			for _, p := range hist {
				switch {
				case !p.At.After(start):
					first.Price = p.Price
				case !p.At.After(end):
					later = append(later, p)
				}
			}
			out = append(out, first)
			out = append(out, later...)
		}
		return nil
	})
	return out, err
}
