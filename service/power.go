package service

import (
	"context"
	"errors"
	"time"

	"github.com/openecs/openecs"
)

// PowerRequest is StartInstance(s), StopInstance(s), RebootInstance(s) and
// DeleteInstance(s). Single-instance actions pass one id.
type PowerRequest struct {
	InstanceIDs []string
	RegionID    string
	DryRun      bool
	// SuccessFirst: act on every instance that passes its checks and report
	// each one (BatchOptimization=SuccessFirst). Otherwise all or nothing.
	SuccessFirst bool

	ForceStop     bool   // Stop, Reboot
	StoppedMode   string // Stop: StopCharging, KeepCharging or ""
	InitLocalDisk bool   // Start

	Force                 bool // Delete
	TerminateSubscription bool // Delete
	Idem                  Idem // DeleteInstances
}

// InstanceResult is one entry of a batch action's InstanceResponses.
type InstanceResult struct {
	InstanceID     string
	Code           string
	Message        string
	PreviousStatus openecs.Status
	CurrentStatus  openecs.Status
}

// Result codes of batch actions.
const (
	CodeSuccess       = "200"
	MessageSuccess    = "success"
	CodeDryRunSuccess = "DRYRUN.SUCCESS"
)

// op is one power action: check (reads only) and apply (writes).
type op struct {
	check func(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest) error
	apply func(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error
}

var (
	startOp  = op{check: checkStart, apply: applyStart}
	stopOp   = op{check: checkStop, apply: applyStop}
	rebootOp = op{check: checkReboot, apply: applyReboot}
	deleteOp = op{check: checkDelete, apply: applyDelete}
)

// StartInstances starts Stopped instances: Starting, then Running after the
// transition delay.
//
// Errors, in check order: InvalidInstanceId.NotFound, InstanceLockedForSecurity,
// InstanceExpired (postPaid or prePaid message), IncorrectInstanceStatus,
// InsufficientBalance (pay-as-you-go while the account is in arrears),
// OperationDenied.NoStock, the start checks' errors, DryRunOperation.
func (s *Service) StartInstances(ctx context.Context, c Caller, r PowerRequest) ([]InstanceResult, error) {
	return s.power(ctx, c, r, startOp)
}

// StopInstances stops Running instances: Stopping, then Stopped. StopCharging
// (economical mode) gives the compute capacity back.
//
// Errors: InvalidInstanceId.NotFound, IncorrectInstanceStatus, DryRunOperation.
func (s *Service) StopInstances(ctx context.Context, c Caller, r PowerRequest) ([]InstanceResult, error) {
	return s.power(ctx, c, r, stopOp)
}

// RebootInstances restarts Running instances: Starting, then Running.
//
// Errors: InvalidInstanceId.NotFound, InstanceLockedForSecurity,
// InstanceExpiredOrInArrears, IncorrectInstanceStatus, the reboot checks'
// errors, DryRunOperation.
func (s *Service) RebootInstances(ctx context.Context, c Caller, r PowerRequest) ([]InstanceResult, error) {
	return s.power(ctx, c, r, rebootOp)
}

// DeleteInstances releases instances.
//
// Errors: InvalidInstanceId.NotFound, ChargeTypeViolation (an unexpired
// subscription, or an expired one without TerminateSubscription),
// InvalidOperation.DeletionProtection, IncorrectInstanceStatus (not Stopped and
// no Force), DryRunOperation, IdempotentParameterMismatch.
func (s *Service) DeleteInstances(ctx context.Context, c Caller, r PowerRequest) error {
	_, err := s.power(ctx, c, r, deleteOp)
	return err
}

func (s *Service) power(ctx context.Context, c Caller, r PowerRequest, o op) ([]InstanceResult, error) {
	return idempotentCall(s, ctx, c, r.Idem, openecs.ErrIdempotentMismatch, func(tx openecs.Tx) ([]InstanceResult, error) {
		return s.powerTx(tx, c, r, o)
	})
}

func (s *Service) powerTx(tx openecs.Tx, c Caller, r PowerRequest, o op) ([]InstanceResult, error) {
	now := s.clock.Now()
	acct, err := tx.Account(c.AccountID)
	if err != nil {
		return nil, err
	}
	r.InstanceIDs = dedupe(r.InstanceIDs)
	results := make([]InstanceResult, 0, len(r.InstanceIDs))
	if !r.SuccessFirst {
		// All together: every instance must pass before any is touched.
		ins := make([]*openecs.Instance, 0, len(r.InstanceIDs))
		for _, id := range r.InstanceIDs {
			in, err := s.ownInstance(tx, c, id, r.RegionID)
			if err != nil {
				return nil, err
			}
			if err := o.check(s, tx, c, acct, in, r); err != nil {
				return nil, err
			}
			ins = append(ins, in)
		}
		if r.DryRun {
			return nil, openecs.ErrDryRunOperation
		}
		for _, in := range ins {
			prev := in.Status
			if err := o.apply(s, tx, c, acct, in, r, now); err != nil {
				return nil, err
			}
			results = append(results, InstanceResult{InstanceID: in.ID, Code: CodeSuccess, Message: MessageSuccess, PreviousStatus: prev, CurrentStatus: in.Status})
		}
		return results, nil
	}
	for _, id := range r.InstanceIDs {
		res := InstanceResult{InstanceID: id}
		in, err := s.ownInstance(tx, c, id, r.RegionID)
		if err == nil {
			res.PreviousStatus, res.CurrentStatus = in.Status, in.Status
			err = o.check(s, tx, c, acct, in, r)
		}
		if err == nil && !r.DryRun {
			err = o.apply(s, tx, c, acct, in, r, now)
			if err == nil {
				res.CurrentStatus = in.Status
			}
		}
		switch e, ok := openecs.AsError(err); {
		case err == nil && r.DryRun:
			res.Code, res.Message = CodeDryRunSuccess, openecs.ErrDryRunOperation.Message
		case err == nil:
			res.Code, res.Message = CodeSuccess, MessageSuccess
		case ok:
			res.Code, res.Message = e.Code, e.Message
		default:
			return nil, err // a store failure fails the whole call
		}
		results = append(results, res)
	}
	return results, nil
}

// expiredError is StartInstance's answer for an instance stopped by billing.
func expiredError(in *openecs.Instance) error {
	if in.ChargeType == openecs.PrePaid {
		return openecs.ErrInstanceExpiredPrePaid
	}
	return openecs.ErrInstanceExpiredPostPaid
}

func checkStart(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HasLock(openecs.LockSecurity) {
		return openecs.ErrInstanceLockedForSecurity
	}
	if in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) {
		return expiredError(in)
	}
	if !openecs.Transitions["StartInstance"].Allowed(in.Status) {
		return openecs.ErrIncorrectInstanceStatus
	}
	if in.ChargeType == openecs.PostPaid && a.InArrears {
		return openecs.ErrInsufficientBalance
	}
	if !in.HoldsCapacity {
		free, err := capacityFree(tx, in.ZoneID, in.InstanceType)
		if err != nil {
			return err
		}
		if !free {
			return openecs.ErrNoStock
		}
	}
	o := StartOptions{InitLocalDisk: r.InitLocalDisk, DryRun: r.DryRun}
	for _, check := range startChecks {
		if err := check(s, tx, in, o); err != nil {
			return err
		}
	}
	return nil
}

