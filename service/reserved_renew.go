package service

import (
	"context"
	"slices"

	"github.com/openecs/openecs"
)

// ReservedRenewal is RenewReservedInstances.
type ReservedRenewal struct {
	IDs      []string
	RegionID string
	Period   int // years: 1 or 3
	// AutoRenew true turns auto-renewal on for AutoRenewPeriod months; false
	// leaves the auto-renewal setting as it is (the real API cannot turn it
	// off: ModifyReservedInstanceAutoRenewAttribute does).
	AutoRenew       bool
	AutoRenewPeriod int
	// ResourceOwnerAccount, when given, must be the caller's account id.
	ResourceOwnerAccount string
	Idem                 Idem
}

// RenewReservedInstances extends each reserved instance's term by Period
// years, charging the up-front price of that many years (the yearly price
// fixed at purchase × InstanceAmount × years: all of it for All Upfront, half
// for Partial Upfront) in one order for all of them.
//
// Errors, in check order: InvalidParameter.ResourceOwnerAccount,
// InvalidReservedInstanceId.NotFound (unknown, another account's, or in
// another region than RegionId), InvalidParameter.NotMatch (ids that cannot
// be renewed in one order: a Region-scope one with a Zone-scope one, or
// Zone-scope ones of different zones), RegionUnauthorized,
// InvalidInstanceType.ValueUnauthorized (admin switches of the account),
// ChargeTypeViolation (a No Upfront reserved instance: nothing is paid up
// front, its term is extended only by auto-renewal), OperationDenied "The
// resource is out of usage." (a reserved instance with a lock),
// IncorrectInstanceStatus (not Active: Creating, Updating or Expired),
// Account.Arrearage (the account is in arrears, or its balance does not cover
// the renewal), OperationDenied "Sales … suspended" / Zone.NotOnSale 400 /
// Zone.NotOnSale 403 / Zone.NotOpen (sales switches of the region and zone),
// IdempotentParameterMismatch.
func (s *Service) RenewReservedInstances(ctx context.Context, c Caller, r ReservedRenewal) (*ReservedOrder, error) {
	out, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (ReservedOrder, error) {
		return s.renewReserved(tx, c, r)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *Service) renewReserved(tx openecs.Tx, c Caller, r ReservedRenewal) (ReservedOrder, error) {
	now := tx.Now()
	if err := checkOwnerAccount(c, r.ResourceOwnerAccount); err != nil {
		return ReservedOrder{}, err
	}
	ids := dedupe(r.IDs)
	if len(ids) == 0 {
		return ReservedOrder{}, openecs.Missing("ReservedInstanceId.1")
	}
	ris := make([]*openecs.ReservedInstance, 0, len(ids))
	for _, id := range ids {
		ri, err := ownReserved(tx, c, id, r.RegionID)
		if err != nil {
			return ReservedOrder{}, err
		}
		ris = append(ris, ri)
	}
	if err := renewableTogether(ris); err != nil {
		return ReservedOrder{}, err
	}
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return ReservedOrder{}, err
	}
	for _, ri := range ris {
		if err := mayBuy(acct, ri.RegionID, ri.InstanceType); err != nil {
			return ReservedOrder{}, err
		}
	}
	for _, ri := range ris {
		if ri.OfferingType == openecs.NoUpfront {
			return ReservedOrder{}, openecs.ErrChargeTypeViolation
		}
	}
	for _, ri := range ris {
		if len(ri.Locks) > 0 {
			return ReservedOrder{}, openecs.ErrOperationDeniedUsage
		}
	}
	for _, ri := range ris {
		if ri.Status != openecs.ReservedActive {
			return ReservedOrder{}, openecs.ErrIncorrectInstanceStatus
		}
	}
	var price openecs.Money
	prices := make(map[string]openecs.Money, len(ris))
	for _, ri := range ris {
		p, err := ri.UpfrontPrice(r.Period)
		if err != nil {
			return ReservedOrder{}, err
		}
		if price, err = price.Add(p); err != nil {
			return ReservedOrder{}, err
		}
		prices[ri.ID] = p
	}
	if acct.InArrears || acct.Balance < price {
		return ReservedOrder{}, openecs.ErrAccountArrearage
	}
	for _, ri := range ris {
		if err := salesOpen(tx, ri.RegionID, ri.ZoneID); err != nil {
			return ReservedOrder{}, err
		}
	}
	o, err := placeOrder(tx, c.AccountID, openecs.OrderReservedRenew, price, ids, now, c.Action)
	if err != nil {
		return ReservedOrder{}, err
	}
	for _, ri := range ris {
		ri.ExpiredAt = ri.ExpiredAt.AddDate(r.Period, 0, 0)
		if r.AutoRenew {
			ri.AutoRenew, ri.AutoRenewPeriod = true, r.AutoRenewPeriod
		}
		if err := tx.UpdateReservedInstance(ri); err != nil {
			return ReservedOrder{}, err
		}
		if err := event(tx, now, c.AccountID, openecs.EventReservedRenewed, ri.ID, c.Action, map[string]any{
			"order_id": o.ID, "years": r.Period, "amount": prices[ri.ID].String(), "expired_time": openecs.WireTime(ri.ExpiredAt),
			"auto_renew": ri.AutoRenew, "auto_renew_period": ri.AutoRenewPeriod,
		}); err != nil {
			return ReservedOrder{}, err
		}
		if err := scheduleReservedExpiry(tx, ri); err != nil {
			return ReservedOrder{}, err
		}
	}
	return ReservedOrder{IDs: ids, OrderID: o.ID}, nil
}

