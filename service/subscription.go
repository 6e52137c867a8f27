package service

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// Subscription periods the real service sells (RunInstances, RenewInstance).
var (
	monthPeriods = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60}
	weekPeriods  = []int{1, 2, 3, 4}
)

// validatePeriod checks a subscription Period/PeriodUnit pair.
func validatePeriod(period int, unit string) error {
	switch unit {
	case "Month":
		if !slices.Contains(monthPeriods, period) {
			return openecs.ErrInvalidPeriod.With("The specified parameter Period is not valid: with PeriodUnit Month it must be 1-9, 12, 24, 36, 48 or 60.")
		}
	case "Week":
		if !slices.Contains(weekPeriods, period) {
			return openecs.ErrInvalidPeriod.With("The specified parameter Period is not valid: with PeriodUnit Week it must be 1-4.")
		}
	default:
		return openecs.ErrInvalidPeriodUnit
	}
	return nil
}

// subscriptionPrice is the up-front price of `amount` instances for the
// period (ErrMoneyOverflow past Money's range). A week costs a quarter of a
// month.
func subscriptionPrice(t *catalog.InstanceType, period int, unit string, amount int) (openecs.Money, error) {
	p, err := t.Monthly.Mul(int64(period))
	if err != nil {
		return 0, err
	}
	if unit == "Week" {
		p = p.DivInt(4)
	}
	return p.Mul(int64(amount))
}

// addPeriod moves t forward by the period.
func addPeriod(t time.Time, period int, unit string) time.Time {
	if unit == "Week" {
		return t.AddDate(0, 0, 7*period)
	}
	return t.AddDate(0, period, 0)
}

// newOrderID returns an order id shaped like the real ones (digits).
func newOrderID() string { return openecs.NewNumericID(15) }

// placeOrder charges the account and records the order and its event.
func placeOrder(tx openecs.Tx, accountID string, kind openecs.OrderKind, amount openecs.Money, resources []string, at time.Time, cause string) (*openecs.Order, error) {
	o := &openecs.Order{ID: newOrderID(), AccountID: accountID, Kind: kind, Amount: amount, CreatedAt: at, Resources: resources}
	if amount != 0 {
		debit, err := amount.Neg()
		if err != nil {
			return nil, err
		}
		if _, err := tx.AddBalance(accountID, debit); err != nil {
			return nil, err
		}
	}
	if err := tx.InsertOrder(o); err != nil {
		return nil, err
	}
	err := tx.AppendEvent(&openecs.Event{At: at, AccountID: accountID, Kind: openecs.EventOrder, ResourceID: o.ID, Amount: amount, Cause: cause,
		Data: map[string]any{"kind": kind, "resources": resources}})
	return o, err
}

// expireArgs is the payload of a subscription's expiry job: the ExpiredTime
// it was scheduled for.
type expireArgs struct {
	Expires int64 `json:"expires"` // Unix ms
}

func (expireArgs) Kind() openecs.JobKind { return openecs.JobExpire }

func scheduleExpiry(tx openecs.Tx, in *openecs.Instance) error {
	_, err := schedule(tx, in.ID, in.ExpiredAt, expireArgs{Expires: openecs.Millis(in.ExpiredAt)})
	return err
}

