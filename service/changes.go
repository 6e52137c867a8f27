package service

import (
	"context"
	"time"

	"github.com/openecs/openecs"
	"github.com/openecs/openecs/catalog"
)

// Changes of an instance's type, bandwidth and charge type
// (docs/instance-changes.md): ModifyInstanceSpec and
// ModifyInstanceChargeType, and what billing does after them.

// SpecChange is ModifyInstanceSpec: either a new instance type or new
// bandwidth, not both (the transport checks).
type SpecChange struct {
	RegionID     string
	InstanceID   string
	InstanceType string
	BandwidthOut *int
	BandwidthIn  *int
	DryRun       bool
	Idem         Idem
}

// specChecks are ModifyInstanceSpec's checks that come before the ones of
// the change asked for, in order.
var specChecks = []instanceCheck{
	checkSpecChargeType, // ChargeTypeViolation
	checkSecurityLock,   // InstanceLockedForSecurity
	checkSpecArrears,    // Account.Arrearage
}

func checkSpecChargeType(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.ChargeType != openecs.PostPaid {
		return openecs.ErrChargeTypeViolation
	}
	return nil
}

func checkSpecArrears(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if a.InArrears || in.BillingState.Suspended() {
		return openecs.ErrAccountArrearage400
	}
	return nil
}

// ModifyInstanceSpec changes a pay-as-you-go instance's type (the instance
// must be Stopped) or its public bandwidth (Running or Stopped). A new type
// takes a slot of its own capacity and quota, gives the old type's slot
// back, and sets the hourly price: every billing point from the change on
// charges the new type's price.
//
// Errors, in check order: InvalidInstanceId.NotFound, ChargeTypeViolation
// (subscription), InstanceLockedForSecurity, Account.Arrearage (400);
// for a type: InvalidInstanceType.ValueNotSupported (400: unknown),
// InvalidInstanceType.ValueUnauthorized, InvalidInstanceType.ValueNotSupported
// (403: not sold in the zone), CategoryViolation (local disks),
// InvalidInstanceStatus.NotStopped, OperationDenied.NoStock,
// QuotaExceed.ElasticQuota; for bandwidth: InvalidStatus.ValueNotSupported;
// then DryRunOperation, IdempotentParameterMismatch.
func (s *Service) ModifyInstanceSpec(ctx context.Context, c Caller, r SpecChange) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		now := tx.Now()
		in, err := s.ownInstance(tx, c, r.InstanceID, r.RegionID)
		if err != nil {
			return struct{}{}, err
		}
		acct, err := tx.Account(c.AccountID)
		if err != nil {
			return struct{}{}, err
		}
		if err := (op{checks: specChecks}).check(s, tx, acct, in, PowerRequest{}); err != nil {
			return struct{}{}, err
		}
		if r.InstanceType != "" {
			return struct{}{}, s.changeType(tx, c, acct, in, r, now)
		}
		if in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped {
			return struct{}{}, openecs.ErrSpecStatus
		}
		if r.DryRun {
			return struct{}{}, openecs.ErrDryRunOperation
		}
		data := map[string]any{}
		if r.BandwidthOut != nil {
			data["bandwidth_out"] = map[string]int{"from": in.InternetMaxBandwidthOut, "to": *r.BandwidthOut}
			in.InternetMaxBandwidthOut = *r.BandwidthOut
			if in.InternetMaxBandwidthOut > 0 && in.PublicIP == "" {
				in.PublicIP = publicIP()
			}
		}
		if r.BandwidthIn != nil {
			data["bandwidth_in"] = map[string]int{"from": in.InternetMaxBandwidthIn, "to": *r.BandwidthIn}
			in.InternetMaxBandwidthIn = *r.BandwidthIn
		}
		if err := tx.UpdateInstance(in); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, event(tx, now, in.AccountID, openecs.EventInstanceSpec, in.ID, c.Action, data)
	})
	return err
}

// changeType is ModifyInstanceSpec with an InstanceType.
func (s *Service) changeType(tx openecs.Tx, c Caller, acct *openecs.Account, in *openecs.Instance, r SpecChange, now time.Time) error {
	t, err := s.newTypeChecks(acct, in, r.InstanceType, openecs.ErrSpecDiskCategory)
	if err != nil {
		return err
	}
	if in.Status != openecs.StatusStopped {
		return openecs.ErrSpecNotStopped
	}
	if t.ID == in.InstanceType {
		if r.DryRun {
			return openecs.ErrDryRunOperation
		}
		return nil
	}
	if in.HoldsCapacity {
		free, err := capacityFree(tx, in.ZoneID, t.ID)
		if err != nil {
			return err
		}
		if !free {
			return openecs.ErrNoStock
		}
	}
	if r.DryRun {
		if in.HoldsCapacity {
			// The quota the new type would count against, without writing.
			return orDryRun(s.quotaCheckMoved(tx, in, t))
		}
		return openecs.ErrDryRunOperation
	}
	from, fromPrice := in.InstanceType, in.HourlyPrice
	if err := s.moveToType(tx, in, t); err != nil {
		return err
	}
	return event(tx, now, in.AccountID, openecs.EventInstanceSpec, in.ID, c.Action, map[string]any{
		"instance_type": map[string]string{"from": from, "to": t.ID},
		"hourly_price":  map[string]string{"from": fromPrice.String(), "to": in.HourlyPrice.String()},
	})
}

