package service

import (
	"context"

	"github.com/openecs/openecs"
)

// ReActivateInstances reactivates a pay-as-you-go instance that billing
// suspended (overdue payment or an expired marketplace image): the financial
// lock goes, the billing state returns to Normal, and the instance starts.
//
// Errors, in check order: InvalidInstanceId.NotFound (also for another region
// than RegionId), InvalidPayType.NotSupport (subscription), InstanceLockedForSecurity,
// ReopenInstance.InstanceStatusNotValid 400 — or, called with the older
// spelling ReactivateInstances, ReactivateInstances.InstanceStatusNotValid 403
// — when the billing state is not Expired, ImageExpired or
// EcsAndImageExpired, IncorrectInstanceStatus (not Stopped), InsufficientBalance
// (balance below zero), OperationDenied.NoStock.
func (s *Service) ReActivateInstances(ctx context.Context, c Caller, instanceID, regionID string) error {
	err := s.update(ctx, func(tx openecs.Tx) error {
		now := tx.Now()
		in, err := s.ownInstance(tx, c, instanceID, regionID)
		if err != nil {
			return err
		}
		if in.ChargeType == openecs.PrePaid {
			return openecs.ErrPayTypeNotSupport
		}
		if in.HasLock(openecs.LockSecurity) {
			return openecs.ErrInstanceLockedForSecurity
		}
		if !in.BillingState.Suspended() {
			if c.Action == "ReactivateInstances" {
				return openecs.ErrReactivateStatusNotValid
			}
			return openecs.ErrReopenStatusNotValid
		}
		if in.Status != openecs.StatusStopped {
			return openecs.ErrIncorrectInstanceStatus
		}
		a, err := tx.Account(c.AccountID)
		if err != nil {
			return err
		}
		if a.Balance < 0 {
			return openecs.ErrInsufficientBalance
		}
		if err := s.unsuspend(tx, in, now, c.Action); err != nil {
			return err
		}
		if err := event(tx, now, in.AccountID, openecs.EventInstanceReactive, in.ID, c.Action, nil); err != nil {
			return err
		}
		if in.StoppedMode == openecs.StopCharging {
			in.StoppedMode = openecs.KeepCharging
		}
		if err := s.beginTransition(tx, in, now, c.Action, openecs.TransitionReactivate); err != nil {
			return err
		}
		return tx.UpdateInstance(in)
	})
	if err == nil {
		s.wake()
	}
	return err
}