// renewableTogether answers InvalidParameter.NotMatch for ids that cannot go
// into one renewal order: all must share a scope and, for Zone scope, a zone.
// (Ids of another region than RegionId never get here: they do not exist for
// the call.)
func renewableTogether(ris []*openecs.ReservedInstance) error {
	if len(ris) < 2 {
		return nil
	}
	first := ris[0]
	for _, ri := range ris[1:] {
		if ri.RegionID != first.RegionID || ri.Scope != first.Scope {
			return openecs.ErrParameterNotMatch.With("The reserved instances %s (%s scope) and %s (%s scope) cannot be renewed together.",
				first.ID, first.Scope, ri.ID, ri.Scope)
		}
		if ri.ZoneID != first.ZoneID {
			return openecs.ErrParameterNotMatch.With("The reserved instances %s (zone %s) and %s (zone %s) cannot be renewed together.",
				first.ID, first.ZoneID, ri.ID, ri.ZoneID)
		}
	}
	return nil
}

// ReservedAutoRenewChange is ModifyReservedInstanceAutoRenewAttribute.
type ReservedAutoRenewChange struct {
	IDs      []string
	RegionID string
	// RenewalStatus: "AutoRenewal" turns auto-renewal on, "Normal" off, ""
	// leaves it as it is.
	RenewalStatus string
	// Months is the auto-renewal term (12 or 36); 0 keeps the current one
	// (12 if there is none).
	Months int
}

// ModifyReservedAutoRenew turns auto-renewal of Active reserved instances on
// or off and sets its term.
//
// Errors: InvalidReservedInstanceId.NotFound, IncorrectInstanceStatus (not
// Active).
func (s *Service) ModifyReservedAutoRenew(ctx context.Context, c Caller, r ReservedAutoRenewChange) error {
	return s.update(ctx, func(tx openecs.Tx) error {
		now := tx.Now()
		ris := make([]*openecs.ReservedInstance, 0, len(r.IDs))
		for _, id := range dedupe(r.IDs) {
			ri, err := ownReserved(tx, c, id, r.RegionID)
			if err != nil {
				return err
			}
			ris = append(ris, ri)
		}
		for _, ri := range ris {
			if ri.Status != openecs.ReservedActive {
				return openecs.ErrIncorrectInstanceStatus
			}
		}
		for _, ri := range ris {
			switch r.RenewalStatus {
			case "AutoRenewal":
				ri.AutoRenew = true
			case "Normal":
				ri.AutoRenew = false
			}
			if r.Months > 0 {
				ri.AutoRenewPeriod = r.Months
			}
			if ri.AutoRenew && ri.AutoRenewPeriod == 0 {
				ri.AutoRenewPeriod = 12
			}
			if err := tx.UpdateReservedInstance(ri); err != nil {
				return err
			}
			if err := event(tx, now, c.AccountID, openecs.EventReservedAutoRenew, ri.ID, c.Action,
				map[string]any{"auto_renew": ri.AutoRenew, "auto_renew_period": ri.AutoRenewPeriod}); err != nil {
				return err
			}
		}
		return nil
	})
}

// reservedActivateArgs pins an activation job to the StartTime it was
// scheduled for; a reserved instance that moved on since is left alone.
type reservedActivateArgs struct {
	At int64 `json:"at"` // StartAt, Unix ms
}

func (reservedActivateArgs) Kind() openecs.JobKind { return openecs.JobReservedActivate }