// newTypeChecks are the checks of a new instance type that ModifyInstanceSpec
// and ModifyPrepayInstanceSpec share, in order: a type that exists
// (InvalidInstanceType.ValueNotSupported, 400), that the account may use
// (InvalidInstanceType.ValueUnauthorized) and that the instance's zone sells
// (InvalidInstanceType.ValueNotSupported, 403), and neither the old nor the
// new type with local disks (localDisk: each action has its own code).
func (s *Service) newTypeChecks(acct *openecs.Account, in *openecs.Instance, id string, localDisk *openecs.Error) (*catalog.InstanceType, error) {
	t, ok := s.cat.InstanceType(id)
	if !ok {
		return nil, openecs.ErrSpecTypeUnknown
	}
	if !acct.MayUseInstanceType(t.ID) {
		return nil, openecs.ErrInstanceTypeUnauth
	}
	zone, ok := s.cat.Zone(in.ZoneID)
	if !ok || !zone.ZoneSells(t.ID) {
		return nil, openecs.ErrSpecTypeNotInZone
	}
	if in.LocalStorage.Amount > 0 || t.LocalDiskAmount > 0 {
		return nil, localDisk
	}
	return t, nil
}

// moveToType gives the instance the type t and writes it: an instance that
// holds capacity takes a slot of t (OperationDenied.NoStock without one) and
// gives its old type's back, and the account's quotas of t and the zone must
// still hold afterwards (QuotaExceed.ElasticQuota).
func (s *Service) moveToType(tx openecs.Tx, in *openecs.Instance, t *catalog.InstanceType) error {
	if in.HoldsCapacity {
		ok, err := tx.TakeCapacity(in.ZoneID, t.ID)
		if err != nil {
			return err
		}
		if !ok {
			return openecs.ErrNoStock
		}
		if err := tx.ReturnCapacity(in.ZoneID, in.InstanceType); err != nil {
			return err
		}
	}
	setType(in, t)
	if err := tx.UpdateInstance(in); err != nil {
		return err
	}
	// Now that the store counts the instance as its new type, the quotas of
	// that type and zone must still hold (quota.go).
	if in.HoldsCapacity {
		return s.quotaEnforce(tx, in.AccountID, in.RegionID, in.ZoneID, in.InstanceType, in.CPU, 0)
	}
	return nil
}

// quotaCheckMoved is the quota check of a type change, read-only (DryRun):
// the instance stops counting as its old type and counts as the new one.
func (s *Service) quotaCheckMoved(tx openecs.Tx, in *openecs.Instance, t *catalog.InstanceType) error {
	qs, err := tx.Quotas(in.AccountID, in.RegionID)
	if err != nil || len(qs) == 0 {
		return err
	}
	typeZero, typeOver, vcpuOver := false, false, false
	for _, q := range qs {
		switch {
		case q.Kind == openecs.QuotaInstances && q.Scope == t.ID:
			if q.Limit == 0 {
				typeZero = true
				continue
			}
			used, err := s.quotaUsed(tx, q)
			if err != nil {
				return err
			}
			typeOver = used+1 > q.Limit
		case q.Kind == openecs.QuotaVCPUs && q.Scope == in.ZoneID:
			used, err := s.quotaUsed(tx, q)
			if err != nil {
				return err
			}
			vcpuOver = used-in.CPU+t.CPU > q.Limit
		}
	}
	switch {
	case typeZero:
		return openecs.ErrQuotaInstanceType
	case typeOver && vcpuOver:
		return openecs.ErrQuotaEither
	case typeOver:
		return openecs.ErrQuotaInstanceTypeCount
	case vcpuOver:
		return openecs.ErrQuotaVCPU
	}
	return nil
}

// orDryRun answers DryRunOperation where a dry run's checks passed.
func orDryRun(err error) error {
	if err != nil {
		return err
	}
	return openecs.ErrDryRunOperation
}