// expireJob runs at a subscription's ExpiredTime: it renews an auto-renewing
// instance whose account can pay, and otherwise stops it with a financial
// lock (billing state Expired) to be released fifteen days later.
func (s *Service) expireJob(tx openecs.Tx, j openecs.Job, p expireArgs) error {
	in, err := tx.Instance(j.Ref)
	if errors.Is(err, openecs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if in.ChargeType != openecs.PrePaid || openecs.Millis(in.ExpiredAt) != p.Expires || in.BillingState.Suspended() {
		return nil // renewed, converted or already expired since
	}
	at := j.DueAt
	if in.AutoRenew {
		t, ok := s.cat.InstanceType(in.InstanceType)
		if ok {
			months := in.AutoRenewPeriod
			if months <= 0 {
				months = 1
			}
			// A price out of Money's range can never be paid: the
			// instance expires, as when the balance is short, rather than
			// the job failing at every retry.
			price, priceErr := subscriptionPrice(t, months, "Month", 1)
			a, err := tx.Account(in.AccountID)
			if err != nil {
				return err
			}
			if priceErr == nil && a.Balance >= price {
				o, err := placeOrder(tx, in.AccountID, openecs.OrderInstanceRenew, price, []string{in.ID}, at, "auto-renew")
				if err != nil {
					return err
				}
				in.ExpiredAt = addPeriod(in.ExpiredAt, months, "Month")
				if err := event(tx, at, in.AccountID, openecs.EventInstanceRenewed, in.ID, "auto-renew",
					map[string]any{"order_id": o.ID, "expired_time": openecs.WireTime(in.ExpiredAt)}); err != nil {
					return err
				}
				if err := tx.UpdateInstance(in); err != nil {
					return err
				}
				return scheduleExpiry(tx, in)
			}
		}
	}
	if err := event(tx, at, in.AccountID, openecs.EventInstanceExpired, in.ID, "expiry", nil); err != nil {
		return err
	}
	return s.suspend(tx, in, in.BillingState.WithEcsExpired(), at, "expiry")
}

// RenewRequest is RenewInstance.
type RenewRequest struct {
	InstanceID string
	RegionID   string
	Period     int
	PeriodUnit string
	Idem       Idem
}

// RenewInstance extends a subscription instance by the period, charging its
// price. An expired instance is brought back: its financial lock is removed
// and it starts.
//
// Errors: InvalidInstanceId.NotFound, ChargeTypeViolation (pay-as-you-go),
// InstanceLockedForSecurity, InvalidPeriod, InvalidPeriodUnit.ValueNotSupported,
// InsufficientBalance, IdempotenceParamNotMatch.
func (s *Service) RenewInstance(ctx context.Context, c Caller, r RenewRequest) (string, error) {
	if err := validatePeriod(r.Period, r.PeriodUnit); err != nil {
		return "", err
	}
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotenceParamNoMatch, func(tx openecs.Tx) (string, error) {
		now := tx.Now()
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return "", err
		}
		if in.ChargeType != openecs.PrePaid {
			return "", openecs.ErrChargeTypeViolation
		}
		if in.HasLock(openecs.LockSecurity) {
			return "", openecs.ErrInstanceLockedForSecurity
		}
		t, ok := s.cat.InstanceType(in.InstanceType)
		if !ok {
			return "", openecs.ErrInvalidInstanceType
		}
		price, err := subscriptionPrice(t, r.Period, r.PeriodUnit, 1)
		if err != nil {
			return "", err
		}
		a, err := tx.Account(c.AccountID)
		if err != nil {
			return "", err
		}
		if a.Balance < price {
			return "", openecs.ErrInsufficientBalance
		}
		o, err := placeOrder(tx, c.AccountID, openecs.OrderInstanceRenew, price, []string{in.ID}, now, c.Action)
		if err != nil {
			return "", err
		}
		from := in.ExpiredAt
		if from.Before(now) {
			from = now
		}
		in.ExpiredAt = addPeriod(from, r.Period, r.PeriodUnit)
		if err := event(tx, now, in.AccountID, openecs.EventInstanceRenewed, in.ID, c.Action,
			map[string]any{"order_id": o.ID, "expired_time": openecs.WireTime(in.ExpiredAt)}); err != nil {
			return "", err
		}
		if in.BillingState.Suspended() {
			if err := s.unsuspend(tx, in, now, c.Action); err != nil {
				return "", err
			}
			if in.Status == openecs.StatusStopped {
				if err := s.beginTransition(tx, in, now, c.Action, openecs.TransitionRenew); err != nil {
					return "", err
				}
			}
		}
		if err := tx.UpdateInstance(in); err != nil {
			return "", err
		}
		if err := scheduleExpiry(tx, in); err != nil {
			return "", err
		}
		return o.ID, nil
	})
}

// unsuspend clears a suspension: billing state Normal, financial lock removed.
// The caller starts the instance and writes it.
func (s *Service) unsuspend(tx openecs.Tx, in *openecs.Instance, at time.Time, cause string) error {
	in.BillingState = openecs.BillingNormal
	in.SuspendedAt = time.Time{}
	if in.HasLock(openecs.LockFinancial) {
		in.RemoveLock(openecs.LockFinancial)
		if err := event(tx, at, in.AccountID, openecs.EventInstanceUnlocked, in.ID, cause, map[string]any{"reason": "financial"}); err != nil {
			return err
		}
	}
	return holdCapacity(tx, in)
}
