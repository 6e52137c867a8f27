package service

import (
	"context"

	"github.com/openecs/openecs"
)

// ModifyInstanceAutoRenewAttribute: whether subscription instances renew
// themselves when they expire, and for how long (docs/instance-changes.md).

// AutoRenewChange is ModifyInstanceAutoRenewAttribute.
type AutoRenewChange struct {
	RegionID    string
	InstanceIDs []string
	// Status is AutoRenewal (renew Months at a time when due), Normal
	// (expire unless renewed by hand) or NotRenewal (the same, with the
	// owner's word that it will not be renewed).
	Status string
	Months int // for AutoRenewal
	Idem   Idem
}

// ModifyInstanceAutoRenewAttribute sets the renewal of the caller's
// subscription instances; the expiry job renews an AutoRenewal instance by
// its period if the account can pay (subscription.go).
//
// Errors: InvalidInstanceId.NotFound, ChargeTypeViolation (a pay-as-you-go
// instance), IdempotentParameterMismatch. Every id is checked before any
// instance changes.
func (s *Service) ModifyInstanceAutoRenewAttribute(ctx context.Context, c Caller, r AutoRenewChange) error {
	_, err := idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) (struct{}, error) {
		var ins []*openecs.Instance
		for _, id := range dedupe(r.InstanceIDs) {
			in, err := s.ownInstance(tx, c, id, r.RegionID)
			if err != nil {
				return struct{}{}, err
			}
			if in.ChargeType != openecs.PrePaid {
				return struct{}{}, openecs.ErrAutoRenewPostPaid
			}
			ins = append(ins, in)
		}
		now := tx.Now()
		for _, in := range ins {
			in.AutoRenew, in.NotRenewal, in.AutoRenewPeriod = r.Status == "AutoRenewal", r.Status == "NotRenewal", 0
			if in.AutoRenew {
				in.AutoRenewPeriod = r.Months
			}
			if err := tx.UpdateInstance(in); err != nil {
				return struct{}{}, err
			}
			if err := event(tx, now, in.AccountID, openecs.EventInstanceModified, in.ID, c.Action,
				map[string]any{"changed": []string{"RenewalStatus"}, "renewal_status": r.Status, "months": in.AutoRenewPeriod}); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}