// setType gives the instance a new type: its shape and its hourly price.
func setType(in *openecs.Instance, t *catalog.InstanceType) {
	in.InstanceType, in.Family, in.CPU, in.MemoryMiB, in.GPUAmount = t.ID, t.Family, t.CPU, t.MemoryMiB(), t.GPU
	in.LocalStorage = openecs.LocalStorage{Amount: t.LocalDiskAmount, Capacity: t.LocalDiskCapacity, Category: t.LocalDiskCategory}
	in.HourlyPrice = t.Hourly
}

// ChargeTypeChange is ModifyInstanceChargeType.
type ChargeTypeChange struct {
	RegionID         string
	InstanceIDs      []string
	To               openecs.ChargeType
	Period           int    // PrePaid
	PeriodUnit       string // PrePaid: Month or Week
	AutoPay          bool
	IncludeDataDisks bool
	DryRun           bool
	Idem             Idem
}

// InstanceFee is what one instance's change costs: the subscription price,
// or a refund (negative).
type InstanceFee struct {
	InstanceID string        `json:"instance_id"`
	Fee        openecs.Money `json:"fee"`
}

// ChargeTypeResult is ModifyInstanceChargeType's answer.
type ChargeTypeResult struct {
	OrderID string        `json:"order_id"`
	Fees    []InstanceFee `json:"fees"`
}

// ModifyInstanceChargeType converts instances between pay-as-you-go and
// subscription.
//
//   - To PrePaid: the subscription price of Period is charged at once (one
//     order for all the instances), the instance expires Period from now and
//     an expiry job is scheduled; hourly charges stop (ChargeHour charges only
//     pay-as-you-go instances). With AutoPay=false the order is placed unpaid
//     and nothing changes: OpenECS has no console to pay it in.
//   - To PostPaid: each whole day left of the subscription is refunded at a
//     thirtieth of the monthly price (one order, negative); the instance has
//     no expiry any more and the next billing point charges it by the hour.
//
// The system disk follows the instance; with IncludeDataDisks the data disks
// are converted too (to PostPaid they always are).
//
// Errors, for each instance in order: InvalidInstanceId.NotFound,
// InstanceLockedForSecurity, InvalidInstanceChargeType.ValueNotSupported
// (already of that charge type), InvalidSpotStrategy (spot instances),
// ExpiredInstance, Account.Arrearage, InvalidStatus.ValueNotSupported (not
// Running or Stopped), ReleaseTimeHaveBeenSet, OperationDenied.NoStock;
// then InvalidAccountStatus.NotEnoughBalance, DryRunOperation.
func (s *Service) ModifyInstanceChargeType(ctx context.Context, c Caller, r ChargeTypeChange) (*ChargeTypeResult, error) {
	if r.To == openecs.PrePaid {
		if err := validatePeriod(r.Period, r.PeriodUnit); err != nil {
			return nil, err
		}
	}
	res, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (ChargeTypeResult, error) {
		return s.changeChargeType(tx, c, r)
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

func (s *Service) changeChargeType(tx openecs.Tx, c Caller, r ChargeTypeChange) (ChargeTypeResult, error) {
	now := tx.Now()
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return ChargeTypeResult{}, err
	}
	var ins []*openecs.Instance
	var total openecs.Money
	res := ChargeTypeResult{Fees: []InstanceFee{}}
	for _, id := range dedupe(r.InstanceIDs) {
		in, err := s.ownInstance(tx, c, id, r.RegionID)
		if err != nil {
			return ChargeTypeResult{}, err
		}
		t, ok := s.cat.InstanceType(in.InstanceType)
		if !ok {
			return ChargeTypeResult{}, openecs.ErrInvalidInstanceType
		}
		if err := chargeTypeChecks(tx, acct, in, r); err != nil {
			return ChargeTypeResult{}, err
		}
		var fee openecs.Money
		if r.To == openecs.PostPaid {
			back, err := refund(t, in, now)
			if err != nil {
				return ChargeTypeResult{}, err
			}
			fee, err = back.Neg()
			if err != nil {
				return ChargeTypeResult{}, err
			}
		} else if fee, err = subscriptionPrice(t, r.Period, r.PeriodUnit, 1); err != nil {
			return ChargeTypeResult{}, err
		}
		if total, err = total.Add(fee); err != nil {
			return ChargeTypeResult{}, err
		}
		ins = append(ins, in)
		res.Fees = append(res.Fees, InstanceFee{InstanceID: in.ID, Fee: fee})
	}
	if r.To == openecs.PrePaid && r.AutoPay && acct.Balance < total {
		return ChargeTypeResult{}, openecs.ErrChargeTypeBalance
	}
	if r.DryRun {
		return ChargeTypeResult{}, openecs.ErrDryRunOperation
	}
	ids := make([]string, len(ins))
	for i, in := range ins {
		ids[i] = in.ID
	}
	if r.To == openecs.PrePaid && !r.AutoPay {
		res.OrderID = newOrderID()
		return res, tx.AppendEvent(&openecs.Event{At: now, AccountID: c.AccountID, Kind: openecs.EventOrder, ResourceID: res.OrderID,
			Amount: total, Cause: c.Action, Data: map[string]any{"kind": openecs.OrderInstanceConvert, "resources": ids, "paid": false}})
	}
	o, err := placeOrder(tx, c.AccountID, openecs.OrderInstanceConvert, total, ids, now, c.Action)
	if err != nil {
		return ChargeTypeResult{}, err
	}
	res.OrderID = o.ID
	for _, in := range ins {
		if err := s.convert(tx, c, in, r, now, o.ID); err != nil {
			return ChargeTypeResult{}, err
		}
	}
	return res, nil
}

// chargeTypeChecks are one instance's checks, in order.
func chargeTypeChecks(tx openecs.Tx, acct *openecs.Account, in *openecs.Instance, r ChargeTypeChange) error {
	switch {
	case in.HasLock(openecs.LockSecurity):
		return openecs.ErrInstanceLockedForSecurity
	case in.ChargeType == r.To:
		return openecs.ErrChargeTypeSame.With("The specified instance %s is already of the InstanceChargeType %s.", in.ID, r.To)
	case in.SpotStrategy != openecs.NoSpot && in.SpotStrategy != "":
		return openecs.ErrChargeTypeSpot
	case in.BillingState.Suspended() && in.ChargeType == openecs.PrePaid:
		return openecs.ErrChargeTypeExpired
	case in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) || acct.InArrears:
		return openecs.ErrAccountArrearage
	case in.Status != openecs.StatusRunning && in.Status != openecs.StatusStopped:
		return openecs.ErrChargeTypeStatus
	case r.To == openecs.PrePaid && !in.AutoReleaseAt.IsZero():
		return openecs.ErrChargeTypeReleaseTime
	}
	if r.To == openecs.PrePaid && !in.HoldsCapacity {
		// Stopped with StopCharging: a subscription keeps its slot.
		free, err := capacityFree(tx, in.ZoneID, in.InstanceType)
		if err != nil {
			return err
		}
		if !free {
			return openecs.ErrNoStock
		}
	}
	return nil
}