// capacityFree reports whether a slot of the zone/type is free (or it is
// unlimited).
func capacityFree(r openecs.Reader, zoneID, instanceType string) (bool, error) {
	c, err := r.Capacity(zoneID, instanceType)
	if errors.Is(err, openecs.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return *c.Available > 0, nil
}

// holdCapacity takes a slot of the instance's zone and type unless it already
// holds one: OperationDenied.NoStock when none is free.
func holdCapacity(tx openecs.Tx, in *openecs.Instance) error {
	if in.HoldsCapacity {
		return nil
	}
	ok, err := tx.TakeCapacity(in.ZoneID, in.InstanceType)
	if err != nil {
		return err
	}
	if !ok {
		return openecs.ErrNoStock
	}
	in.HoldsCapacity = true
	return nil
}

func applyStart(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error {
	if err := holdCapacity(tx, in); err != nil {
		return err
	}
	o := StartOptions{InitLocalDisk: r.InitLocalDisk}
	for _, effect := range startEffects {
		if err := effect(s, tx, in, o); err != nil {
			return err
		}
	}
	if in.StoppedMode == openecs.StopCharging {
		in.StoppedMode = openecs.KeepCharging
	}
	t := openecs.Transitions["StartInstance"]
	if err := s.begin(tx, in, now, c.Action, t.Via, t.To, ""); err != nil {
		return err
	}
	return tx.UpdateInstance(in)
}

func checkStop(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if !openecs.Transitions["StopInstance"].Allowed(in.Status) {
		return openecs.ErrIncorrectInstanceStatus
	}
	return nil
}

// stoppedMode decides how a stop leaves the instance: StopCharging only for
// instances eligible for economical mode, asked for or (without StoppedMode)
// when the account has economical mode on.
func stoppedMode(a *openecs.Account, in *openecs.Instance, asked string) openecs.StoppedMode {
	if !in.EconomicalEligible() {
		return openecs.NotApplicable
	}
	switch asked {
	case string(openecs.StopCharging):
		return openecs.StopCharging
	case string(openecs.KeepCharging):
		return openecs.KeepCharging
	}
	if a.EconomicalMode {
		return openecs.StopCharging
	}
	return openecs.KeepCharging
}

func applyStop(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error {
	in.StoppedMode = stoppedMode(a, in, r.StoppedMode)
	if in.StoppedMode == openecs.StopCharging && in.HoldsCapacity {
		if err := tx.ReturnCapacity(in.ZoneID, in.InstanceType); err != nil {
			return err
		}
		in.HoldsCapacity = false
	}
	t := openecs.Transitions["StopInstance"]
	if err := s.begin(tx, in, now, c.Action, t.Via, t.To, ""); err != nil {
		return err
	}
	return tx.UpdateInstance(in)
}

func checkReboot(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HasLock(openecs.LockSecurity) {
		return openecs.ErrInstanceLockedForSecurity
	}
	if in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) {
		return openecs.ErrInstanceExpiredOrArrears
	}
	if !openecs.Transitions["RebootInstance"].Allowed(in.Status) {
		return openecs.ErrIncorrectInstanceStatus
	}
	for _, check := range rebootChecks {
		if err := check(s, tx, in); err != nil {
			return err
		}
	}
	return nil
}

func applyReboot(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error {
	t := openecs.Transitions["RebootInstance"]
	if err := s.begin(tx, in, now, c.Action, t.Via, t.To, ""); err != nil {
		return err
	}
	return tx.UpdateInstance(in)
}

func checkDelete(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.ChargeType == openecs.PrePaid && (!in.BillingState.Suspended() || !r.TerminateSubscription) {
		return openecs.ErrChargeTypeViolation
	}
	if in.DeletionProtection {
		return openecs.ErrDeletionProtection
	}
	if in.Status != openecs.StatusStopped && !r.Force {
		return openecs.ErrIncorrectInstanceStatus
	}
	return nil
}

func applyDelete(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error {
	return s.release(tx, in, now, c.Action)
}

// dedupe drops repeated ids, keeping the first occurrence.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
