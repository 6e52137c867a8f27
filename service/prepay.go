package service

import (
	"context"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// ModifyPrepayInstanceSpec: a subscription instance's type change, paid or
// refunded for the time left of its subscription
// (docs/instance-changes.md).

// PrepaySpecChange is ModifyPrepayInstanceSpec.
type PrepaySpecChange struct {
	RegionID     string
	InstanceID   string
	InstanceType string
	Downgrade    bool // OperatorType=downgrade
	AutoPay      bool // upgrades only
	Idem         Idem
}

// maxDowngrades is how many times one subscription instance may be
// downgraded (InstanceDowngrade.QuotaExceed after).
const maxDowngrades = 3

// prepaySpecChecks are ModifyPrepayInstanceSpec's checks that come before
// those of the new type, in order.
var prepaySpecChecks = []instanceCheck{
	checkPrepayChargeType, // InvalidInstanceChargeType.ValueNotSupported
	checkSecurityLock,     // InstanceLockedForSecurity
	checkPrepayExpired,    // InvalidInstanceStatus
	checkSpecArrears,      // Account.Arrearage (400)
}

func checkPrepayChargeType(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.ChargeType != openecs.PrePaid {
		return openecs.ErrPrepayChargeType.With(openecs.ErrPrepayChargeType.Message, in.ID)
	}
	return nil
}

func checkPrepayExpired(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.BillingState.Suspended() {
		return openecs.ErrPrepayExpired
	}
	return nil
}

// ModifyPrepayInstanceSpec changes a subscription instance's type for the
// rest of its subscription and answers the order's id.
//
//   - An upgrade (the default OperatorType) pays the difference of the two
//     types' monthly prices for the time left (prepayFee); the instance may
//     be Running or Stopped. With AutoPay=false the order is placed unpaid
//     and nothing changes, as ModifyInstanceChargeType does.
//   - A downgrade (OperatorType=downgrade) needs the instance Stopped and
//     refunds the difference for the whole days left, at most three times
//     an instance.
//
// The new type takes a slot of its own capacity and gives the old one's
// back, its hourly price and shape (Cpu, Memory) are the instance's from
// now on, and a renewal is priced at the new type's monthly price.
//
// Errors, in check order: InvalidInstanceId.NotFound,
// InvalidInstanceChargeType.ValueNotSupported (pay-as-you-go),
// InstanceLockedForSecurity, InvalidInstanceStatus (expired),
// Account.Arrearage (400); InvalidInstanceType.ValueNotSupported (400:
// unknown), InvalidInstanceType.ValueUnauthorized,
// InvalidInstanceType.ValueNotSupported (403: not sold in the zone),
// OperationDenied.LocalDiskUnsupported, InvalidInstanceType.ValueNotSupported
// (400: the type the instance has, or a change the wrong way for
// OperatorType); IncorrectInstanceStatus (not Running or Stopped),
// InvalidStatus.NotStopped (a downgrade of a running instance),
// InstanceDowngrade.QuotaExceed, InvalidAccountStatus.NotEnoughBalance,
// OperationDenied.NoStock, QuotaExceed.ElasticQuota;
// IdempotenceParamNotMatch.
func (s *Service) ModifyPrepayInstanceSpec(ctx context.Context, c Caller, r PrepaySpecChange) (string, error) {
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotenceParamNoMatch, func(tx openecs.Tx) (string, error) {
		return s.modifyPrepaySpec(tx, c, r)
	})
}