// refund is what converting a subscription to pay-as-you-go gives back: a
// thirtieth of the monthly price for each whole day left.
func refund(t *catalog.InstanceType, in *openecs.Instance, now time.Time) (openecs.Money, error) {
	left := in.ExpiredAt.Sub(now)
	if left <= 0 {
		return 0, nil
	}
	days := int64(left / (24 * time.Hour))
	m, err := t.Monthly.Mul(days)
	return m.DivInt(30), err
}

// convert applies a paid change to one instance and its disks.
func (s *Service) convert(tx openecs.Tx, c Caller, in *openecs.Instance, r ChargeTypeChange, now time.Time, orderID string) error {
	from := in.ChargeType
	in.ChargeType = r.To
	if r.To == openecs.PrePaid {
		if err := holdCapacity(tx, in); err != nil {
			return err
		}
		in.StoppedMode = openecs.NotApplicable
		in.Period, in.PeriodUnit, in.AutoRenew, in.AutoRenewPeriod, in.NotRenewal = r.Period, r.PeriodUnit, false, 0, false
		in.ExpiredAt = addPeriod(now, r.Period, r.PeriodUnit)
	} else {
		in.Period, in.PeriodUnit, in.AutoRenew, in.AutoRenewPeriod, in.ExpiredAt, in.NotRenewal = 0, "", false, 0, time.Time{}, false
		in.StoppedMode = openecs.NotApplicable
		if in.EconomicalEligible() {
			in.StoppedMode = openecs.KeepCharging
		}
	}
	if err := tx.UpdateInstance(in); err != nil {
		return err
	}
	if r.To == openecs.PrePaid {
		if err := scheduleExpiry(tx, in); err != nil {
			return err
		}
	}
	disks, err := tx.Disks(in.ID)
	if err != nil {
		return err
	}
	for _, d := range disks {
		if d.Type == openecs.DiskData && r.To == openecs.PrePaid && !r.IncludeDataDisks {
			continue
		}
		d.ChargeType = r.To
		if d.Type == openecs.DiskData {
			d.Portable = r.To == openecs.PostPaid
		}
		if err := tx.UpdateDisk(&d); err != nil {
			return err
		}
	}
	return event(tx, now, in.AccountID, openecs.EventInstanceCharge, in.ID, c.Action, map[string]any{
		"from": string(from), "to": string(r.To), "order_id": orderID, "expired_time": openecs.WireTime(in.ExpiredAt)})
}
