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

	ForceStop     bool                // Stop, Reboot
	StoppedMode   openecs.StoppedMode // Stop: StopCharging, KeepCharging or ""
	InitLocalDisk bool                // Start

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

// instanceCheck is one precondition of an action on an existing instance:
// it reads, never writes, and answers the action's error or nil.
type instanceCheck func(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error

// op is one power action: its checks, in order, and apply (writes).
type op struct {
	checks []instanceCheck
	apply  func(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error
}

// The checks of each action, in the documented order (docs/errors.md): the
// first that fails answers. Existence and ownership come before all of them.
var (
	startChecks = []instanceCheck{
		checkSecurityLock,                    // InstanceLockedForSecurity
		checkNotExpired,                      // InstanceExpired
		checkStatus(openecs.TransitionStart), // IncorrectInstanceStatus
		checkArrears,                         // InsufficientBalance (pay-as-you-go in arrears)
		checkStartCapacity,                   // OperationDenied.NoStock
		checkRecycling,                       // IncorrectInstanceStatus (spot reclaim under way); spot.go
		checkStartQuota,                      // QuotaExceed.ElasticQuota; quota.go
		checkStartSpotPrice,                  // OperationDenied.SpotPriceLowerThanPublicPrice; spot.go
		checkDisks,                           // DiskError, DiskInArrears; disks.go
		checkKMS,                             // InvalidParameter.KMSKeyId.*; kms.go
		checkHostReady,                       // InstanceNotReady; hostready.go
	}
	stopChecks = []instanceCheck{
		checkStatus(openecs.TransitionStop), // IncorrectInstanceStatus
	}
	rebootChecks = []instanceCheck{
		checkSecurityLock,                     // InstanceLockedForSecurity
		checkNotExpiredOrInArrears,            // InstanceExpiredOrInArrears
		checkStatus(openecs.TransitionReboot), // IncorrectInstanceStatus
		checkRecycling,                        // IncorrectInstanceStatus (spot reclaim under way); spot.go
		checkRebootDisks,                      // DiskError; disks.go
		checkKMS,                              // InvalidParameter.KMSKeyId.*; kms.go
	}
	deleteChecks = []instanceCheck{
		checkDeleteChargeType,  // ChargeTypeViolation
		checkDeletionProtected, // InvalidOperation.DeletionProtection
		checkDeleteStatus,      // IncorrectInstanceStatus (not Stopped, no Force)
	}

	startOp  = op{checks: startChecks, apply: applyStart}
	stopOp   = op{checks: stopChecks, apply: applyStop}
	rebootOp = op{checks: rebootChecks, apply: applyReboot}
	deleteOp = op{checks: deleteChecks, apply: applyDelete}
)

// check runs the op's checks in order.
func (o op) check(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	for _, c := range o.checks {
		if err := c(s, tx, a, in, r); err != nil {
			return err
		}
	}
	return nil
}

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
	now := tx.Now()
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
			if err := o.check(s, tx, acct, in, r); err != nil {
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
			err = o.check(s, tx, acct, in, r)
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

func checkSecurityLock(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HasLock(openecs.LockSecurity) {
		return openecs.ErrInstanceLockedForSecurity
	}
	return nil
}

// checkNotExpired answers StartInstance's error for an instance stopped by
// billing.
func checkNotExpired(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) {
		return expiredError(in)
	}
	return nil
}

// checkNotExpiredOrInArrears is RebootInstance's.
func checkNotExpiredOrInArrears(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.BillingState.Suspended() || in.HasLock(openecs.LockFinancial) {
		return openecs.ErrInstanceExpiredOrArrears
	}
	return nil
}

// checkStatus answers IncorrectInstanceStatus unless t may start from the
// instance's status.
func checkStatus(t openecs.Transition) instanceCheck {
	return func(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
		if !t.Allowed(in.Status) {
			return openecs.ErrIncorrectInstanceStatus
		}
		return nil
	}
}

// checkArrears: a pay-as-you-go instance does not start while its account
// is in arrears (inside the overdue grace, before the suspension).
func checkArrears(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.ChargeType == openecs.PostPaid && a.InArrears {
		return openecs.ErrInsufficientBalance
	}
	return nil
}

// checkStartCapacity: an instance that gave its slot back (StopCharging)
// needs a free one again.
func checkStartCapacity(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.HoldsCapacity {
		return nil
	}
	free, err := capacityFree(tx, in.ZoneID, in.InstanceType)
	if err != nil {
		return err
	}
	if !free {
		return openecs.ErrNoStock
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

// applyStart starts an instance whose checks passed: it takes a capacity
// slot if it has none, enforces the quota now that the slot is taken,
// re-initialises failed local disks if asked, and begins the transition.
func applyStart(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error {
	if err := holdCapacity(tx, in); err != nil {
		return err
	}
	if err := enforceStartQuota(s, tx, in); err != nil { // quota.go
		return err
	}
	if err := initLocalDisks(tx, in, r.InitLocalDisk, now); err != nil { // disks.go
		return err
	}
	if in.StoppedMode == openecs.StopCharging {
		in.StoppedMode = openecs.KeepCharging
	}
	if err := s.beginTransition(tx, in, now, c.Action, openecs.TransitionStart); err != nil {
		return err
	}
	return tx.UpdateInstance(in)
}

// stoppedMode decides how a stop leaves the instance: StopCharging only for
// instances eligible for economical mode, asked for or (without StoppedMode)
// when the account has economical mode on.
func stoppedMode(a *openecs.Account, in *openecs.Instance, asked openecs.StoppedMode) openecs.StoppedMode {
	if !in.EconomicalEligible() {
		return openecs.NotApplicable
	}
	switch asked {
	case openecs.StopCharging, openecs.KeepCharging:
		return asked
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
	if err := s.beginTransition(tx, in, now, c.Action, openecs.TransitionStop); err != nil {
		return err
	}
	return tx.UpdateInstance(in)
}

func applyReboot(s *Service, tx openecs.Tx, c Caller, a *openecs.Account, in *openecs.Instance, r PowerRequest, now time.Time) error {
	if err := s.beginTransition(tx, in, now, c.Action, openecs.TransitionReboot); err != nil {
		return err
	}
	return tx.UpdateInstance(in)
}

// checkDeleteChargeType: a subscription is released only once expired, and
// only with TerminateSubscription.
func checkDeleteChargeType(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.ChargeType == openecs.PrePaid && (!in.BillingState.Suspended() || !r.TerminateSubscription) {
		return openecs.ErrChargeTypeViolation
	}
	return nil
}

func checkDeletionProtected(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
	if in.DeletionProtection {
		return openecs.ErrDeletionProtection
	}
	return nil
}

func checkDeleteStatus(s *Service, tx openecs.Tx, a *openecs.Account, in *openecs.Instance, r PowerRequest) error {
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