// reservedExpireArgs pins an expiry job to the ExpiredTime it was scheduled
// for; a reserved instance renewed since is left alone.
type reservedExpireArgs struct {
	At int64 `json:"at"` // ExpiredAt, Unix ms
}

func (reservedExpireArgs) Kind() openecs.JobKind { return openecs.JobReservedExpire }

func scheduleReservedExpiry(tx openecs.Tx, ri *openecs.ReservedInstance) error {
	_, err := schedule(tx, ri.ID, ri.ExpiredAt, reservedExpireArgs{At: openecs.Millis(ri.ExpiredAt)})
	return err
}

// jobReserved returns the reserved instance a job acts on, or nil when it
// is gone.
func jobReserved(tx openecs.Tx, j openecs.Job) (*openecs.ReservedInstance, error) {
	ri, err := tx.ReservedInstance(j.Ref)
	if err == openecs.ErrNotFound {
		return nil, nil
	}
	return ri, err
}

// reservedActivateJob makes a Creating reserved instance Active at its
// StartTime.
func (s *Service) reservedActivateJob(tx openecs.Tx, j openecs.Job, p reservedActivateArgs) error {
	ri, err := jobReserved(tx, j)
	if err != nil || ri == nil {
		return err
	}
	if ri.Status != openecs.ReservedCreating || openecs.Millis(ri.StartAt) != p.At {
		return nil
	}
	ri.Status = openecs.ReservedActive
	if err := tx.UpdateReservedInstance(ri); err != nil {
		return err
	}
	return event(tx, j.DueAt, ri.AccountID, openecs.EventReservedActivated, ri.ID, "start-time", nil)
}

// reservedExpireJob runs at ExpiredTime: an auto-renewing reserved instance
// renews for AutoRenewPeriod months if its account is not in arrears and the
// balance covers the up-front price (an order, cause "auto-renew"); otherwise
// it becomes Expired.
func (s *Service) reservedExpireJob(tx openecs.Tx, j openecs.Job, p reservedExpireArgs) error {
	ri, err := jobReserved(tx, j)
	if err != nil || ri == nil {
		return err
	}
	if openecs.Millis(ri.ExpiredAt) != p.At || ri.Status == openecs.ReservedExpired {
		return nil // renewed since, or already expired
	}
	at := j.DueAt
	data := map[string]any{"auto_renew": ri.AutoRenew}
	if ri.AutoRenew {
		years := max(ri.AutoRenewPeriod/12, 1)
		// A price out of Money's range can never be paid: the reserved
		// instance expires, rather than the job failing at every retry.
		price, priceErr := ri.UpfrontPrice(years)
		a, err := tx.Account(ri.AccountID)
		if err != nil {
			return err
		}
		if priceErr == nil && !a.InArrears && a.Balance >= price {
			o, err := placeOrder(tx, ri.AccountID, openecs.OrderReservedRenew, price, []string{ri.ID}, at, "auto-renew")
			if err != nil {
				return err
			}
			ri.ExpiredAt = ri.ExpiredAt.AddDate(years, 0, 0)
			if err := tx.UpdateReservedInstance(ri); err != nil {
				return err
			}
			if err := event(tx, at, ri.AccountID, openecs.EventReservedRenewed, ri.ID, "auto-renew", map[string]any{
				"order_id": o.ID, "years": years, "amount": price.String(), "expired_time": openecs.WireTime(ri.ExpiredAt),
				"auto_renew": true, "auto_renew_period": ri.AutoRenewPeriod,
			}); err != nil {
				return err
			}
			return scheduleReservedExpiry(tx, ri)
		}
		data["auto_renew_failed"] = "the balance " + a.Balance.String() + " does not cover " + price.String()
		switch {
		case priceErr != nil:
			data["auto_renew_failed"] = "the renewal price is out of range"
		case a.InArrears:
			data["auto_renew_failed"] = "the account is in arrears"
		}
	}
	ri.Status = openecs.ReservedExpired
	if err := tx.UpdateReservedInstance(ri); err != nil {
		return err
	}
	return event(tx, at, ri.AccountID, openecs.EventReservedExpired, ri.ID, "expiry", data)
}

// ReservedYearsValid reports whether a Period (years) is sold: 1 or 3.
func ReservedYearsValid(n int) bool { return slices.Contains(reservedYears, n) }

// AutoRenewMonthsValid reports whether an AutoRenewPeriod (months) is sold:
// 12 or 36.
func AutoRenewMonthsValid(n int) bool { return slices.Contains(reservedAutoRenewMonths, n) }