func (s *Service) modifyPrepaySpec(tx openecs.Tx, c Caller, r PrepaySpecChange) (string, error) {
	now := tx.Now()
	in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
	if err != nil {
		return "", err
	}
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return "", err
	}
	if err := (op{checks: prepaySpecChecks}).check(s, tx, acct, in, PowerRequest{}); err != nil {
		return "", err
	}
	left := in.ExpiredAt.Sub(now)
	if left <= 0 {
		return "", openecs.ErrPrepayExpired // due to expire; its job has not run yet
	}
	t, err := s.newTypeChecks(acct, in, r.InstanceType, openecs.ErrPrepayLocalDisk)
	if err != nil {
		return "", err
	}
	old, ok := s.cat.InstanceType(in.InstanceType)
	if !ok {
		return "", openecs.ErrInvalidInstanceType
	}
	if err := prepayDirection(old, t, r.Downgrade); err != nil {
		return "", err
	}
	switch {
	case in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped:
		return "", openecs.ErrIncorrectInstanceStatus
	case r.Downgrade && in.Status != openecs.StatusStopped:
		return "", openecs.ErrPrepayNotStopped
	}
	if r.Downgrade {
		n, err := downgrades(tx, in)
		if err != nil {
			return "", err
		}
		if n >= maxDowngrades {
			return "", openecs.ErrPrepayDowngradeMax
		}
	}
	fee, err := prepayFee(old, t, left, r.Downgrade)
	if err != nil {
		return "", err
	}
	autoPay := r.AutoPay || r.Downgrade // a downgrade ignores AutoPay
	if autoPay && acct.Balance < fee {
		return "", openecs.ErrChargeTypeBalance
	}
	operator := "upgrade"
	if r.Downgrade {
		operator = "downgrade"
	}
	if !autoPay {
		id := newOrderID()
		return id, tx.AppendEvent(&openecs.Event{At: now, AccountID: c.AccountID, Kind: openecs.EventOrder, ResourceID: id, Amount: fee, Cause: c.Action,
			Data: map[string]any{"kind": openecs.OrderInstanceModify, "resources": []string{in.ID}, "paid": false}})
	}
	o, err := placeOrder(tx, c.AccountID, openecs.OrderInstanceModify, fee, []string{in.ID}, now, c.Action)
	if err != nil {
		return "", err
	}
	from, fromPrice := in.InstanceType, in.HourlyPrice
	if err := s.moveToType(tx, in, t); err != nil {
		return "", err
	}
	return o.ID, event(tx, now, in.AccountID, openecs.EventInstanceSpec, in.ID, c.Action, map[string]any{
		"instance_type": map[string]string{"from": from, "to": t.ID},
		"hourly_price":  map[string]string{"from": fromPrice.String(), "to": in.HourlyPrice.String()},
		"operator":      operator,
		"order_id":      o.ID,
		"fee":           fee.String(),
	})
}

// prepayDirection checks that the new type goes the way OperatorType says:
// an upgrade to a type whose monthly price is not lower, a downgrade to one
// whose price is not higher; never the type the instance has.
func prepayDirection(old, t *catalog.InstanceType, downgrade bool) error {
	switch {
	case t.ID == old.ID:
		return openecs.ErrPrepaySameType.With(openecs.ErrPrepaySameType.Message, t.ID)
	case downgrade && t.Monthly > old.Monthly:
		return openecs.ErrPrepayDirection.With(openecs.ErrPrepayDirection.Message, t.ID, "downgrade", old.ID)
	case !downgrade && t.Monthly < old.Monthly:
		return openecs.ErrPrepayDirection.With(openecs.ErrPrepayDirection.Message+" Set OperatorType to downgrade.", t.ID, "upgrade", old.ID)
	}
	return nil
}

// prepayFee is what changing a subscription from type old to t costs for
// the time left: a thirtieth of the difference of their monthly prices for
// each day. An upgrade pays every day begun (the days left rounded up); a
// downgrade is refunded every whole day left (rounded down, as a conversion
// to pay-as-you-go is), a negative fee. The product is divided by 30 last,
// rounding half away from zero to the micro-yuan; an amount past Money's
// range is ErrMoneyOverflow.
func prepayFee(old, t *catalog.InstanceType, left time.Duration, downgrade bool) (openecs.Money, error) {
	const day = 24 * time.Hour
	diff, err := t.Monthly.Sub(old.Monthly)
	if err != nil {
		return 0, err
	}
	days := int64(left / day)
	if !downgrade && left%day != 0 {
		days++
	}
	m, err := diff.Mul(days)
	if err != nil {
		return 0, err
	}
	return m.DivInt(30), nil
}

// downgrades counts the instance's downgrades so far, from its
// instance.spec_changed events.
func downgrades(tx openecs.Tx, in *openecs.Instance) (int, error) {
	n := 0
	f := openecs.EventFilter{AccountID: in.AccountID, Kind: openecs.EventInstanceSpec, ResourceID: in.ID, Limit: 1000}
	for {
		evs, err := tx.Events(f)
		if err != nil {
			return 0, err
		}
		for _, e := range evs {
			if e.Data["operator"] == "downgrade" {
				n++
			}
		}
		if len(evs) < f.Limit {
			return n, nil
		}
		f.After = evs[len(evs)-1].ID
	}
}
